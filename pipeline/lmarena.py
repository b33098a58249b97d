"""LMArena (Chatbot Arena) text ratings over time, from three snapshot families (SOURCES.md section 9).

Families (the part of `snapshot` before the colon):
- ``jasontrigg0``: 9a, the official pickle exports, ``key``/``rating``/``License``, 2023-05 .. 2025-03.
- ``fboulnois``: 9b, leaderboard CSV exports; rating is ``arena_score`` or, in old rows, ``arena_elo``;
  95 % interval as text ("+5/-5"), 2024-06 .. 2025-08.
- ``arena_catalog``: 9c, LMArena's own repo, variant ``text`` (not style control), category ``full``,
  with q025/q975 bounds, 2025-03 .. 2025-12.
- ``leaderboard_dataset``: LMArena's official dataset (``lmarena-ai/leaderboard-dataset``), one folder per
  pull (``leaderboard_dataset_<date>/text.json``, rows ``{category, rank, model_name, organization, license,
  rating, rating_lower, rating_upper, ...}``), category ``overall`` of the plain ``text`` subset, dated at the
  board's ``leaderboard_publish_date``; found by folder name, so a newer pull needs no code change.

Ratings are only comparable within one snapshot, so every score row carries
``snapshot = "<family>:<YYYY-MM-DD>"`` and ``date`` = the snapshot date. To keep the table small we
keep one snapshot per calendar month per family: the last one of that month.

We use the plain text leaderboard ("default" view of 9a/9b, variant ``text`` of 9c), not style
control, because only 9c has style control and the three families must measure the same thing.

Model ids: ``source_id`` is the model key lower-cased with whitespace collapsed, so the same key
string in different families (9a ``key``, 9b ``model``, 9c ``model_key``) shares one id.
9b's later rows use display names ("Claude 3.5 Sonnet (20240620)"), which stay separate ids; the
cross-source matcher links them.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd

from openclosed.openness import from_license
from pipeline.common import MENTION_COLUMNS, SCORE_COLUMNS, SourceOutput, SourceSpec, frame, iso_date, read_csv
from pipeline.fetching import FetchError, Rule, Snapshot, check_values, parse_json, require_keys

SOURCE = "lmarena"
SPEC = SourceSpec(
    key=SOURCE,
    name="LMArena (Chatbot Arena) text ratings over time",
    license="LMArena data; collector repos MPL-2.0 / unstated",
    citation="LMArena, lmarena.ai (histories via jasontrigg0, fboulnois, lmarena/arena-catalog)",
    snapshot="2025-12-17",
    files=("lmarena/*",),
    base_url="https://raw.githubusercontent.com/lmarena/arena-catalog/main/data",
    fetch="fetch", max_mb=60,
    name_priority=6, openness_priority=4, date_priority=9,
    main_metric="lmarena_text",
)
METRIC = "lmarena_text"

DIR = "lmarena"
FILE_9A = "jasontrigg0_arena_elo_history_2023-05_2025-03.csv"
FILE_9B = "fboulnois_lmarena_text_history_2024-06_2025-08.csv"
FILE_9C = "arena_catalog_2025-12/arena_catalog_text_ratings_history.csv"
FILE_SCATTER = "arena_catalog_2025-12/scatterplot-data.json"
# The scatterplot file is part of the 2025-12-17 arena-catalog commit; its licence/org are the newest.
SCATTER_DATE = "2025-12-17"

_LICENSE_FIXES = {
    "propretary": "Proprietary",
    "apache-2.0": "Apache 2.0",
    "n/a": "",
}
_CI = re.compile(r"^\s*\+\s*([\d.]+)\s*/\s*-\s*([\d.]+)\s*$")


def norm_key(text: str) -> str:
    """The shared model id: lower case, surrounding whitespace removed, inner runs collapsed."""
    return " ".join(str(text).split()).lower()


def clean_license(text: str) -> str:
    """Fix spelling variants (Propretary, Apache-2.0) and drop placeholders (N/A)."""
    text = " ".join(str(text or "").split())
    return _LICENSE_FIXES.get(text.lower(), text)


def parse_ci(text: str) -> tuple[float, float]:
    """'+5/-7' -> (7.0, 5.0) = (minus, plus); NaNs when unparseable."""
    m = _CI.match(str(text or ""))
    if not m:
        return float("nan"), float("nan")
    return float(m.group(2)), float(m.group(1))


def _last_per_month(dates: pd.Series) -> list[str]:
    """The last ISO date of each calendar month among `dates`, sorted."""
    uniq = sorted(set(dates))
    last: dict[str, str] = {}
    for d in uniq:
        last[d[:7]] = d  # ascending order, so the last assignment is the month's last date
    return sorted(last.values())


def _rows_9a(path: Path) -> pd.DataFrame:
    df = read_csv(path)
    return pd.DataFrame({
        "family": "jasontrigg0",
        "date": df["date"].map(iso_date),
        "key": df["key"].map(norm_key),
        "name": df["Model"].str.strip(),
        "organization": df["Organization"].str.strip(),
        "license": df["License"].map(clean_license),
        "value": pd.to_numeric(df["rating"], errors="coerce"),
        "ci_low": float("nan"),
        "ci_high": float("nan"),
    })


def _rows_9b(path: Path) -> pd.DataFrame:
    df = read_csv(path)
    rating = df["arena_score"].where(df["arena_score"].str.strip() != "", df["arena_elo"])
    value = pd.to_numeric(rating, errors="coerce")
    ci = df["95_pct_ci"].map(parse_ci)
    minus = ci.map(lambda t: t[0])
    plus = ci.map(lambda t: t[1])
    return pd.DataFrame({
        "family": "fboulnois",
        "date": df["snapshot_date"].map(iso_date),
        "key": df["model"].map(norm_key),
        "name": df["model"].str.strip(),
        "organization": df["organization"].str.strip(),
        "license": df["license"].map(clean_license),
        "value": value,
        "ci_low": value - minus,
        "ci_high": value + plus,
    })


def _rows_9c(path: Path) -> pd.DataFrame:
    df = read_csv(path)
    df = df[(df["variant"] == "text") & (df["category"] == "full")]
    return pd.DataFrame({
        "family": "arena_catalog",
        "date": df["snapshot_date"].map(iso_date),
        "key": df["model_key"].map(norm_key),
        "name": df["model_key"].str.strip(),
        "organization": "",
        "license": "",
        "value": pd.to_numeric(df["rating"], errors="coerce"),
        "ci_low": pd.to_numeric(df["rating_q025"], errors="coerce"),
        "ci_high": pd.to_numeric(df["rating_q975"], errors="coerce"),
    })


DATASET_PULLS = "leaderboard_dataset_*/text.json"


def _rows_dataset(path: Path) -> pd.DataFrame:
    doc = json.loads(path.read_text(encoding="utf-8"))
    meta = doc.get("meta") or {}
    date = iso_date(meta.get("leaderboard_publish_date") or path.parent.name.rsplit("_", 1)[-1])
    rows = [r for r in doc.get("rows") or [] if r.get("category") == "overall"]
    df = pd.DataFrame(rows, columns=["model_name", "organization", "license", "rating", "rating_lower", "rating_upper"])
    return pd.DataFrame({
        "family": "leaderboard_dataset",
        "date": date,
        "key": df["model_name"].map(norm_key),
        "name": df["model_name"].astype(str).str.strip(),
        "organization": df["organization"].fillna("").astype(str).str.strip(),
        "license": df["license"].map(clean_license),
        "value": pd.to_numeric(df["rating"], errors="coerce"),
        "ci_low": pd.to_numeric(df["rating_lower"], errors="coerce"),
        "ci_high": pd.to_numeric(df["rating_upper"], errors="coerce"),
    })


def _scatter(path: Path) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame(columns=["family", "date", "key", "name", "organization", "license"])
    items = json.loads(path.read_text())
    rows = [{
        "family": "scatterplot",
        "date": SCATTER_DATE,
        "key": norm_key(it.get("model_api_name", "")),
        "name": str(it.get("name", "") or "").strip(),
        "organization": str(it.get("organization", "") or "").strip(),
        "license": clean_license(it.get("license", "")),
    } for it in items if it.get("model_api_name")]
    return pd.DataFrame(rows)


def _latest_nonempty(meta: pd.DataFrame, col: str) -> pd.Series:
    """Per key, the newest non-empty value of `col` (ties broken by family order, then file order)."""
    sub = meta[meta[col] != ""]
    sub = sub.sort_values(["key", "date", "order", "row"], kind="mergesort")
    return sub.groupby("key", sort=True)[col].last()


CONTINUOUS_DAYS = 45   # first-seen is a release proxy only with an earlier snapshot at most this long before it


def _first_seen_release(allrows: pd.DataFrame) -> pd.Series:
    """Per key, the first snapshot date it appears on, or '' when no snapshot of any family falls within
    CONTINUOUS_DAYS before it: a key first seen on the tracker's first day, or after a gap in the copies (the
    Aug 2026 dataset pull follows the Dec 2025 catalog), may have been released long before, so that date is a
    listing artefact, never a release date."""
    first = allrows.groupby("key")["date"].min()
    dates = pd.to_datetime(pd.Series(sorted(set(allrows["date"]))))

    def continuous(day: str) -> bool:
        ts = pd.Timestamp(day)
        return bool(((dates < ts) & (dates >= ts - pd.Timedelta(days=CONTINUOUS_DAYS))).any())

    ok = {d: continuous(d) for d in set(first)}
    return first.where(first.map(ok), "")


def load(raw: Path) -> SourceOutput:
    base = Path(raw) / DIR
    parts = []
    for fn, reader in ((FILE_9A, _rows_9a), (FILE_9B, _rows_9b), (FILE_9C, _rows_9c)):
        if (base / fn).exists():
            parts.append(reader(base / fn))
    parts += [_rows_dataset(path) for path in sorted(base.glob(DATASET_PULLS))]
    if not parts:
        return SourceOutput(mentions=frame([], MENTION_COLUMNS), scores=frame([], SCORE_COLUMNS))
    allrows = pd.concat(parts, ignore_index=True)
    allrows = allrows[(allrows["date"] != "") & (allrows["key"] != "") & allrows["value"].notna()]
    allrows = allrows.reset_index(drop=True)
    allrows["row"] = range(len(allrows))

    # scores: last snapshot of each month per family; one row per key and snapshot (the file
    # repeats a few rows verbatim, e.g. Yi-34B-Chat; keep the first occurrence)
    kept = []
    for fam, grp in allrows.groupby("family", sort=True):
        months = set(_last_per_month(grp["date"]))
        kept.append(grp[grp["date"].isin(months)])
    sc = pd.concat(kept, ignore_index=True).sort_values("row", kind="mergesort")
    sc = sc.drop_duplicates(["family", "date", "key"], keep="first")
    scores = pd.DataFrame({
        "source": SOURCE,
        "source_id": sc["key"],
        "metric": METRIC,
        "value": sc["value"].astype(float),
        "date": sc["date"],
        "snapshot": sc["family"] + ":" + sc["date"],
        "variant": "",
        "stderr": float("nan"),
        "ci_low": sc["ci_low"].astype(float),
        "ci_high": sc["ci_high"].astype(float),
    })
    scores = frame(scores, SCORE_COLUMNS).sort_values(
        ["source_id", "metric", "snapshot", "variant"], kind="mergesort").reset_index(drop=True)

    # mentions: metadata from every snapshot (not only the kept ones) plus the scatterplot file
    family_order = {"jasontrigg0": 0, "fboulnois": 1, "arena_catalog": 2, "scatterplot": 3, "leaderboard_dataset": 4}
    meta = pd.concat([allrows[["family", "date", "key", "name", "organization", "license", "row"]],
                      _scatter(base / FILE_SCATTER)], ignore_index=True)
    meta["row"] = meta["row"].fillna(-1).astype(int)
    meta["order"] = meta["family"].map(family_order)
    for col in ("name", "organization", "license"):
        meta[col] = meta[col].fillna("").astype(str)
    keys = sorted(set(scores["source_id"]))
    first_seen = _first_seen_release(allrows)
    names = _latest_nonempty(meta[~meta["family"].isin(["arena_catalog", "leaderboard_dataset"])], "name")
    orgs = _latest_nonempty(meta, "organization")
    lics = _latest_nonempty(meta, "license")
    mentions = pd.DataFrame({
        "source": SOURCE,
        "source_id": keys,
        "name": [names.get(k, k) for k in keys],
        "organization": [orgs.get(k, "") for k in keys],
        # release_date: the first snapshot date the key appears in any family, a proxy for the release
        # date (Arena adds models days to weeks after release), kept only where the tracker was running
        # (see _first_seen_release)
        "release_date": [first_seen.get(k, "") for k in keys],
        "license": [lics.get(k, "") for k in keys],
        "country": "",
    })
    mentions["openness"] = mentions["license"].map(from_license)
    mentions = frame(mentions, MENTION_COLUMNS).sort_values("source_id", kind="mergesort").reset_index(drop=True)
    return SourceOutput(mentions=mentions, scores=scores)


# --- downloading a new snapshot (pipeline.fetch runs SPEC.fetch) ----------------------------

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


def fetch(s: Snapshot) -> None:
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
    folder = Path(FILE_9C).parent.as_posix()
    s.write_csv("lmarena", f"lmarena/{folder}/arena_catalog_text_ratings_latest.csv", LMARENA_COLUMNS, latest, url,
                "every category of today's leaderboard JSON")
    hist_rel = f"lmarena/{FILE_9C}"
    old = s.previous(hist_rel)
    history = list(csv.DictReader(open(old, encoding="utf-8", newline=""))) if old.exists() else []
    history = [r for r in history if r["snapshot_date"] != s.date]
    history += [r for r in latest if r["category"] in LMARENA_CATEGORIES]
    s.write_csv("lmarena", hist_rel, LMARENA_COLUMNS, history, url, "previous history plus today's snapshot")
    url, body = s.client.get("lmarena", "scatterplot-data.json")
    scatter = parse_json("lmarena", "scatterplot-data.json", body)
    require_keys("lmarena", "scatterplot-data.json", scatter, ["name", "model_api_name", "organization", "license"])
    check_values("lmarena", "scatterplot-data.json", scatter, [Rule("name")], first=0)
    s.write("lmarena", f"lmarena/{FILE_SCATTER}", body, url)
    for file in (FILE_9A, FILE_9B):
        s.carry("lmarena", f"lmarena/{file}", "historical snapshot family, closed")
