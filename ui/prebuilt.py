"""Pages' default views computed at setup, so the first reader after a server start does not wait for them.

A page's expensive cached function computes through `get(key, compute)`. `python -m ui.prebuilt` (run by
scripts/setup.sh and the Dockerfile) opens every page at its defaults in Streamlit's AppTest, then presenter mode
(every section's cards, ui.state.cards), keeps what each `get` computed, and stores it in .prebuilt/views.pkl with
a fingerprint of everything it depends on: the tables in the data directory the app reads
(openclosed.tables.DATA_DIR), the app's code and the Python and library versions. On a server, `get` returns the
stored value for a key when the fingerprint matches the running app, else computes live, as before. Measured: the first /performance
after a start took 4.5 s (4.7x the one-chart app), almost all of it computing these views (README "Capacity").
The file is written by this app's own setup and read only when its fingerprint matches.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import pickle
import sys
import time
from collections.abc import Callable, Hashable
from pathlib import Path

from openclosed import tables

ROOT = Path(__file__).resolve().parents[1]
STORE = ROOT / ".prebuilt" / "views.pkl"
CODE = ("openclosed", "ui", "pages", "streamlit_app.py")
LIBRARIES = ("streamlit", "pandas", "numpy", "altair", "scipy", "pyarrow", "pandera")


def fingerprint(data_dir: Path | None = None) -> str:
    """A hash of the tables in `data_dir` (default: the directory the app reads them from), the app's code and
    the interpreter and library versions. Files are named as under ROOT ("data/models.csv"), wherever they are."""
    h = hashlib.sha256(sys.version.encode())
    for lib in LIBRARIES:
        h.update(f"{lib}=={importlib.metadata.version(lib)}".encode())
    for name, path in [("data", Path(data_dir or tables.DATA_DIR)), *((n, ROOT / n) for n in CODE)]:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*")
                                                     if p.is_file() and "__pycache__" not in p.parts)
        for f in files:
            h.update((name if f == path else f"{name}/{f.relative_to(path).as_posix()}").encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def _current(f, data_dir: Path | None = None) -> bool:
    """Whether the open store was built for this app: its first line is the fingerprint it was built for."""
    return f.readline().decode(errors="replace").strip() == fingerprint(data_dir)


def _stored() -> dict:
    """The views stored for the tables the app reads now (a test may point openclosed.tables.DATA_DIR elsewhere:
    another directory is checked on its own)."""
    return _stored_for(STORE, tables.DATA_DIR)


@functools.cache
def _stored_for(store: Path, data_dir: Path) -> dict:
    """The views in `store`, or {} when the file is missing, unreadable or not built from this code and the
    tables in `data_dir` (checked before anything is unpickled)."""
    try:
        with store.open("rb") as f:
            return pickle.load(f) if _current(f, data_dir) else {}
    except Exception:       # missing or unreadable: compute live
        return {}


_recording: dict | None = None       # while building: every value `get` computed, by key


def get(key: Hashable, compute: Callable[[], object]):
    """The stored result for `key` when the store matches this app, else `compute()`."""
    stored = {} if _recording is not None else _stored()
    if key in stored:
        return stored[key]
    value = compute()
    if _recording is not None:
        _recording[key] = value
    return value


def kept(func):
    """Decorator for a page's cached function: each call goes through `get`, keyed by the page file (or module),
    the function's name and the arguments (hashable values: settings dataclasses, strings, numbers)."""
    where = Path(func.__code__.co_filename).stem if func.__module__ == "__main__" else func.__module__
    name = f"{where}.{func.__name__}"

    @functools.wraps(func)
    def through(*args):
        return get((name, *args), lambda: func(*args))

    return through


def build(store: Path | None = None) -> dict:
    """Open every page at its defaults, then presenter mode (every section's cards), keep what `get` computed,
    write the store; returns the views."""
    global _recording
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    from openclosed import report
    store = store or STORE
    # AppTest outside a server warns once per app of a missing run context
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "ScriptRunContext" not in record.getMessage())
    st.cache_resource.clear()              # every kept function computes (and is recorded) once more
    _recording = {}
    try:
        for section in report.SECTIONS:
            at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300).run()
            at.switch_page(section.page).run()
            if at.exception:
                raise RuntimeError(f"{section.page} failed: {at.exception[0].message}")
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
        at.query_params["presenter"] = "true"
        if at.run().exception:
            raise RuntimeError(f"presenter mode failed: {at.exception[0].message}")
        views = _recording
    finally:
        _recording = None
    store.parent.mkdir(exist_ok=True)
    tmp = store.with_suffix(".tmp")
    with tmp.open("wb") as f:
        f.write(fingerprint().encode() + b"\n")
        pickle.dump(views, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(store)
    _stored_for.cache_clear()
    return views


def main() -> int:
    if STORE.exists():
        with STORE.open("rb") as f:
            if _current(f):                # the header alone: the views need not be loaded to know
                print(f"prebuilt views are current ({STORE.relative_to(ROOT)})")
                return 0
    start = time.perf_counter()
    views = build()
    print(f"prebuilt {len(views)} views in {time.perf_counter() - start:.1f} s -> {STORE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    from ui import prebuilt      # the module the pages import (this file runs as __main__)
    sys.exit(prebuilt.main())
