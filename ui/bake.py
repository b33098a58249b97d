"""The baked edition: every page of the report at its default settings as static HTML, for crowds of readers.

    .venv/bin/python -m ui.bake [--out baked] [--app-url /] [--force]

Each section of the registry (openclosed.report.SECTIONS) becomes one page: its title, question and dateline
(report.data_age), and for each chart card (report.section_cards at the defaults, the cards the deck shows) its
headline, subtitle, an interactive Vega-Lite chart, the source line, method and alt text, downloads (the rows as
CSV through export.card_csv, the slide image as SVG) and a "Change the settings" link into the live app at the same
view (the page, the data vintage, the card's anchor). The Overview is the index page with its five numbers and the
claims check, as the live page computes them. Every script, style and font is served from the edition itself: the
Vega builds come from the npm registry at the versions in deploy/vega/package-lock.json (installed once into
deploy/vega/node_modules), never from a CDN. Text is escaped (openclosed.text.html_literal).

The edition is written to a temporary folder and swapped in whole; it carries a fingerprint of the data, the app's
code, the library versions (ui.prebuilt.fingerprint), the chart scripts' lock file and the app URL, and is baked
again only when that changes. deploy/nginx.conf serves it under /read/ and the live app everywhere else.
"""
from __future__ import annotations

import argparse
import fcntl
import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlencode

from openclosed import export, overview, report, tables, vintage
from openclosed.cards import ChartCard, source_line
from openclosed.text import html_literal

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "baked"
VEGA = ROOT / "deploy" / "vega"                 # package.json + package-lock.json: the chart scripts' versions
SCRIPTS = ("vega", "vega-lite", "vega-embed")   # npm packages, loaded in this order (vega-embed needs the others)
ASSETS = "assets"
DOWNLOADS = "downloads"
FINGERPRINT_FILE = ".fingerprint"
GZIPPED = (".html", ".js", ".css", ".csv", ".svg")   # served precompressed (nginx gzip_static)
REPORT_TITLE = "Open vs closed AI"


class BakeError(RuntimeError):
    """The edition cannot be baked; the message says why and what to do."""


# ---- where things go -------------------------------------------------------------------------------------------
def page_file(section: report.Section) -> str:
    """The baked page of a section: index.html for the default page, else <url_path>.html."""
    return "index.html" if section.default else f"{section.url_path}.html"


def live_link(app_url: str, section: report.Section, as_of: str, anchor: str = "") -> str:
    """The live app at this view: the page (the default page at the app's root), the data vintage the edition was
    baked on (a link opened on newer data says what changed since), and the card's anchor."""
    base = app_url.rstrip("/") + "/" + ("" if section.default else section.url_path)
    query = urlencode([(vintage.PARAM, as_of)]) if as_of else ""
    return base + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


def fingerprint(app_url: str) -> str:
    """What the edition depends on: data, code and libraries (the prebuilt store's fingerprint), the chart scripts'
    lock file and the app URL its links point to."""
    from ui import prebuilt
    h = hashlib.sha256(prebuilt.fingerprint().encode())
    h.update((VEGA / "package-lock.json").read_bytes())
    h.update(app_url.encode())
    return h.hexdigest()


def is_current(out: Path, app_url: str) -> bool:
    try:
        return (out / FINGERPRINT_FILE).read_text().strip() == fingerprint(app_url)
    except OSError:
        return False


# ---- the chart scripts ---------------------------------------------------------------------------------------
def script_builds(vendor: Path = VEGA) -> list[tuple[Path, str]]:
    """(built file, file name with its version) for each chart script, installing the locked versions with npm
    when they are missing."""
    builds = [vendor / "node_modules" / name / "build" / f"{name}.min.js" for name in SCRIPTS]
    if not all(b.exists() for b in builds):
        npm = shutil.which("npm")
        if npm is None:
            raise BakeError("the chart scripts (vega, vega-lite, vega-embed) are not installed and npm is missing: "
                            "apt-get install -y npm, then run the bake again")
        with (vendor / ".install-lock").open("w") as lock:      # one install at a time (parallel test workers)
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not all(b.exists() for b in builds):
                done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=vendor,
                                      capture_output=True, text=True)
                if done.returncode != 0 or not all(b.exists() for b in builds):
                    raise BakeError(f"npm ci in {vendor} failed: {(done.stderr or done.stdout).strip()[-500:]}")
    out = []
    for name, build in zip(SCRIPTS, builds):
        version = json.loads((build.parent.parent / "package.json").read_text())["version"]
        out.append((build, f"{name}-{version}.min.js"))
    return out


STYLE = """\
:root { --ink: #1b1b1b; --muted: #4a4a4a; --line: #d0d0d0; --link: #0b57a4; --bg: #ffffff; --panel: #f6f7f9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: var(--bg); line-height: 1.5;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
a { color: var(--link); }
a:focus-visible, summary:focus-visible { outline: 2px solid #0072B2; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; }
header, main, footer { max-width: 62rem; margin: 0 auto; padding: 0 1rem; }
header nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: .75rem 0; border-bottom: 1px solid var(--line); }
header nav a[aria-current] { font-weight: 700; color: var(--ink); text-decoration: none; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 1.25rem 0 .5rem; }
h2 { font-size: 1.3rem; line-height: 1.3; margin: 0 0 .25rem; }
.muted, .subtitle, .source, .dateline { color: var(--muted); font-size: .9rem; }
.note { background: var(--panel); border-left: 4px solid var(--link); padding: .5rem .75rem; }
.card, .number, .claim { border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; margin: 1rem 0; }
.chart { width: 100%; min-height: 200px; overflow-x: auto; }
figure { margin: .5rem 0; }
.tools { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: .5rem 0 0; }
.numbers { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 0 1rem; }
.number .value { font-size: 1.6rem; font-weight: 700; margin: .25rem 0; overflow-wrap: anywhere; }
.verdict, .mixed { display: inline-block; font-weight: 700; padding: 0 .4rem; border-radius: .25rem; background: var(--panel); }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .25rem .5rem .25rem 0; vertical-align: top; }
.tables { overflow-x: auto; }
@media (max-width: 480px) { h1 { font-size: 1.5rem; } h2 { font-size: 1.1rem; } .card { padding: .75rem; } }
footer { border-top: 1px solid var(--line); margin-top: 2rem; padding: 1rem; color: var(--muted); font-size: .9rem; }
"""

DRAW = """\
// Draw every chart of the page from its Vega-Lite spec (a JSON block beside it), with the locally served scripts.
(function () {
  var options = {renderer: "svg", actions: {export: true, source: false, compiled: false, editor: false}};
  document.querySelectorAll("[data-spec]").forEach(function (holder) {
    var spec = JSON.parse(document.getElementById(holder.dataset.spec).textContent);
    vegaEmbed(holder, spec, options).catch(function (err) {
      holder.textContent = "The chart could not be drawn here (" + err.message + "); its alt text and rows are below.";
    });
  });
})();
"""


# ---- pages ---------------------------------------------------------------------------------------------------
def hashed(stem: str, suffix: str, text: str) -> str:
    """A file name that changes with its content (assets are cached for a year): stem-<hash>.suffix."""
    return f"{stem}-{hashlib.sha256(text.encode()).hexdigest()[:10]}{suffix}"


def json_block(value) -> str:
    """JSON safe inside a <script type="application/json"> element: no '<', '>' or '&' that could end it."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def paragraphs(text: str) -> str:
    """Markdown-ish prose (a card's method) as escaped paragraphs, one per blank-line-separated block."""
    blocks = [b.strip() for b in str(text).split("\n\n") if b.strip()]
    return "".join(f"<p>{html_literal(b.replace('**', ''))}</p>" for b in blocks)


def card_html(card: ChartCard, section: report.Section, as_of: str, app_url: str, files: Mapping[str, str]) -> str:
    """One card: headline, subtitle, chart, source line, method, downloads and the link into the live app. The chart
    is the live card's accessible spec: Vega names the drawing by its description (the alt text) and hides the
    marks from screen readers. `files`: download label -> file name under downloads/."""
    from ui.card import accessible_spec            # the spec the live card draws, for screen readers
    key, alt = html_literal(card.key), html_literal(card.alt)
    downloads = " ".join(f'<a href="{DOWNLOADS}/{html_literal(name)}" download>{html_literal(label)}</a>'
                         for label, name in files.items())
    return f"""<article class="card" id="{key}" aria-labelledby="{key}-title">
<h2 id="{key}-title">{html_literal(card.title)}</h2>
<p class="subtitle">{html_literal(card.subtitle)}</p>
<figure>
<div class="chart" data-spec="{key}-spec"><noscript><p>The chart is drawn with JavaScript. {alt}</p></noscript></div>
<script type="application/json" id="{key}-spec">{json_block(accessible_spec(card))}</script>
<figcaption class="source">{html_literal(source_line(card.sources))}</figcaption>
</figure>
<details><summary>About this chart: method, caveats and alt text</summary>
{paragraphs(card.method)}<p><strong>Alt text:</strong> {alt}</p></details>
<p class="tools"><span>Download: {downloads}</span>
<a href="{html_literal(live_link(app_url, section, as_of, card.key))}">Change the settings</a></p>
</article>"""


def page_html(section: report.Section, body: str, dateline: str, as_of: str, app_url: str, style: str,
              scripts: list[str]) -> str:
    """A whole page around `body`: language, title, navigation over every section, the dateline, a note on what the
    edition is and a link to the live page, the locally served scripts when the page draws charts. `body` and
    `dateline` are HTML built from escaped text."""
    nav = "".join(f'<a href="{page_file(s)}"' + (' aria-current="page"' if s is section else "")
                  + f">{html_literal(s.title)}</a>" for s in report.SECTIONS)
    heads = "".join(f'<script src="{ASSETS}/{name}" defer></script>\n' for name in scripts) if "data-spec" in body else ""
    title = html_literal(f"{section.title} · {REPORT_TITLE}")
    live = html_literal(live_link(app_url, section, as_of))
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{html_literal(section.question)}">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{ASSETS}/{style}">
{heads}</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header><nav aria-label="Sections">{nav}<a href="{html_literal(app_url)}">Live report</a></nav></header>
<main id="main">
<h1>{html_literal(section.title if not section.default else "Open vs closed AI: the state of play")}</h1>
<p>{html_literal(section.question)}</p>
{dateline}
<p class="note">The report at its default settings, data vintage {html_literal(as_of)}. Every number is computed from
the report's data by the same code as the live report. <a href="{live}">Open this page in the live report</a> to
change any setting.</p>
{body}
</main>
<footer>{html_literal(REPORT_TITLE)}: the baked edition (static pages for many readers). Charts drawn with Vega-Lite.</footer>
</body>
</html>
"""


def dateline_html(rows: list[dict]) -> str:
    """The page's dateline as the live page shows it (report.data_age_summary), with every source's data end
    (report.data_age_text) one click away, where the live page has them in its help."""
    if not rows:
        return ""
    listed = "".join(f"<li>{html_literal(line)}</li>"
                     for line in report.data_age_text(rows).removeprefix("Data to: ").split(" · "))
    return (f'<p class="dateline">{html_literal(report.data_age_summary(rows))}</p>\n<details class="dateline">'
            f"<summary>Each source's data end</summary><ul>{listed}</ul></details>")


def overview_body(numbers: list[dict], checked, pages: Mapping[str, report.Section]) -> str:
    """The five numbers and the claims check, as the live Overview shows them; each links to the baked section."""
    cells = []
    for i, n in enumerate(numbers, start=1):
        target = pages.get(n["page"])
        link = f'<a href="{page_file(target)}">Open the section</a>' if target else ""
        cells.append(f"""<section class="number" id="number-{i}">
<h3>{html_literal(n["label"])}</h3>
<p class="value">{html_literal(n['value'])}</p>
<p class="muted">{html_literal(n['detail'])} As of {html_literal(n['as_of'])}.</p>
{link}</section>""")
    claims = []
    for i, row in enumerate(checked.itertuples(), start=1):
        target = pages.get(row.page)
        href = (f"{page_file(target)}#{row.evidence_card}" if target and row.evidence_card
                else page_file(target) if target else "")
        see = f'<p><a href="{html_literal(href)}">See the chart that shows it</a></p>' if href else ""
        # as the live page: the verdict, "mixed" when the yardsticks disagree, the reason, the claim on every yardstick
        # and a published figure's source
        mixed = "" if getattr(row, "yardsticks_agree", True) else ' <span class="mixed">mixed across yardsticks</span>'
        notes = [getattr(row, "on_yardsticks", "")] + (
            [f"Published figure: {row.source}"] if row.source and row.source != "computed" else [])
        claims.append(f"""<section class="claim" id="claim-{i}">
<h3>{html_literal(row.claim)}</h3>
<p><span class="verdict">{html_literal(row.verdict)}</span>{mixed} {html_literal(row.reason)}</p>
{"".join(f'<p class="muted">{html_literal(n)}</p>' for n in notes if n)}
{see}</section>""")
    return (f'<h2>The state of play in {len(numbers)} numbers</h2>\n<div class="numbers">'
            + "\n".join(cells) + "</div>\n<h2>Do the popular claims hold up?</h2>\n" + "\n".join(claims))


def data_body(provenance: Mapping[str, dict]) -> str:
    """Every table of data/ with its description, rows and sources (citation, licence, data end)."""
    rows = []
    for name, p in provenance.items():
        cited = "; ".join(f"{s.get('citation', s['id'])} ({s.get('license', '')}; data to "
                          f"{s.get('data_ends') or s.get('snapshot', '')})" for s in p.get("sources", []))
        rows.append(f"<tr><th scope=\"row\">{html_literal(name)}</th><td>{html_literal(p.get('description', ''))}"
                    f"</td><td>{html_literal(p.get('rows', ''))}</td><td>{html_literal(cited)}</td></tr>")
    return ('<h2>The tables behind every number</h2>\n<div class="tables"><table>\n<thead><tr><th scope="col">table'
            '</th><th scope="col">what it holds</th><th scope="col">rows</th><th scope="col">sources</th></tr></thead>'
            "\n<tbody>" + "\n".join(rows) + "</tbody></table></div>")


# ---- the bake ------------------------------------------------------------------------------------------------
def bake(out: Path = OUT, app_url: str = "/", images: bool = True) -> dict:
    """Write the edition to `out` (swapped in whole). `images`: also the slide SVG of every card (half the bake's
    time). Returns the pages, the number of cards, the seconds taken and of them the seconds drawing slide images."""
    start = time.perf_counter()
    out = Path(out)
    builds = script_builds()
    provenance = tables.provenance()
    data = {name: tables.read(name) for name in provenance}
    as_of = vintage.of(data["source_dates"]).date
    pages = {s.url_path: s for s in report.SECTIONS}
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / ASSETS).mkdir(parents=True)
    (tmp / DOWNLOADS).mkdir()
    for build, name in builds:
        shutil.copyfile(build, tmp / ASSETS / name)
    style, draw = hashed("bake", ".css", STYLE), hashed("draw", ".js", DRAW)
    (tmp / ASSETS / style).write_text(STYLE, encoding="utf-8")
    (tmp / ASSETS / draw).write_text(DRAW, encoding="utf-8")
    scripts = [name for _, name in builds] + [draw]
    n_cards, image_seconds = 0, 0.0
    for section in report.SECTIONS:
        dateline = dateline_html(report.data_age(section.url_path, provenance))
        if section.default:
            # as the live Overview: the state of play the build saved for these tables, else computed live
            numbers, checked = overview.saved_state(tables.DATA_DIR) or overview.state_of_play(data)
            body = overview_body(numbers, checked, pages)
        elif section.has_cards:
            articles = []
            for card in report.section_cards(section, data).values():
                stem = export.file_stem(card)
                files = {"CSV": f"{stem}.csv"}
                (tmp / DOWNLOADS / files["CSV"]).write_bytes(export.card_csv(card, as_of))
                if images:
                    drawn = time.perf_counter()
                    files["SVG"] = f"{stem}.svg"
                    (tmp / DOWNLOADS / files["SVG"]).write_text(export.slide_svg(card, as_of), encoding="utf-8")
                    image_seconds += time.perf_counter() - drawn
                articles.append(card_html(card, section, as_of, app_url, files))
                n_cards += 1
            body = "\n".join(articles)
        else:
            body = data_body(provenance)
        (tmp / page_file(section)).write_text(
            page_html(section, body, dateline, as_of, app_url, style, scripts), encoding="utf-8")
    for path in tmp.rglob("*"):
        if path.suffix in GZIPPED:
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes(), 9, mtime=0))
    (tmp / FINGERPRINT_FILE).write_text(fingerprint(app_url) + "\n")
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    return {"pages": [page_file(s) for s in report.SECTIONS], "cards": n_cards,
            "seconds": time.perf_counter() - start, "image_seconds": image_seconds}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT, help="folder of the edition (default: baked/)")
    ap.add_argument("--app-url", default="/", help="where the live app is, for 'Change the settings' links "
                    "(default: / on the same host, as deploy/nginx.conf serves them)")
    ap.add_argument("--force", action="store_true", help="bake even when the edition is current")
    args = ap.parse_args(argv)
    if not args.force and is_current(args.out, args.app_url):
        print(f"baked edition is current ({args.out})")
        return 0
    try:
        done = bake(args.out, args.app_url)
    except (BakeError, tables.TableError) as err:
        print(f"baked edition not built: {err}", file=sys.stderr)
        return 1
    print(f"baked {len(done['pages'])} pages, {done['cards']} cards in {done['seconds']:.1f} s "
          f"({done['image_seconds']:.1f} s of it slide images) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
