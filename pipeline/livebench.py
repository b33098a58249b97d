"""LiveBench leaderboard tables (SOURCES.md section 10).

For every ``table_<release>.csv`` we compute, per model, the mean of the task columns of each
category (categories from ``categories_<release>.json``) and ``overall`` = mean of the category
means, as livebench.ai does (``src/Table/Averaging.js``: a category mean skips empty task cells;
the overall mean is over categories). A category with no scored task is left out; when that
happens the overall is not computed for the model (the site would show a broken number).

Scores: ``livebench_overall`` and ``livebench_<category>``; ``snapshot`` = the release date of the
table (YYYY-MM-DD); ``date`` = the model's version date or first-seen date from
``livebench_model_links.csv`` when known, else the release date.

Openness: ``openweight == "True"`` -> ``from_flag(True)``; a model listed in the links file without
the flag -> ``"api"``. This is ambiguous: an empty flag means "closed or not marked", and a few
older open models are listed unflagged. Models missing from the links file get ``""``.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd

from openclosed.openness import from_flag
from pipeline.common import MENTION_COLUMNS, SCORE_COLUMNS, SourceOutput, SourceSpec, frame, iso_date, read_csv
from pipeline.fetching import FetchError, Rule, Snapshot, body_text, check_csv, check_values, csv_rows, parse_json

SOURCE = "livebench"
SPEC = SourceSpec(
    key=SOURCE,
    name="LiveBench leaderboard tables",
    license="Apache-2.0 / CC (LiveBench)",
    citation="White et al., 'LiveBench', 2024; livebench.ai",
    snapshot="2026-07-01",
    files=("livebench/*",),
    base_url="https://livebench.ai",
    fetch="fetch", max_mb=20,
    name_priority=5, openness_priority=5, date_priority=6,
    main_metric="livebench_overall",
)
DIR = "livebench"
LINKS = "livebench_model_links.csv"

CATEGORY_KEYS = {
    "Reasoning": "reasoning",
    "Coding": "coding",
    "Agentic Coding": "agentic_coding",
    "Mathematics": "mathematics",
    "Data Analysis": "data_analysis",
    "Language": "language",
    "IF": "instruction_following",
    "Instruction Following": "instruction_following",
}
_TABLE = re.compile(r"^table_(\d{4})_(\d{2})_(\d{2})\.csv$")
_DATEISH = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def category_key(name: str) -> str:
    """Site category name -> metric suffix (unknown names are snake-cased)."""
    return CATEGORY_KEYS.get(name.strip(), re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_"))


def _date_or_empty(text: str) -> str:
    """An ISO date from a YYYY-MM(-DD) string; '' for other spellings such as '001'."""
    text = str(text or "").strip()
    return iso_date(text) if _DATEISH.match(text) else ""


def category_scores(table: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    """Per model: one column per category key (mean of its tasks, NaN skipped) and `overall`.

    `table` has a `model` column and numeric task columns. `overall` is the mean of the category
    means, NaN when any category has no score.
    """
    out = pd.DataFrame({"model": table["model"].astype(str).str.strip()})
    cat_cols = []
    for cat in categories:  # file order
        key = category_key(cat)
        tasks = [t for t in categories[cat] if t in table.columns]
        vals = table[tasks].apply(pd.to_numeric, errors="coerce") if tasks else pd.DataFrame(index=table.index)
        out[key] = vals.mean(axis=1, skipna=True) if tasks else float("nan")
        cat_cols.append(key)
    out["overall"] = out[cat_cols].mean(axis=1, skipna=False)
    return out


def _links(base: Path) -> pd.DataFrame:
    path = base / LINKS
    if not path.exists():
        return pd.DataFrame(columns=["model_key", "displayName", "organization", "openweight", "version",
                                     "first_seen_in_table"])
    df = read_csv(path)
    df["model_key"] = df["model_key"].str.strip()
    return df.drop_duplicates("model_key", keep="first").set_index("model_key", drop=False)


def load(raw: Path) -> SourceOutput:
    base = Path(raw) / DIR
    links = _links(base)
    tables = sorted(p for p in base.glob("table_*.csv") if _TABLE.match(p.name))

    def model_date(key: str) -> str:
        if key in links.index:
            row = links.loc[key]
            return _date_or_empty(row["version"]) or _date_or_empty(row["first_seen_in_table"])
        return ""

    rows = []
    seen: list[str] = []
    for path in tables:
        y, mo, d = _TABLE.match(path.name).groups()
        release = f"{y}-{mo}-{d}"
        cat_path = base / f"categories_{y}_{mo}_{d}.json"
        categories = json.loads(cat_path.read_text())
        table = read_csv(path)
        wide = category_scores(table, categories)
        for rec in wide.to_dict("records"):
            key = rec.pop("model")
            if not key:
                continue
            seen.append(key)
            date = model_date(key) or release
            for metric_suffix, value in rec.items():
                if pd.isna(value):
                    continue
                rows.append({"source": SOURCE, "source_id": key, "metric": f"livebench_{metric_suffix}",
                             "value": float(value), "date": date, "snapshot": release, "variant": ""})
    scores = frame(rows, SCORE_COLUMNS)
    if len(scores):
        scores = scores.sort_values(["source_id", "metric", "snapshot"], kind="mergesort").reset_index(drop=True)

    mentions = []
    for key in sorted(set(seen)):
        if key in links.index:
            row = links.loc[key]
            flag = str(row["openweight"]).strip()
            openness = from_flag(True) if flag == "True" else "api"
            mentions.append({
                "source": SOURCE, "source_id": key,
                "name": str(row["displayName"]).strip() or key,
                "organization": str(row["organization"]).strip(),
                "release_date": model_date(key),
                "openness": openness,
            })
        else:
            mentions.append({"source": SOURCE, "source_id": key, "name": key, "organization": "",
                             "release_date": "", "openness": ""})
    mentions = frame(mentions, MENTION_COLUMNS)
    return SourceOutput(mentions=mentions, scores=scores)


# --- downloading a new snapshot (pipeline.fetch runs SPEC.fetch) ----------------------------

def fetch(s: Snapshot) -> None:
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
        header = next(csv.reader(io.StringIO(body_text("livebench", f"table_{release}.csv", body))), [])
        if not any(t in header for t in tasks):
            raise FetchError(f"livebench: table_{release}.csv: none of the task columns of its categories file")
        check_csv("livebench", f"table_{release}.csv", body, ["model"], s.previous(f"livebench/table_{release}.csv"))
        check_values("livebench", f"table_{release}.csv", csv_rows("livebench", f"table_{release}.csv", body),
                     [Rule("model")] + [Rule(t, "number", 0, 100, optional=True) for t in tasks if t in header])
        s.write("livebench", f"livebench/table_{release}.csv", body, url)
    s.carry("livebench", "livebench/livebench_model_links.csv", "parsed from the site's modelLinks.js; not refetched")
