"""The machinery of pipeline.fetch that each source's own ``fetch(snapshot)`` uses: GET with deadlines, retries and
size limits (Client), checks of a response (parses, columns, keys, value types and ranges, not much smaller than the
previous copy), and the snapshot being written (Snapshot: write, write_csv, carry, manifest rows). Every failure is a
FetchError naming the source."""
from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import hashlib
import http.client
import io
import json
import math
import re
import shutil
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

AA_KEY_ENV = "ARTIFICIAL_ANALYSIS_API_KEY"       # Artificial Analysis's API needs a key
USER_AGENT = "open-vs-closed-report/refresh (+https://github.com/)"
# A new copy with fewer than this share of the previous copy's rows is treated as truncated.
MIN_ROW_RATIO = 0.5
MB = 1_000_000
DEFAULT_MAX_BYTES = 20 * MB
MAX_ZIP_MEMBER = 60 * MB            # uncompressed size of one member of a fetched zip
MAX_ZIP_TOTAL = 200 * MB            # uncompressed size of all its members
CHUNK = 64 * 1024


def max_bytes() -> dict[str, int]:
    """Largest response accepted per source (bytes, its SPEC.max_mb): several times today's size (README of
    ../shared/raw), so growth passes and a runaway or hostile body is cut off instead of filling memory."""
    from pipeline import sources     # imported here: the registry imports the source modules, which import this
    return {spec.key: spec.max_mb * MB for spec in sources.SPECS.values() if spec.max_mb}


def licence(source: str) -> str:
    from pipeline import sources     # imported here, as in max_bytes
    return sources.SPECS[source].license if source in sources.SPECS else ""


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

    max_bytes: dict[str, int] = dataclasses.field(default_factory=lambda: max_bytes())

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

def body_text(source: str, name: str, body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FetchError(f"{source}: {name}: not UTF-8 text ({err.reason} at byte {err.start})") from None


def check_csv(source: str, name: str, body: bytes, required: list[str], previous: Path | None = None) -> int:
    """Rows of a CSV body; FetchError when it lacks a column, has short rows or shrank a lot."""
    rows = list(csv.reader(io.StringIO(body_text(source, name, body), newline="")))
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
        return json.loads(body_text(source, name, body))
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
    return list(csv.DictReader(io.StringIO(body_text(source, name, body), newline="")))


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
            "licence": licence(source),
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


def bool_text(value) -> str:
    return "" if value is None else str(value)


def flatten(obj: dict, prefix: str = "") -> dict[str, str]:
    """Nested dict -> {'a.b': text}; lists joined with '|', booleans as True/False, None as ''."""
    out: dict[str, str] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif isinstance(value, list):
            out[name] = "|".join(json.dumps(v) if isinstance(v, (dict, list)) else str(v) for v in value)
        else:
            out[name] = bool_text(value)
    return out


def columns_first(rows: list[dict], first: list[str]) -> list[str]:
    extra = sorted({k for r in rows for k in r} - set(first))
    return first + extra
