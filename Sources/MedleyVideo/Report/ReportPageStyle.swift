/// The page's style sheet, inlined into `index.html`. Colours meet WCAG AA contrast (4.5:1 for text) in both
/// the light and the dark scheme.
enum ReportPageStyle {
    static let css = """
        :root{--bg:#f6f7f9;--card:#fff;--ink:#1b1f24;--muted:#4f5863;--line:#d9dee4;--accent:#0b57d0;
        --accent-ink:#fff;--accent-soft:#e3ecfb;--ok:#1e6b35;--ok-bg:#e2f3e6;--warn:#7a4a00;--warn-bg:#fdf0d5;
        --bad:#a11a1a;--bad-bg:#fbe3e3;--info:#4b3a96;--info-bg:#ece8fb;--current:#fff4c2;
        color-scheme:light dark;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
        @media (prefers-color-scheme:dark){:root{--bg:#111418;--card:#1b2026;--ink:#e8ecf0;--muted:#aab3bd;
        --line:#323a44;--accent:#8ab4f8;--accent-ink:#0b1a33;--accent-soft:#1f2d45;--ok:#8fd19e;--ok-bg:#173322;
        --warn:#f5c56b;--warn-bg:#3a2c10;--bad:#f59b9b;--bad-bg:#3d1a1a;--info:#c3b5ff;--info-bg:#2a2344;
        --current:#3a3413}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--ink)}
        a{color:var(--accent)}
        code{font:0.88em/1.4 ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace}
        .skip{position:absolute;left:-9999px;top:0;background:var(--accent);color:var(--accent-ink);padding:.5rem 1rem}
        .skip:focus{left:1rem;z-index:10}
        .visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
        white-space:nowrap}
        :focus-visible{outline:3px solid var(--accent);outline-offset:2px}
        .top{display:flex;flex-wrap:wrap;gap:1rem 2rem;align-items:flex-end;justify-content:space-between;
        padding:1.25rem clamp(1rem,3vw,2.5rem);background:var(--card);border-bottom:1px solid var(--line)}
        .kicker{margin:0;color:var(--muted);font-size:.8rem;font-weight:600;letter-spacing:.06em;text-transform:uppercase}
        h1{margin:.1rem 0 .25rem;font-size:clamp(1.4rem,2.5vw,1.9rem);line-height:1.2;overflow-wrap:anywhere}
        .facts,.created{margin:0;color:var(--muted)}
        .created{font-size:.875rem}
        nav ul{display:flex;flex-wrap:wrap;gap:.25rem;margin:0;padding:0;list-style:none}
        nav a{display:block;padding:.35rem .75rem;border-radius:999px;text-decoration:none;font-weight:600}
        nav a:hover{background:var(--accent-soft)}
        main{max-width:1280px;margin:0 auto;padding:1.25rem clamp(1rem,3vw,2.5rem) 2rem}
        section,aside.note{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1rem 1.25rem;
        margin:0 0 1.25rem}
        h2{margin:0;font-size:1.25rem}
        h3{font-size:1rem;margin:1rem 0 .5rem}
        .section-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem 1rem;margin-bottom:.75rem}
        .summary{margin:0;color:var(--muted);font-size:.9rem}
        .note{color:var(--muted)}
        aside.note h2{color:var(--ink);margin-bottom:.25rem}
        .stage{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.25rem;align-items:start;
        margin-bottom:1.25rem}
        .stage>section,.stage>aside{margin:0}
        @media (max-width:900px){.stage{grid-template-columns:1fr}}
        .player{padding:0;overflow:hidden;background:#000;border-color:#000}
        .player video{display:block;width:100%;max-height:70vh;background:#000}
        .player.audio{background:var(--card);border-color:var(--line)}
        .player .note{background:var(--card);margin:0;padding:1rem}
        .audio-only{background:var(--card);padding:1.25rem}
        .audio-only p{margin:0 0 .75rem;color:var(--muted)}
        .audio-only audio{width:100%}
        .transcript{display:flex;flex-direction:column;max-height:min(70vh,560px)}
        .activity{position:relative;height:.5rem;margin:-.25rem 0 .75rem;border-radius:4px;background:var(--line)}
        .activity span{position:absolute;top:0;bottom:0;min-width:2px;border-radius:4px;background:var(--ok)}
        .search{display:block;margin-bottom:.5rem}
        .search span{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        .search input{width:100%;padding:.5rem .75rem;border:1px solid var(--line);border-radius:8px;
        background:var(--bg);color:var(--ink);font:inherit}
        .segments{list-style:none;margin:0;padding:0;overflow-y:auto;flex:1}
        .segment{display:flex;gap:.75rem;align-items:baseline;padding:.35rem .5rem;border-radius:8px}
        .segment.current{background:var(--current)}
        .segment[hidden]{display:none}
        button{font:inherit;cursor:pointer}
        button.time{flex:none;padding:.1rem .45rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);
        color:var(--accent);font:600 .85rem/1.4 ui-monospace,Menlo,Consolas,monospace}
        button.time:hover,button.scene-seek:hover{background:var(--accent-soft)}
        span.time{flex:none;color:var(--muted);font:600 .85rem/1.4 ui-monospace,Menlo,Consolas,monospace}
        mark{background:var(--current);color:inherit;border-radius:2px}
        .timeline{display:flex;gap:3px;list-style:none;margin:0 0 1rem;padding:0;height:2.25rem}
        .timeline li{min-width:1.75rem;display:flex}
        .timeline .block{flex:1;border:0;border-radius:6px;background:var(--accent-soft);color:var(--ink);font-weight:600;
        font-size:.85rem}
        .timeline .block:hover,.timeline li.current .block{background:var(--accent);color:var(--accent-ink)}
        .scene-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:1rem;list-style:none;
        margin:0;padding:0}
        .scene{border:1px solid var(--line);border-radius:10px;overflow:hidden;background:var(--card)}
        .scene.current{border-color:var(--accent);box-shadow:0 0 0 2px var(--accent)}
        .thumb{position:relative;background:#000;aspect-ratio:16/9}
        .thumb img{display:block;width:100%;height:100%;object-fit:contain}
        .face-box{position:absolute;border:2px solid #ffd400;border-radius:3px;box-shadow:0 0 0 1px #000}
        .no-keyframe{display:grid;place-items:center;height:100%;color:#c9d1d9}
        .scene-body{padding:.6rem .8rem .8rem}
        .scene-body h3{margin:0}
        .scene-seek{padding:.15rem .4rem;margin-left:-.4rem;border:0;border-radius:6px;background:none;color:var(--accent);
        font-weight:700;text-align:left}
        .frames{margin:.1rem 0 .5rem;color:var(--muted);font-size:.8rem}
        .scene dl{margin:0;font-size:.9rem}
        .scene dt{color:var(--muted);font-size:.75rem;font-weight:700;letter-spacing:.04em;text-transform:uppercase;
        margin-top:.4rem}
        .scene dd{margin:0;overflow-wrap:anywhere}
        .none{color:var(--muted)}
        .confidence{color:var(--muted);font-size:.8rem}
        .pill{display:inline-block;padding:0 .5rem;border-radius:999px;font-size:.8rem;font-weight:600;white-space:nowrap}
        .pill.ok{background:var(--ok-bg);color:var(--ok)}
        .pill.warn{background:var(--warn-bg);color:var(--warn)}
        .pill.bad{background:var(--bad-bg);color:var(--bad)}
        .pill.info{background:var(--info-bg);color:var(--info)}
        .contact-sheet{margin-top:1rem}
        .contact-sheet summary{cursor:pointer;font-weight:600;color:var(--accent)}
        .contact-sheet img{display:block;max-width:100%;margin-top:.5rem;border-radius:8px}
        .figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.75rem}
        .figure{margin:0;border:1px solid var(--line);border-radius:10px;padding:.6rem .8rem}
        .figure dt{color:var(--muted);font-size:.8rem;font-weight:600}
        .figure dd{margin:0}
        .figure .value{font-size:1.5rem;font-weight:700;font-variant-numeric:tabular-nums}
        .figure .unit{color:var(--muted);font-weight:600}
        .figure-note{display:block;color:var(--muted);font-size:.8rem}
        table{width:100%;border-collapse:collapse;font-size:.92rem}
        th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
        thead th{color:var(--muted);font-size:.8rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em}
        tbody th{font-weight:600}
        .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        .stages{max-width:760px}
        .bar-cell{width:40%}
        .bar{display:block;height:.6rem;margin-top:.45rem;min-width:2px;border-radius:3px;background:var(--accent)}
        .skipped,.warnings{margin:0;padding-left:1.25rem}
        .table-wrap{overflow-x:auto}
        .version{color:var(--muted);font-weight:400;font-size:.85rem}
        .hash{white-space:nowrap}
        .models details{margin-top:.25rem;font-size:.85rem}
        .models summary{cursor:pointer;color:var(--accent)}
        .files{margin:.25rem 0 0;padding-left:1rem}
        .input-facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:.5rem 1.25rem;
        margin:0 0 1rem}
        .input-facts dl{margin:0}
        .input-facts>dl:first-child{grid-column:span 2}
        @media (max-width:600px){.input-facts>dl:first-child{grid-column:auto}}
        .input-facts dt{color:var(--muted);font-size:.8rem;font-weight:600}
        .input-facts dd{margin:0;overflow-wrap:anywhere}
        footer{max-width:1280px;margin:0 auto;padding:0 clamp(1rem,3vw,2.5rem) 2rem;color:var(--muted);font-size:.875rem}
        """
}
