#!/usr/bin/env python3
"""Checks a Medley report folder's index.html in a real browser (headless Chromium through Selenium).

usage: scripts/check-report-ui.py REPORT_DIR SCREENSHOT.png

Opens REPORT_DIR/index.html from file:// and fails (exit 1, one line per problem on stderr) unless:
  - the browser console has no SEVERE entry (script errors, blocked or missing files);
  - the page shows one thumbnail per scene keyframe and one transcript entry per segment of report.json,
    with the segments' text as text (markup in the data must not become elements);
  - every image on the page loaded;
  - for a video: the <video> carries a <track> for transcript.vtt that loads, with as many cues as the file;
    for audio only: an <audio> player and no scene section;
  - clicking a transcript time mark, pressing Enter on another, and clicking a scene seek the player;
then saves a full-page screenshot to SCREENSHOT.png. Exit 2 when the browser cannot be started.
When the Python package jsonschema is installed, report.json is also checked against docs/report.schema.json;
when axe-selenium-python is installed, its bundled axe-core audits the page's accessibility in the light and the
dark colour scheme, and a serious or critical violation fails the check.

Uses the Debian chromium and chromedriver (/usr/bin); Selenium Manager is kept offline (SE_OFFLINE).
"""
import json
import os
import sys
import time

os.environ.setdefault("SE_OFFLINE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
WIDTH = 1280
MAX_HEIGHT = 6000

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)
    return condition


def wait_for(predicate, seconds=10.0, step=0.1):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            value = predicate()
        except Exception:  # the page may still be changing
            value = None
        if value:
            return value
        time.sleep(step)
    return None


def start_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--mute-audio", "--autoplay-policy=no-user-gesture-required", f"--window-size={WIDTH},900",
                     "--hide-scrollbars", "--force-color-profile=srgb", "--force-prefers-reduced-motion"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def axe_violations(driver):
    """The serious and critical axe-core violations on the page, or None when axe is not installed."""
    try:
        import axe_selenium_python
    except ImportError:
        return None
    source = os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js")
    with open(source, encoding="utf-8") as handle:
        driver.execute_script(handle.read())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        "  nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))}))), e => done([{id: 'axe', impact: 'critical',"
        "  help: String(e), nodes: []}]))")
    return [v for v in result if v.get("impact") in ("serious", "critical")]


def seek_check(driver, element, label, press_enter=False):
    from selenium.webdriver.common.keys import Keys

    target = float(element.get_attribute("data-seek"))
    driver.execute_script("const m = document.getElementById('media'); m.pause(); m.currentTime = arguments[0];",
                          target + 1.5 if target < 1.0 else 0.0)
    wait_for(lambda: not driver.execute_script("return document.getElementById('media').seeking"), 5)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    if press_enter:
        element.send_keys(Keys.ENTER)
    else:
        element.click()
    landed = wait_for(lambda: (lambda t: t if abs(t - target) < 0.75 else None)(
        driver.execute_script("return document.getElementById('media').currentTime")), 5)
    now = driver.execute_script("return document.getElementById('media').currentTime")
    check(landed is not None, f"{label}: the player is at {now:.2f} s, expected about {target:.2f} s")
    driver.execute_script("document.getElementById('media').pause()")


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    folder, screenshot = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    page = os.path.join(folder, "index.html")
    with open(os.path.join(folder, "report.json"), encoding="utf-8") as handle:
        report = json.load(handle)
    schema_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "report.schema.json")
    try:
        import jsonschema
    except ImportError:
        jsonschema = None
    if jsonschema is not None and os.path.exists(schema_path):
        with open(schema_path, encoding="utf-8") as handle:
            validator = jsonschema.Draft202012Validator(json.load(handle))
        for error in validator.iter_errors(report):
            location = "/".join(str(part) for part in error.absolute_path) or "(top)"
            check(False, f"report.json at {location}: {error.message}")
    try:
        driver = start_browser()
    except Exception as error:  # no browser, no driver, no selenium
        print(f"check-report-ui: cannot start headless Chromium: {error}".splitlines()[0], file=sys.stderr)
        return 2
    summary = {"schema_checked": jsonschema is not None}
    try:
        from selenium.webdriver.common.by import By

        driver.get("file://" + page)
        wait_for(lambda: driver.execute_script("return document.readyState") == "complete", 10)
        has_video = report["input"]["video"] is not None
        has_file = report["input"]["file"] is not None
        speech = report.get("speech")

        # Scenes: one thumbnail per keyframe.
        keyframes = [s for s in report["scenes"] if s.get("keyframe")]
        thumbnails = driver.find_elements(By.CSS_SELECTOR, "#scenes .scene .thumb img")
        check(len(thumbnails) == len(keyframes),
              f"{len(thumbnails)} scene thumbnails on the page, report.json has {len(keyframes)} keyframes")
        for image, scene in zip(thumbnails, keyframes):
            check((image.get_attribute("alt") or "").strip() != "", f"scene {scene['index']}: thumbnail has no alt text")
        if not has_video:
            check(not driver.find_elements(By.ID, "scenes"), "audio-only report has a scene section")
        summary["thumbnails"] = len(thumbnails)

        # Transcript: one entry per segment, text kept as text.
        entries = driver.find_elements(By.CSS_SELECTOR, "#segments .segment")
        expected = speech["segments"] if speech else []
        check(len(entries) == len(expected),
              f"{len(entries)} transcript entries on the page, report.json has {len(expected)} segments")
        for entry, segment in zip(entries, expected):
            shown = entry.find_element(By.CSS_SELECTOR, ".text").text.strip()
            check(shown == " ".join(segment["text"].split()),
                  f"segment {segment['id']}: the page shows {shown!r}, report.json has {segment['text'].strip()!r}")
            check(not entry.find_elements(By.CSS_SELECTOR, ".text *"), f"segment {segment['id']}: text became markup")
        if speech is None:
            check(bool(driver.find_elements(By.ID, "transcript-missing")), "no transcript and no note saying why")
        summary["transcript_entries"] = len(entries)

        # Every image loaded (lazy ones once scrolled to, those in closed <details> once opened).
        driver.execute_script("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        for image in driver.find_elements(By.CSS_SELECTOR, "img"):
            driver.execute_script("arguments[0].scrollIntoView()", image)
        broken_js = "return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        wait_for(lambda: driver.execute_script(broken_js) == [], 5)
        broken = driver.execute_script(broken_js)
        check(not broken, f"images that did not load: {broken}")

        # The player and its subtitle track.
        if has_file:
            tag = "video" if has_video else "audio"
            players = driver.find_elements(By.CSS_SELECTOR, f"{tag}#media")
            if check(len(players) == 1, f"no <{tag} id=media> player"):
                ready = wait_for(lambda: driver.execute_script("return document.getElementById('media').readyState >= 1"), 10)
                check(ready, "the player did not load the input's metadata")
                summary["media_ready_state"] = driver.execute_script("return document.getElementById('media').readyState")
        if has_file and has_video and speech and speech["files"].get("vtt"):
            vtt_name = speech["files"]["vtt"]
            tracks = driver.find_elements(By.CSS_SELECTOR, "video#media > track")
            if check(len(tracks) == 1, "the <video> has no <track>"):
                track = tracks[0]
                names = {track.get_attribute("data-file"), driver.execute_script(
                    "return arguments[0].getAttribute('src')", track)}
                check(vtt_name in names or any(n and n.endswith(vtt_name) for n in names if n),
                      f"the <track> does not point at {vtt_name}: {names}")
                check(track.get_attribute("kind") == "subtitles", "the <track> is not of kind subtitles")
                check(bool(track.get_attribute("srclang")), "the <track> has no srclang")
                with open(os.path.join(folder, vtt_name), encoding="utf-8") as handle:
                    file_cues = sum(1 for line in handle if "-->" in line)
                loaded = wait_for(lambda: driver.execute_script(
                    "const t = document.querySelector('video#media > track');"
                    "return t.readyState === 2 && t.track.cues && t.track.cues.length > 0"), 10)
                cues = driver.execute_script(
                    "const t = document.querySelector('video#media > track');"
                    "return [t.readyState, t.track.cues ? t.track.cues.length : -1]")
                check(loaded, f"the subtitle track did not load (readyState, cues) = {cues}")
                check(cues[1] == file_cues, f"the track has {cues[1]} cues, {vtt_name} has {file_cues}")
                summary["track_cues"] = cues[1]

        # Seeking: a click on a time mark, Enter on another, a click on a scene.
        if has_file:
            marks = driver.find_elements(By.CSS_SELECTOR, "#segments button[data-seek]")
            if marks:
                seek_check(driver, marks[-1], "clicking the last transcript time mark")
                seek_check(driver, marks[0], "pressing Enter on the first transcript time mark", press_enter=True)
            scenes = driver.find_elements(By.CSS_SELECTOR, "#scenes .scene-seek")
            if len(scenes) > 1:
                seek_check(driver, scenes[1], "clicking the second scene")
            summary["seek_checks"] = min(len(marks), 2) + (1 if len(scenes) > 1 else 0)

        # Accessibility, in both colour schemes.
        for scheme in ("light", "dark"):
            driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                   {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
            violations = axe_violations(driver)
            summary["axe_checked"] = violations is not None
            for violation in violations or []:
                check(False, f"accessibility ({scheme}): {violation['id']} ({violation['impact']}): "
                             f"{violation['help']}: {violation['nodes']}")
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme",
                                                                              "value": "light"}]})

        # The console, last: it holds everything logged so far.
        severe = [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
        for message in severe:
            check(False, f"browser console: {message.strip()}")

        driver.execute_script("document.querySelectorAll('details').forEach(d => { d.open = false; });"
                              "window.scrollTo(0, 0)")
        if has_file and expected:
            # Show the first segment playing: its subtitle on the video, its line highlighted.
            first = expected[0]
            driver.execute_script("const m = document.getElementById('media'); m.pause();"
                                  "m.currentTime = arguments[0];", (first["start"] + first["end"]) / 2)
            wait_for(lambda: not driver.execute_script("return document.getElementById('media').seeking"), 5)
        height = min(MAX_HEIGHT, driver.execute_script("return document.documentElement.scrollHeight"))
        driver.set_window_size(WIDTH, height)
        time.sleep(0.3)
        driver.save_screenshot(screenshot)
        summary["screenshot"] = screenshot
    finally:
        driver.quit()
    for problem in problems:
        print(f"check-report-ui: {problem}", file=sys.stderr)
    summary["ok"] = not problems
    print(json.dumps(summary))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
