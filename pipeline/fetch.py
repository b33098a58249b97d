"""Download a new dated snapshot of every public source, laid out like ../shared/raw.

    python -m pipeline.fetch --out DIR [--base ../shared/raw] [--base-url SOURCE=URL ...]
                             [--timeout 30] [--retries 3] [--backoff 2]

Every file is written under the name the loaders in pipeline/*.py read (their constants are
imported, not copied), so `python -m pipeline.build --raw DIR` works on the result. Files a source
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
import contextlib
import csv
import dataclasses
import datetime as dt
import hashlib
import http.client
import io
import json
import math
import os
import re
import shutil
import socket
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from pipeline import sources
from pipeline import artificial_analysis, eci, epoch_hub, epoch_models, lmarena, models_dev, openrouter, swebench

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE = ROOT.parent / "shared" / "raw"
MANIFEST = "manifest.json"
AA_KEY_ENV = "ARTIFICIAL_ANALYSIS_API_KEY"
USER_AGENT = "open-vs-closed-report/refresh (+https://github.com/)"
# A new copy with fewer than this share of the previous copy's rows is treated as truncated.
MIN_ROW_RATIO = 0.5
MB = 1_000_000
# Largest response accepted per source (bytes): several times today's size (README of ../shared/raw), so growth
# passes and a runaway or hostile body is cut off instead of filling memory.
MAX_BYTES = {spec.key: spec.max_mb * MB for spec in sources.SPECS.values() if spec.max_mb}
DEFAULT_MAX_BYTES = 20 * MB
MAX_ZIP_MEMBER = 60 * MB            # uncompressed size of one member of a fetched zip
MAX_ZIP_TOTAL = 200 * MB            # uncompressed size of all its members
CHUNK = 64 * 1024


class FetchError(Exception):
    """A source could not be fetched or its response failed a check; the message names both."""


# --- HTTP -------------------------------------------------------------------------------------

@dataclasses.dataclass
class Client:
    """GET with a timeout, retries with exponential backoff, and per-source base URLs."""
    base_urls: dict[str, str]
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    headers: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)

    def url(self, source: str, path: str) -> str:
        return self.base_urls[source].rstrip("/") + "/" + path.lstrip("/")

    max_bytes: dict[str, int] = dataclasses.field(default_factory=lambda: dict(MAX_BYTES))

    def get(self, source: str, path: str) -> tuple[str, bytes]:
        """The body at the source's `path`. `timeout` is a deadline for the whole request (connecting and every
        byte of the body), not per read: a server trickling its body fails like one that does not answer."""
        url = self.url(source, path)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **self.headers.get(source, {})})
        limit = self.max_bytes.get(source, DEFAULT_MAX_BYTES)
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            deadline = time.monotonic() + self.timeout
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                    return url, _read_within(resp, deadline, limit, source, url)
            except TooLarge as err:
                raise FetchError(str(err)) from None            # the same body again would be as large
            except urllib.error.HTTPError as err:
                problem = f"HTTP {err.code}"
                if err.code < 500 and err.code != 429:
                    break  # a client error will not go away by retrying
            except http.client.IncompleteRead as err:
                problem = f"truncated body ({len(err.partial)} bytes received, more expected)"
            except (TimeoutError, socket.timeout):
                problem = f"timed out after {self.timeout:g} s"
            except (urllib.error.URLError, ConnectionError, http.client.HTTPException) as err:
                problem = f"connection failed ({getattr(err, 'reason', err)})"
        raise FetchError(f"{source}: {url}: {problem} (after {attempt + 1} attempt(s))")


class TooLarge(Exception):
    pass


def _read_within(resp, deadline: float, limit: int, source: str, url: str) -> bytes:
    """The response body, read in chunks before `deadline` (time.monotonic) and at most `limit` bytes."""
    claimed = resp.headers.get("Content-Length")
    if claimed and claimed.isdigit() and int(claimed) > limit:
        raise TooLarge(f"{source}: {url}: the response is {int(claimed):,} bytes, over this source's limit of "
                       f"{limit:,}")
    sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
    parts, size = [], 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        if sock is not None and not resp.isclosed():
            with contextlib.suppress(OSError):
                sock.settimeout(left)          # no single read may outlast the request's deadline
        chunk = resp.read1(CHUNK)              # what has arrived (read() would wait for CHUNK bytes)
        if not chunk:
            if resp.length:                    # the connection closed before Content-Length bytes came
                raise http.client.IncompleteRead(b"".join(parts), resp.length)
            return b"".join(parts)
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"{source}: {url}: the response passed this source's limit of {limit:,} bytes")
        parts.append(chunk)


# --- checks -----------------------------------------------------------------------------------

def _text(source: str, name: str, body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FetchError(f"{source}: {name}: not UTF-8 text ({err.reason} at byte {err.start})") from None


def check_csv(source: str, name: str, body: bytes, required: list[str], previous: Path | None = None) -> int:
    """Rows of a CSV body; FetchError when it lacks a column, has short rows or shrank a lot."""
    rows = list(csv.reader(io.StringIO(_text(source, name, body), newline="")))
    if not rows:
        raise FetchError(f"{source}: {name}: empty response")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise FetchError(f"{source}: {name}: expected column(s) {missing} are missing "
                         f"(the source changed its columns; got {header[:12]})")
    data = [r for r in rows[1:] if r]
    # a short last row means the body was cut (a short row inside the file is the source's own quirk)
    if data and len(data[-1]) < len(header):
        raise FetchError(f"{source}: {name}: truncated, the last row has {len(data[-1])} of {len(header)} fields")
    n = len(data)
    if n == 0:
        raise FetchError(f"{source}: {name}: no data rows")
    if previous is not None and previous.exists():
        with open(previous, encoding="utf-8-sig", newline="") as fh:
            before = sum(1 for r in list(csv.reader(fh))[1:] if r)
        if n < MIN_ROW_RATIO * before:
            raise FetchError(f"{source}: {name}: only {n} rows against {before} in the previous snapshot "
                             "(truncated download?)")
    return n


def parse_json(source: str, name: str, body: bytes):
    try:
        return json.loads(_text(source, name, body))
    except json.JSONDecodeError as err:
        raise FetchError(f"{source}: {name}: not valid JSON, truncated or malformed ({err.msg} at "
                         f"line {err.lineno} col {err.colno})") from None


def require_keys(source: str, name: str, items: list, keys: list[str], min_items: int = 1) -> None:
    if not isinstance(items, list) or len(items) < min_items:
        raise FetchError(f"{source}: {name}: expected a list of at least {min_items} entries")
    for i, item in enumerate(items):
        missing = [k for k in keys if not isinstance(item, dict) or k not in item]
        if missing:
            raise FetchError(f"{source}: {name}: entry {i} lacks expected key(s) {missing} "
                             "(the source changed its format)")


def require_share(source: str, name: str, rows: list[dict], keys: list[str], min_items: int = 1,
                  share: float = 0.5) -> None:
    """Like require_keys for optional fields: each key must be present in at least `share` of the rows."""
    if len(rows) < min_items:
        raise FetchError(f"{source}: {name}: only {len(rows)} entries, expected at least {min_items}")
    rare = [k for k in keys if sum(k in r for r in rows) < share * len(rows)]
    if rare:
        raise FetchError(f"{source}: {name}: key(s) {rare} are missing from most entries (the source changed its format)")


@dataclasses.dataclass(frozen=True)
class Rule:
    """What the values of one column (or JSON key) must be, beyond being there."""
    column: str
    kind: str = "id"                 # id: non-empty text | number | date (YYYY, YYYY-MM or YYYY-MM-DD...)
    lo: float = -math.inf            # numbers: the range the source's scale allows
    hi: float = math.inf
    optional: bool = False           # empty values allowed (a source's gaps); at least one must be filled


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|[T ])")


def _is_date(text: str) -> bool:
    m = _DATE.match(text)
    if not m:
        return False
    try:
        dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return False
    return 1900 <= int(m[1]) <= 2200


def check_values(source: str, name: str, rows: list[dict], rules: list[Rule], first: int = 2) -> None:
    """FetchError naming the source, file, row and column of the first value that breaks its rule (`first`: the
    number of the first row, 2 for a CSV under its header, 0 for JSON entries)."""
    for rule in rules:
        filled = 0
        for i, row in enumerate(rows, start=first):
            value = row.get(rule.column) if isinstance(row, dict) else None
            text = "" if value is None else str(value).strip()
            where = f"{source}: {name}: {'row' if first else 'entry'} {i}, {rule.column}"
            if not text:
                if not rule.optional:
                    raise FetchError(f"{where}: empty")
                continue
            filled += 1
            if rule.kind == "number":
                try:
                    x = float(text)
                except ValueError:
                    raise FetchError(f"{where}: {text[:30]!r} is not a number") from None
                if not (math.isfinite(x) and rule.lo <= x <= rule.hi):
                    raise FetchError(f"{where}: {text[:30]} is outside {rule.lo:g} to {rule.hi:g}")
            elif rule.kind == "date" and not _is_date(text):
                raise FetchError(f"{where}: {text[:30]!r} is not a date (YYYY-MM-DD)")
        if rows and not filled:
            raise FetchError(f"{source}: {name}: {rule.column} is empty in every row")


def csv_rows(source: str, name: str, body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_text(source, name, body), newline="")))


# --- the snapshot being written ---------------------------------------------------------------

@dataclasses.dataclass
class Snapshot:
    """A snapshot under construction: its folder, the previous snapshot and the manifest rows."""
    root: Path
    base: Path
    client: Client
    date: str
    files: list[dict] = dataclasses.field(default_factory=list)

    def _record(self, source: str, rel: str, url: str, status: str, note: str = "") -> None:
        data = (self.root / rel).read_bytes()
        self.files.append({
            "path": rel, "source": source, "url": url, "status": status, "note": note,
            "retrieved_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "licence": sources.SPECS[source].license if source in sources.SPECS else "",
        })

    def write(self, source: str, rel: str, data: bytes, url: str, status: str = "fetched", note: str = "") -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self._record(source, rel, url, status, note)

    def write_csv(self, source: str, rel: str, columns: list[str], rows: list[dict], url: str, note: str) -> None:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        self.write(source, rel, buf.getvalue().encode(), url, "derived", note)

    def carry(self, source: str, pattern: str, note: str) -> None:
        """Copy files matching `pattern` (relative glob) from the previous snapshot."""
        hits = sorted(p for p in self.base.glob(pattern) if p.is_file())
        if not hits:
            raise FetchError(f"{source}: nothing to carry over: {pattern} is not in {self.base}")
        for src in hits:
            rel = src.relative_to(self.base).as_posix()
            if (self.root / rel).exists():
                continue
            (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, self.root / rel)
            self._record(source, rel, f"file:{src}", "carried", note)

    def previous(self, rel: str) -> Path:
        return self.base / rel


def _bool_text(value) -> str:
    return "" if value is None else str(value)


def _flatten(obj: dict, prefix: str = "") -> dict[str, str]:
    """Nested dict -> {'a.b': text}; lists joined with '|', booleans as True/False, None as ''."""
    out: dict[str, str] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, list):
            out[name] = "|".join(json.dumps(v) if isinstance(v, (dict, list)) else str(v) for v in value)
        else:
            out[name] = _bool_text(value)
    return out


def _columns(rows: list[dict], first: list[str]) -> list[str]:
    extra = sorted({k for r in rows for k in r} - set(first))
    return first + extra


# --- sources ----------------------------------------------------------------------------------

EPOCH_MODEL_RULES = [Rule("Model"), Rule("Publication date", "date", optional=True)]


def fetch_epoch_models(s: Snapshot) -> None:
    need = ["Model", "Organization", "Publication date", "Country (of organization)", "Model accessibility",
            "Training compute (FLOP)", "Confidence", "Parameters", "Domain"]
    for stem in [*epoch_models.FILES.values(), "frontier_ai_models"]:
        file, listed = f"{stem}.csv", stem in epoch_models.FILES.values()
        # the lists the loader reads are kept dated, so the newest download is the one it picks
        rel = f"epoch_ai_models/{stem}_{s.date}.csv" if listed else f"epoch_ai_models/{file}"
        previous = epoch_models.newest_file(s.base, stem) if listed else s.previous(rel)
        url, body = s.client.get("epoch_models", file)
        check_csv("epoch_models", file, body, need if listed else ["Model"], previous)
        check_values("epoch_models", file, csv_rows("epoch_models", file, body), EPOCH_MODEL_RULES)
        s.write("epoch_models", rel, body, url)
    s.carry("epoch_models", "epoch_ai_models/*.csv", "older downloads of the lists")


HUB_NEED = ["Model version", "Release date", "Organization"]
ECI_NEED = ["Model version", "ECI Score", "Release date", "Organization", "Country", "Model accessibility",
            "Confidence", "Model name"]


HUB_RULES = [Rule("Model version"), Rule("Release date", "date", optional=True)]


def fetch_epoch_hub(s: Snapshot) -> None:
    """benchmark_data.zip: Epoch's own runs and METR into the newest hub folder, ECI into epoch_eci/."""
    url, body = s.client.get("epoch_hub", "benchmark_data.zip")
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except zipfile.BadZipFile as err:
        raise FetchError(f"epoch_hub: benchmark_data.zip: not a complete zip archive, truncated? ({err})") from None
    sizes = {i.filename: i.file_size for i in archive.infolist()}
    big = max(sizes, key=sizes.get, default=None)
    if big is not None and sizes[big] > MAX_ZIP_MEMBER:
        raise FetchError(f"epoch_hub: benchmark_data.zip: member {big} unpacks to {sizes[big]:,} bytes, over the "
                         f"limit of {MAX_ZIP_MEMBER:,}")
    if sum(sizes.values()) > MAX_ZIP_TOTAL:
        raise FetchError(f"epoch_hub: benchmark_data.zip: unpacks to {sum(sizes.values()):,} bytes, over the "
                         f"limit of {MAX_ZIP_TOTAL:,}")
    try:
        bad = archive.testzip()              # after the size check: it unpacks every member
    except (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError) as err:
        raise FetchError(f"epoch_hub: benchmark_data.zip: cannot be unpacked ({err})") from None
    if bad:
        raise FetchError(f"epoch_hub: benchmark_data.zip: member {bad} is corrupt")
    members = {Path(n).name: n for n in archive.namelist() if n.endswith(".csv")}
    folder = f"{epoch_hub.DIR}/{epoch_hub.SNAPSHOTS[0]}"
    for bench in (*epoch_hub.BENCHMARKS, epoch_hub.METR):
        name = f"{bench}.csv"
        if name not in members:
            continue
        data = archive.read(members[name])
        need = HUB_NEED + (["Time horizon"] if bench == epoch_hub.METR else ["mean_score"])
        check_csv("epoch_hub", name, data, need, s.previous(f"{folder}/{name}"))
        score = (Rule("Time horizon", "number", 0, 1e7) if bench == epoch_hub.METR
                 else Rule("mean_score", "number", 0, 1, optional=True))       # a share of the tasks, 0-1
        check_values("epoch_hub", name, csv_rows("epoch_hub", name, data), [*HUB_RULES, score])
        s.write("epoch_hub", f"{folder}/{name}", data, f"{url}#{members[name]}")
    if "gpqa_diamond.csv" not in members:
        raise FetchError("epoch_hub: benchmark_data.zip: gpqa_diamond.csv is missing (the archive changed layout)")
    if "epoch_capabilities_index.csv" not in members:
        raise FetchError("eci: benchmark_data.zip: epoch_capabilities_index.csv is missing")
    data = archive.read(members["epoch_capabilities_index.csv"])
    versions = [snap for snap, (_, kind) in eci.snapshot_files(s.base).items() if kind == "version"]
    previous = s.previous(eci.version_export_path(max(versions))) if versions else None
    check_csv("eci", "epoch_capabilities_index.csv", data, ECI_NEED, previous)
    check_values("eci", "epoch_capabilities_index.csv", csv_rows("eci", "epoch_capabilities_index.csv", data),
                 [*HUB_RULES, Rule("ECI Score", "number", 0, 1000, optional=True)])
    s.write("eci", eci.version_export_path(s.date), data, f"{url}#{members['epoch_capabilities_index.csv']}")
    s.carry("eci", "epoch_eci/*", "older ECI exports, kept for checks against published figures")
    s.carry("epoch_hub", f"{epoch_hub.DIR}/{epoch_hub.SNAPSHOTS[-1]}/*", "older hub snapshot, fallback for files "
            "the new archive lacks")


AA_KEYS = ["name", "slug", "release_date", "model_creator", "evaluations", "pricing"]


def fetch_artificial_analysis(s: Snapshot) -> None:
    rel = f"artificial_analysis/{artificial_analysis.FILE}"
    extras = "artificial_analysis/aa_*_export_*.json", "artificial_analysis/aa_model_data_enriched_*.csv"
    if not os.environ.get(AA_KEY_ENV):
        print(f"  artificial_analysis: skipped, {AA_KEY_ENV} is not set; carrying over the previous file")
        s.carry("artificial_analysis", rel, f"skipped: {AA_KEY_ENV} not set")
        s.files[-1]["status"] = "skipped"
    else:
        url, body = s.client.get("artificial_analysis", "data/llms/models")
        doc = parse_json("artificial_analysis", "data/llms/models", body)
        items = doc.get("data") if isinstance(doc, dict) else None
        require_keys("artificial_analysis", "data/llms/models", items, AA_KEYS)
        check_values("artificial_analysis", "data/llms/models", items,
                     [Rule("name"), Rule("slug"), Rule("release_date", "date", optional=True)], first=0)
        s.write("artificial_analysis", rel, body, url)
    for pattern in extras:
        s.carry("artificial_analysis", pattern, "third-party export, not re-fetchable")


PROVIDER_FIRST = ["provider_id", "provider_name", "model_id", "lab_model_id", "name", "family", "release_date",
                  "last_updated", "knowledge", "open_weights", "reasoning", "tool_call", "cost.input",
                  "cost.output", "cost.cache_read", "cost.cache_write", "limit.context", "limit.output", "status",
                  "attachment", "temperature", "modalities.input", "modalities.output"]
LAB_FIRST = ["lab_model_id", "lab", "name", "family", "release_date", "last_updated", "open_weights", "attachment",
             "reasoning", "temperature", "tool_call", "knowledge", "limit.context", "limit.output",
             "modalities.input", "modalities.output", "n_benchmarks", "weights", "structured_output", "license",
             "links", "limit.input"]


def fetch_models_dev(s: Snapshot) -> None:
    """api.json (provider -> models) -> the provider table and a lab table from first-party providers."""
    url, body = s.client.get("models_dev", "api.json")
    doc = parse_json("models_dev", "api.json", body)
    if not isinstance(doc, dict) or not doc:
        raise FetchError("models_dev: api.json: expected an object of providers")
    providers = [dict(p, id=p.get("id", k)) for k, p in sorted(doc.items()) if isinstance(p, dict)]
    require_keys("models_dev", "api.json providers", providers, ["id", "name", "models"], min_items=10)
    rows, prov_rows = [], []
    for p in providers:
        models = p.get("models") or {}
        prov_rows.append({"id": p["id"], "name": p.get("name", ""), "n_models": len(models),
                          "env": "|".join(p.get("env") or []), "npm": p.get("npm", ""), "doc": p.get("doc", ""),
                          "api": p.get("api", "")})
        for model_id, m in sorted(models.items()):
            flat = _flatten({k: v for k, v in m.items() if k not in ("id", "provider")})
            rows.append({"provider_id": p["id"], "provider_name": p.get("name", ""), "model_id": m.get("id", model_id),
                         "lab_model_id": str(m.get("base_model") or ""), **flat})
    require_share("models_dev", "api.json models", rows, ["cost.input", "cost.output", "modalities.input",
                                                          "release_date"], min_items=100)
    check_values("models_dev", "api.json models", rows,
                 [Rule("model_id"), Rule("cost.input", "number", 0, 1e6, optional=True),
                  Rule("cost.output", "number", 0, 1e6, optional=True)], first=0)
    by_provider: dict[str, list[dict]] = {}
    for r in rows:
        by_provider.setdefault(r["provider_id"], []).append(r)
    lab_rows = []
    for lab, own in sorted(models_dev.LAB_PROVIDERS.items()):
        served = next((by_provider[p] for p in own if p in by_provider), [])
        for r in served:
            lab_rows.append({**{k: v for k, v in r.items() if not k.startswith(("cost.", "provider"))},
                             "lab_model_id": f"{lab}/{r['model_id']}", "lab": lab, "n_benchmarks": "0"})
    if not lab_rows:
        raise FetchError("models_dev: api.json: none of the labs' own providers is listed")
    s.write("models_dev", "models_dev/models_dev_api.json", body, url)
    note = "flattened from api.json (values unchanged)"
    s.write_csv("models_dev", "models_dev/models_dev_provider_models.csv", _columns(rows, PROVIDER_FIRST), rows, url,
                note)
    s.write_csv("models_dev", "models_dev/models_dev_lab_models.csv", _columns(lab_rows, LAB_FIRST), lab_rows, url,
                "lab models = each lab's first-party provider listing (pipeline.models_dev.LAB_PROVIDERS)")
    s.write_csv("models_dev", "models_dev/models_dev_providers.csv",
                ["id", "name", "n_models", "env", "npm", "doc", "api"], prov_rows, url, note)
    s.carry("models_dev", "models_dev/models_dev_lab_benchmarks.csv", "not in api.json")


OPENROUTER_COLUMNS = [
    "id", "canonical_slug", "name", "author", "created_unix", "created_date", "hugging_face_id", "context_length",
    "modality", "tokenizer", "top_provider_context_length", "top_provider_max_completion_tokens", "is_moderated",
    "knowledge_cutoff", "expiration_date", "supported_parameters", "pricing.prompt", "pricing.completion",
    "pricing.web_search", "pricing.input_cache_read", "prompt_usd_per_mtok", "completion_usd_per_mtok",
    "input_cache_read_usd_per_mtok", "description"]
HISTORY_COLUMNS = ["id", "name", "first_seen", "last_seen", "present_now", "date", "prompt_usd_per_mtok",
                   "completion_usd_per_mtok"]


def _per_mtok(per_token) -> str:
    try:
        return f"{float(per_token) * 1e6:.10g}"
    except (TypeError, ValueError):
        return ""


def openrouter_row(m: dict) -> dict:
    pricing, arch, top = m.get("pricing") or {}, m.get("architecture") or {}, m.get("top_provider") or {}
    created = m.get("created")
    row = {
        "id": m["id"], "canonical_slug": m.get("canonical_slug") or "", "name": m.get("name") or "",
        "author": m["id"].split("/", 1)[0], "created_unix": _bool_text(created),
        "created_date": dt.datetime.fromtimestamp(int(created), dt.timezone.utc).strftime("%Y-%m-%d")
        if created else "",
        "hugging_face_id": m.get("hugging_face_id") or "", "context_length": _bool_text(m.get("context_length")),
        "modality": arch.get("modality") or "", "tokenizer": arch.get("tokenizer") or "",
        "top_provider_context_length": _bool_text(top.get("context_length")),
        "top_provider_max_completion_tokens": _bool_text(top.get("max_completion_tokens")),
        "is_moderated": _bool_text(top.get("is_moderated")), "knowledge_cutoff": m.get("knowledge_cutoff") or "",
        "expiration_date": m.get("expiration_date") or "",
        "supported_parameters": "|".join(m.get("supported_parameters") or []),
        "prompt_usd_per_mtok": _per_mtok(pricing.get("prompt")),
        "completion_usd_per_mtok": _per_mtok(pricing.get("completion")),
        "input_cache_read_usd_per_mtok": _per_mtok(pricing.get("input_cache_read")),
        "description": m.get("description") or "",
    }
    row.update({f"pricing.{k}": _bool_text(v) if not isinstance(v, (dict, list)) else json.dumps(v)
                for k, v in pricing.items()})
    return row


def update_price_history(history: list[dict], catalog: list[dict], today: str) -> list[dict]:
    """The change-point ledger extended with today's catalog.

    A point is added for an id that is new or whose price differs from its last point; ids listed
    today get last_seen = today and present_now = True, the others present_now = False.
    """
    last: dict[str, dict] = {}
    for r in history:
        last[r["id"]] = r
    listed = {r["id"]: r for r in catalog if r["prompt_usd_per_mtok"] and r["completion_usd_per_mtok"]}
    out = [dict(r) for r in history]
    for model_id, r in sorted(listed.items()):
        prev = last.get(model_id)
        price = (r["prompt_usd_per_mtok"], r["completion_usd_per_mtok"])
        if prev is None or (float(prev["prompt_usd_per_mtok"] or "nan"), float(prev["completion_usd_per_mtok"] or "nan")) \
                != tuple(float(p) for p in price):
            out.append({"id": model_id, "name": r["name"], "first_seen": prev["first_seen"] if prev else today,
                        "date": today, "prompt_usd_per_mtok": price[0], "completion_usd_per_mtok": price[1]})
    for r in out:
        present = r["id"] in listed
        r["present_now"] = str(present)
        if present:
            r["last_seen"] = today
    return out


def fetch_openrouter(s: Snapshot) -> None:
    url, body = s.client.get("openrouter", "models")
    doc = parse_json("openrouter", "models", body)
    data = doc.get("data") if isinstance(doc, dict) else None
    require_keys("openrouter", "models", data, ["id", "name", "created", "pricing"], min_items=10)
    check_values("openrouter", "models", data, [Rule("id"), Rule("created", "number", 0, 1e11)], first=0)
    check_values("openrouter", "models pricing", [m.get("pricing") for m in data],
                 [Rule("prompt", "number", -1, 1, optional=True), Rule("completion", "number", -1, 1, optional=True)],
                 first=0)
    catalog = [openrouter_row(m) for m in data]
    csv_rel = f"openrouter/{openrouter.CATALOG}"
    s.write("openrouter", str(Path(csv_rel).with_suffix(".json")), body, url)
    s.write_csv("openrouter", csv_rel, _columns(catalog, OPENROUTER_COLUMNS), catalog, url,
                "flattened from the models API; prices x 1e6 = USD per million tokens")
    hist_rel = f"openrouter/{openrouter.HISTORY}"
    old = s.previous(hist_rel)
    history = list(csv.DictReader(open(old, encoding="utf-8", newline=""))) if old.exists() else []
    s.write_csv("openrouter", hist_rel, HISTORY_COLUMNS, update_price_history(history, catalog, s.date), url,
                "previous change-point ledger extended with this snapshot's prices")


LMARENA_CATEGORIES = ("full", "coding", "hard_6")
LMARENA_COLUMNS = ["variant", "snapshot_date", "commit", "category", "model_key", "rating", "rating_q025",
                   "rating_q975"]


def arena_rows(board: dict, variant: str, date: str) -> list[dict]:
    rows = []
    for category, models in sorted(board.items()):
        for key, r in sorted(models.items()):
            rows.append({"variant": variant, "snapshot_date": date, "commit": "", "category": category,
                         "model_key": key, "rating": r["rating"], "rating_q025": r.get("rating_q025", ""),
                         "rating_q975": r.get("rating_q975", "")})
    return rows


def fetch_lmarena(s: Snapshot) -> None:
    """arena-catalog's leaderboard JSON: latest table rewritten, today's rows appended to the history."""
    latest = []
    for variant, file in (("text", "leaderboard-text.json"), ("text_style_control", "leaderboard-text-style-control.json")):
        url, body = s.client.get("lmarena", file)
        board = parse_json("lmarena", file, body)
        if not isinstance(board, dict) or "full" not in board:
            raise FetchError(f"lmarena: {file}: the 'full' category is missing (the leaderboard changed format)")
        for category, models in board.items():
            if not isinstance(models, dict):
                raise FetchError(f"lmarena: {file}: category {category!r} is not an object of model -> rating")
            require_keys("lmarena", f"{file} [{category}]", list(models.values()), ["rating"])
            check_values("lmarena", f"{file} [{category}]", [{"model": k, **v} for k, v in models.items()],
                         [Rule("model"), Rule("rating", "number", 100, 5000),
                          Rule("rating_q025", "number", 100, 5000, optional=True),
                          Rule("rating_q975", "number", 100, 5000, optional=True)], first=0)
        latest += arena_rows(board, variant, s.date)
    folder = Path(lmarena.FILE_9C).parent.as_posix()
    s.write_csv("lmarena", f"lmarena/{folder}/arena_catalog_text_ratings_latest.csv", LMARENA_COLUMNS, latest, url,
                "every category of today's leaderboard JSON")
    hist_rel = f"lmarena/{lmarena.FILE_9C}"
    old = s.previous(hist_rel)
    history = list(csv.DictReader(open(old, encoding="utf-8", newline=""))) if old.exists() else []
    history = [r for r in history if r["snapshot_date"] != s.date]
    history += [r for r in latest if r["category"] in LMARENA_CATEGORIES]
    s.write_csv("lmarena", hist_rel, LMARENA_COLUMNS, history, url, "previous history plus today's snapshot")
    url, body = s.client.get("lmarena", "scatterplot-data.json")
    scatter = parse_json("lmarena", "scatterplot-data.json", body)
    require_keys("lmarena", "scatterplot-data.json", scatter, ["name", "model_api_name", "organization", "license"])
    check_values("lmarena", "scatterplot-data.json", scatter, [Rule("name")], first=0)
    s.write("lmarena", f"lmarena/{lmarena.FILE_SCATTER}", body, url)
    for file in (lmarena.FILE_9A, lmarena.FILE_9B):
        s.carry("lmarena", f"lmarena/{file}", "historical snapshot family, closed")


def fetch_livebench(s: Snapshot) -> None:
    """Each known release's cumulative table and category map (releases = those in the base snapshot)."""
    releases = sorted(p.name[len("table_"):-len(".csv")] for p in s.base.glob("livebench/table_*.csv"))
    if not releases:
        raise FetchError(f"livebench: no table_<release>.csv in {s.base}/livebench to know the releases")
    for release in releases:
        url, body = s.client.get("livebench", f"categories_{release}.json")
        cats = parse_json("livebench", f"categories_{release}.json", body)
        if not isinstance(cats, dict) or not cats or not all(isinstance(v, list) for v in cats.values()):
            raise FetchError(f"livebench: categories_{release}.json: expected an object of category -> task list")
        s.write("livebench", f"livebench/categories_{release}.json", body, url)
        tasks = sorted({t for v in cats.values() for t in v})
        url, body = s.client.get("livebench", f"table_{release}.csv")
        header = next(csv.reader(io.StringIO(_text("livebench", f"table_{release}.csv", body))), [])
        if not any(t in header for t in tasks):
            raise FetchError(f"livebench: table_{release}.csv: none of the task columns of its categories file")
        check_csv("livebench", f"table_{release}.csv", body, ["model"], s.previous(f"livebench/table_{release}.csv"))
        check_values("livebench", f"table_{release}.csv", csv_rows("livebench", f"table_{release}.csv", body),
                     [Rule("model")] + [Rule(t, "number", 0, 100, optional=True) for t in tasks if t in header])
        s.write("livebench", f"livebench/table_{release}.csv", body, url)
    s.carry("livebench", "livebench/livebench_model_links.csv", "parsed from the site's modelLinks.js; not refetched")


SWEBENCH_COLUMNS = ["leaderboard", "name", "date", "resolved", "os_model", "os_system", "checked", "tag_model",
                    "tag_org", "tag_system", "cost", "instance_cost", "instance_calls", "folder",
                    "mini-swe-agent_version", "site", "tags", "warning"]


def swebench_rows(doc: dict) -> list[dict]:
    rows = []
    for board in doc["leaderboards"]:
        for r in board["results"]:
            tags = [str(t) for t in r.get("tags") or []]
            tag = {k: next((t.split(":", 1)[1].strip() for t in tags if t.startswith(f"{k}:")), "")
                   for k in ("Model", "Org", "System")}
            row = {c: _bool_text(r.get(c)) for c in SWEBENCH_COLUMNS}
            row.update(leaderboard=board["name"], tag_model=tag["Model"], tag_org=tag["Org"],
                       tag_system=tag["System"], tags="|".join(tags))
            rows.append(row)
    return rows


def fetch_swebench(s: Snapshot) -> None:
    url, body = s.client.get("swebench", "leaderboards.json")
    doc = parse_json("swebench", "leaderboards.json", body)
    boards = doc.get("leaderboards") if isinstance(doc, dict) else None
    require_keys("swebench", "leaderboards.json", boards, ["name", "results"])
    for board in boards:
        require_keys("swebench", f"leaderboards.json [{board['name']}]", board["results"],
                     ["name", "date", "resolved", "os_model", "tags"])
        check_values("swebench", f"leaderboards.json [{board['name']}]", board["results"],
                     [Rule("name"), Rule("date", "date", optional=True),
                      Rule("resolved", "number", 0, 100, optional=True)], first=0)
    rows = swebench_rows(doc)
    rel = f"{swebench.DIR}/{swebench.FILE}"
    s.write_csv("swebench", rel, SWEBENCH_COLUMNS, rows, url, "per-task flags and logo/log links dropped; tags split")
    check_csv("swebench", swebench.FILE, (s.root / rel).read_bytes(), SWEBENCH_COLUMNS, s.previous(rel))


@dataclasses.dataclass(frozen=True)
class Source:
    name: str
    base_url: str
    run: Callable[[Snapshot], None]


def _runner(spec: sources.SourceSpec) -> Callable[[Snapshot], None]:
    """A source's fetch: its function in this module (SPEC.fetch), then the fixed files it carries over."""
    if spec.fetch and not callable(globals().get(spec.fetch)):
        raise ValueError(f"source '{spec.key}': SPEC.fetch names '{spec.fetch}', which pipeline/fetch.py lacks")
    download = globals()[spec.fetch] if spec.fetch else None

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
