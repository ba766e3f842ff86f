#!/usr/bin/env bash
# Renders the OCR test images in this folder and writes their ground truth to ocr-truth.json.
# Needs ImageMagick 6 (Debian `imagemagick`) and the DejaVu and URW fonts (`fonts-dejavu-core`,
# `fonts-dejavu-extra`, `fonts-urw-base35`). Rendering is deterministic for one ImageMagick version (noise uses
# a fixed seed); the committed PNGs are what the tests use, so rerun this only to change the images.
set -euo pipefail
cd "$(dirname "$0")"
convert=/usr/bin/convert  # the real ImageMagick, not a stand-in earlier on PATH
dejavu=/usr/share/fonts/truetype/dejavu
urw=/usr/share/fonts/opentype/urw-base35
sans=$dejavu/DejaVuSans.ttf
sansBold=$dejavu/DejaVuSans-Bold.ttf
serif=$dejavu/DejaVuSerif.ttf
mono=$dejavu/DejaVuSansMono.ttf
nimbus=$urw/NimbusSans-Regular.otf
nimbusBold=$urw/NimbusSans-Bold.otf
roman=$urw/NimbusRoman-Regular.otf

truth="{"
add_truth() {  # name, then one argument per line of text
    local name=$1; shift
    local lines="" line
    for line in "$@"; do lines+="$(printf '%s' "$line" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))'),"; done
    truth+="\"$name\": [${lines%,}],"
}

# text_sans: dark on light, DejaVu Sans 28 px.
$convert -size 560x200 xc:'#fbfbf8' -font "$sans" -pointsize 28 -fill '#1a1a1a' \
    -annotate +24+50 'Hello, Medley!' -annotate +24+100 'Reading text from images' \
    -annotate +24+150 'is quick and private.' -depth 8 -strip PNG24:text_sans.png
add_truth text_sans 'Hello, Medley!' 'Reading text from images' 'is quick and private.'

# text_serif: a serif face, 24 px, on cream.
$convert -size 600x190 xc:'#f3ead6' -font "$serif" -pointsize 24 -fill '#302010' \
    -annotate +20+45 'The quick brown fox jumps' -annotate +20+95 'over the lazy dog 42 times.' \
    -annotate +20+145 'Invoice No. 2024-0193' -depth 8 -strip PNG24:text_serif.png
add_truth text_serif 'The quick brown fox jumps' 'over the lazy dog 42 times.' 'Invoice No. 2024-0193'

# text_mono_small: monospaced, 15 px.
$convert -size 420x150 xc:white -font "$mono" -pointsize 15 -fill black \
    -annotate +12+24 'def add(a, b):' -annotate +12+48 '    return a + b' \
    -annotate +12+72 'total = add(17, 25)' -annotate +12+96 'print(total) # 42' \
    -annotate +12+120 'status: OK [200]' -depth 8 -strip PNG24:text_mono_small.png
add_truth text_mono_small 'def add(a, b):' 'return a + b' 'total = add(17, 25)' 'print(total) # 42' 'status: OK [200]'

# text_inverted: light on dark, Nimbus Sans Bold 26 px.
$convert -size 560x170 xc:'#14213d' -font "$nimbusBold" -pointsize 26 -fill '#f5f5f5' \
    -annotate +24+55 'Night mode is on' -annotate +24+115 'Battery 87% - 3 h 20 min left' -depth 8 -strip PNG24:text_inverted.png
add_truth text_inverted 'Night mode is on' 'Battery 87% - 3 h 20 min left'

# text_rotated: Nimbus Roman 26 px, turned 4 degrees.
$convert -size 560x190 xc:white -font "$roman" -pointsize 26 -fill '#202020' \
    -annotate +30+60 'Slightly rotated text' -annotate +30+120 'still reads fine: 3.14159' \
    -background white -rotate 4 +repage -depth 8 -strip PNG24:text_rotated.png
add_truth text_rotated 'Slightly rotated text' 'still reads fine: 3.14159'

# text_noisy: a noisy gradient background.
$convert -size 480x150 gradient:'#d8e4f0-#f6efe0' -seed 7 -attenuate 0.6 +noise Gaussian \
    -font "$sansBold" -pointsize 26 -fill '#101820' \
    -annotate +18+55 'Noise does not stop it' -annotate +18+115 'Order #58213 shipped' -depth 8 -strip PNG24:text_noisy.png
add_truth text_noisy 'Noise does not stop it' 'Order #58213 shipped'

# screen_1280x720: a screenshot-like page: title bar, sidebar, headings and paragraphs, ~20 lines.
$convert -size 1280x720 xc:'#ffffff' \
    -fill '#2b2d42' -draw 'rectangle 0,0 1280,56' -fill '#edf2f4' -draw 'rectangle 0,56 260,720' \
    -font "$sansBold" -pointsize 22 -fill '#ffffff' -annotate +24+37 'Medley Mail' \
    -font "$sans" -pointsize 18 -fill '#ffffff' -annotate +1040+36 'Settings' \
    -font "$sans" -pointsize 18 -fill '#2b2d42' \
    -annotate +28+110 'Inbox (12)' -annotate +28+155 'Starred' -annotate +28+200 'Sent' \
    -annotate +28+245 'Drafts (3)' -annotate +28+290 'Archive' -annotate +28+335 'Spam' \
    -font "$sansBold" -pointsize 26 -fill '#111111' -annotate +300+115 'Weekly status report' \
    -font "$sans" -pointsize 17 -fill '#555555' -annotate +300+150 'From: Ada Lovelace, 9 May 2025, 09:41' \
    -font "$serif" -pointsize 19 -fill '#222222' \
    -annotate +300+210 'The new release shipped on time and the crash rate fell by 38%.' \
    -annotate +300+245 'Decoding is twice as fast since we reuse buffers between frames.' \
    -annotate +300+280 'Next week we will finish the OCR benchmark and the face tests.' \
    -font "$sansBold" -pointsize 21 -fill '#111111' -annotate +300+345 'Open tasks' \
    -font "$sans" -pointsize 18 -fill '#222222' \
    -annotate +300+385 '1. Review pull request 4711 before Friday' \
    -annotate +300+420 '2. Update the model cards and the license notes' \
    -annotate +300+455 '3. Measure speed on the 2-core machine' \
    -font "$mono" -pointsize 16 -fill '#0b5394' -annotate +300+520 'https://example.org/reports/week-19' \
    -font "$sans" -pointsize 15 -fill '#888888' -annotate +300+680 'Reply' -annotate +380+680 'Forward' -annotate +480+680 'Delete' \
    -depth 8 -strip PNG24:screen_1280x720.png
add_truth screen_1280x720 'Medley Mail' 'Settings' 'Inbox (12)' 'Starred' 'Sent' 'Drafts (3)' 'Archive' 'Spam' \
    'Weekly status report' 'From: Ada Lovelace, 9 May 2025, 09:41' \
    'The new release shipped on time and the crash rate fell by 38%.' \
    'Decoding is twice as fast since we reuse buffers between frames.' \
    'Next week we will finish the OCR benchmark and the face tests.' 'Open tasks' \
    '1. Review pull request 4711 before Friday' '2. Update the model cards and the license notes' \
    '3. Measure speed on the 2-core machine' 'https://example.org/reports/week-19' 'Reply' 'Forward' 'Delete'

# text_upside_down: a page turned 180 degrees (the angle classifier turns each line back).
$convert -size 460x150 xc:white -font "$sans" -pointsize 28 -fill black \
    -annotate +24+55 'Upside down page' -annotate +24+115 'gets turned back' -rotate 180 -depth 8 -strip PNG24:text_upside_down.png
add_truth text_upside_down 'Upside down page' 'gets turned back'

# Bad-input cases (the EXIF one needs Pillow): 16-bit grey, text on a transparent background, a CMYK JPEG, and a JPEG stored turned
# 90 degrees counter-clockwise with EXIF orientation 6 ("turn 90 clockwise to display").
$convert -size 300x80 xc:white -font "$sans" -pointsize 30 -fill black -annotate +14+52 'Deep 16 bit' \
    -colorspace Gray -depth 16 -define png:color-type=0 -define png:bit-depth=16 -strip gray16.png
$convert -size 300x80 xc:none -font "$sansBold" -pointsize 30 -fill black -annotate +14+52 'Transparent' \
    -depth 8 -strip PNG32:alpha.png
$convert -size 300x80 xc:white -font "$sans" -pointsize 30 -fill '#203080' -annotate +14+52 'CMYK print' \
    -colorspace CMYK -quality 92 -strip cmyk.jpg
$convert -size 300x80 xc:white -font "$sans" -pointsize 30 -fill black -annotate +14+52 'Turn me up' \
    -rotate -90 -depth 8 -strip PNG24:exif_rotated.png
python3 -c 'from PIL import Image; e = Image.Exif(); e[274] = 6; Image.open("exif_rotated.png").save("exif_rotated.jpg", quality=92, exif=e)'
rm exif_rotated.png
# A 20000x20000 one-colour PNG: 1-bit grey, about 50 KB on disk, 1.2 GB as RGB.
python3 - <<'PY'
import struct, zlib
w = h = 20000
row = b"\x00" + b"\xff" * (w // 8)
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
compressor = zlib.compressobj(9)
idat = b"".join(compressor.compress(row) for _ in range(h)) + compressor.flush()
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
open("huge_20000x20000.png", "wb").write(png)
PY

printf '%s\n' "${truth%,}}" | python3 -m json.tool > ocr-truth.json
ls -l ./*.png ocr-truth.json
