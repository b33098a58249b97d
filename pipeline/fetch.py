"""Download a new dated snapshot of every public source, laid out like ../shared/raw.

    python -m pipeline.fetch --out DIR [--base ../shared/raw] [--base-url SOURCE=URL ...]
                             [--timeout 30] [--retries 3] [--backoff 2]

Each source downloads itself: the function its SPEC names in its own module pipeline/<source>.py (the registry
pipeline/sources.py lists them), writing every file under the name its loader reads, so
`python -m pipeline.build --raw DIR` works on the result; the checks and the snapshot are in pipeline/fetching.py. Files a source
no longer publishes (historical snapshots, fixed benchmark rounds) are carried over from --base.
DIR/manifest.json lists per file: URL, retrieval time, bytes, sha256, licence and status
(fetched / derived / carried / skipped).

Each response is checked (parses, expected columns or keys present, values of the right type and range:
scores within their source's scale, dates that parse, ids not empty; no short rows, not much smaller than
the previous copy), read within a deadline per request and a size limit per source (and per zip member).
Every failure is one line naming the source and the problem; folders a killed run left are removed.
The snapshot is assembled in a temporary folder next to DIR and moved into place only when every source
succeeded, so a failed run never replaces a good snapshot.

Base URLs can be overridden per source (`--base-url openrouter=http://127.0.0.1:8000/openrouter`)
or for all sources (`--base-url '*=http://127.0.0.1:8000'`, which appends /<source>), and by the
environment: OPENCLOSED_FETCH_<SOURCE>_URL, OPENCLOSED_FETCH_BASE_URL. Artificial Analysis needs
ARTIFICIAL_ANALYSIS_API_KEY; without it the source is skipped (its previous file is carried over).
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib
import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from pipeline import sources
from pipeline.fetching import AA_KEY_ENV, Client, FetchError, Snapshot, max_bytes  # noqa: F401 (the CLI's names)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE = ROOT.parent / "shared" / "raw"
MANIFEST = "manifest.json"
MAX_BYTES = max_bytes()     # per source, from its SPEC


@dataclasses.dataclass(frozen=True)
class Source:
    name: str
    base_url: str
    run: Callable[[Snapshot], None]


def _runner(spec: sources.SourceSpec) -> Callable[[Snapshot], None]:
    """A source's fetch: the function its module names in SPEC.fetch, then the fixed files it carries over."""
    module = importlib.import_module(f"pipeline.{sources.MODULES[spec.key]}")
    if spec.fetch and not callable(getattr(module, spec.fetch, None)):
        raise ValueError(f"source '{spec.key}': SPEC.fetch names '{spec.fetch}', which {module.__name__} lacks")
    download = getattr(module, spec.fetch) if spec.fetch else None

    def run(s: Snapshot) -> None:
        if download is not None:
            download(s)
        for pattern in spec.carry:
            s.carry(spec.key, pattern, "fixed historical release; not re-fetched")
    return run


SOURCE_LIST = [Source(spec.key, spec.base_url, _runner(spec)) for spec in sources.SPECS.values()
               if spec.fetch or spec.carry]


def base_urls(overrides: dict[str, str], environ=os.environ) -> dict[str, str]:
    """Each source's base URL: CLI override > env override > '*' override (+ /<source>) > default."""
    star = overrides.get("*") or environ.get("OPENCLOSED_FETCH_BASE_URL", "")
    out = {}
    for src in SOURCE_LIST:
        own = overrides.get(src.name) or environ.get(f"OPENCLOSED_FETCH_{src.name.upper()}_URL", "")
        out[src.name] = own or (f"{star.rstrip('/')}/{src.name}" if star else src.base_url)
    return out


def fetch_snapshot(out: Path, base: Path = DEFAULT_BASE, client: Client | None = None,
                   date: str | None = None) -> dict:
    """Fetch every source into `out`; on any failure `out` is left as it was and FetchError raised."""
    out, base = Path(out).resolve(), Path(base).resolve()
    if not base.is_dir():
        raise FetchError(f"previous snapshot not found: {base} (needed for files that are carried over)")
    client = client or Client(base_urls({}))
    if os.environ.get(AA_KEY_ENV):
        client.headers.setdefault("artificial_analysis", {"x-api-key": os.environ[AA_KEY_ENV]})
    date = date or dt.date.today().isoformat()
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out)
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    snap = Snapshot(tmp, base, client, date)
    try:
        for src in SOURCE_LIST:
            print(f"  {src.name} ...", flush=True)
            try:
                src.run(snap)
            except FetchError:
                raise
            except Exception as err:     # a payload no check foresaw: still one line naming the source
                raise FetchError(f"{src.name}: malformed response ({type(err).__name__}: {str(err)[:200]})") from None
        manifest = {"snapshot_date": date, "created_at": snap.files[-1]["retrieved_at"] if snap.files else "",
                    "base": str(base), "files": sorted(snap.files, key=lambda f: f["path"])}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def clean_leftovers(out: Path) -> list[Path]:
    """Remove the partial and replaced folders a killed run left beside `out` (`.<name>.partial-<pid>`,
    `.<name>.old-<pid>`), unless the process that made them is still running. Returns what was removed."""
    removed = []
    for path in sorted(out.parent.glob(f".{out.name}.*-*")):
        kind, _, pid = path.name[len(out.name) + 2:].rpartition("-")
        if kind not in ("partial", "old") or not pid.isdigit() or _running(int(pid)):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
        print(f"  removed {path.name}, left by an interrupted run", flush=True)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _replace(new: Path, target: Path) -> None:
    """Move `new` to `target`; an existing target is renamed away first and removed after."""
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _pairs(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, url = item.partition("=")
        if not sep or not url:
            raise SystemExit(f"--base-url expects SOURCE=URL, got {item!r}")
        out[name] = url
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="snapshot folder to create or replace")
    parser.add_argument("--base", type=Path, default=DEFAULT_BASE, help="previous snapshot (for carried files)")
    parser.add_argument("--base-url", action="append", default=[], metavar="SOURCE=URL")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--retries", type=int, default=3, help="retries after the first attempt")
    parser.add_argument("--backoff", type=float, default=2.0, help="first retry delay in seconds (doubles)")
    parser.add_argument("--date", help="snapshot date (default: today, UTC)")
    args = parser.parse_args(argv)
    unknown = set(_pairs(args.base_url)) - {s.name for s in SOURCE_LIST} - {"*"}
    if unknown:
        print(f"unknown source(s) in --base-url: {sorted(unknown)}", file=sys.stderr)
        return 2
    client = Client(base_urls(_pairs(args.base_url)), timeout=args.timeout, retries=args.retries,
                    backoff=args.backoff)
    print(f"fetching a snapshot into {args.out}")
    try:
        manifest = fetch_snapshot(args.out, args.base, client, args.date)
    except FetchError as err:
        print(f"fetch failed, {args.out} left unchanged: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"fetch interrupted, {args.out} left unchanged", file=sys.stderr)
        return 130
    except OSError as err:             # the disk, not a source: full, read-only, missing folder
        print(f"fetch failed, {args.out} left unchanged: {err.strerror or err}: {err.filename or ''}",
              file=sys.stderr)
        return 1
    counts: dict[str, int] = {}
    for f in manifest["files"]:
        counts[f["status"]] = counts.get(f["status"], 0) + 1
    print(f"snapshot {manifest['snapshot_date']} written to {args.out}: "
          + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
