"""Artificial Analysis free-API dump (raw/artificial_analysis/aa_api_models_2026-07-31.json).

Mentions: one row per AA entry; source_id = AA `slug` (unique in this snapshot; if a later file
repeats a slug, the second gets "slug|full name"). A trailing parenthetical that names a reasoning
setting ("high", "Non-reasoning", "Adaptive Reasoning, Max Effort" ...) is cut from the name and
stored as the score `variant` (the mention keeps the full name: the matcher decides whether the
setting is a mode of one checkpoint or names its own, as Qwen3's "2507 (Reasoning)" does); other parentheticals (dates such as "(Sep '25)", "(Preview)",
"(Vision)") stay in the name. AA has no open-weights field: openness is "".
organization = model_creator.name.

Scores (snapshot "2026-07-31", date = the entry's release_date): `aa_intelligence_index`,
`aa_coding_index`, `aa_math_index` on AA's native scale (v4.1), and `aa_<field>` for every
component in `evaluations` (fractions stored x100 as percentages). Nulls are skipped.
Prices: kind `aa_reference`, provider "artificial_analysis", as_of 2026-07-31, only where input and
output prices are > 0 (211 entries carry 0/0, i.e. no reference price).
Extra table `aa_speed`: source_id, median_output_tokens_per_second,
median_time_to_first_token_seconds, median_time_to_first_answer_token_seconds; AA writes 0 for
"not measured" (419 entries), so 0 becomes NaN and entries with no positive speed are left out.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd

from pipeline.common import MENTION_COLUMNS, PRICE_COLUMNS, SCORE_COLUMNS, SourceOutput, SourceSpec, frame, iso_date
from pipeline.fetching import AA_KEY_ENV, Rule, Snapshot, check_values, parse_json, require_keys

SOURCE = "artificial_analysis"
SPEC = SourceSpec(
    key=SOURCE,
    name="Artificial Analysis free data API (models, v4.1 Intelligence Index, prices)",
    license="Attribution required (Artificial Analysis terms of use)",
    citation="Artificial Analysis, artificialanalysis.ai",
    snapshot="2026-07-31",
    files=("artificial_analysis/aa_api_models_*.json",),
    base_url="https://artificialanalysis.ai/api/v2",
    fetch="fetch", max_mb=40,
    name_priority=2, openness_priority=9, date_priority=3,
    main_metric="aa_intelligence_index",
)
SNAPSHOT = "2026-07-31"
FILE = "aa_api_models_2026-07-31.json"

INDEX_METRICS = {
    "artificial_analysis_intelligence_index": "aa_intelligence_index",
    "artificial_analysis_coding_index": "aa_coding_index",
    "artificial_analysis_math_index": "aa_math_index",
}
SPEED_COLUMNS = ["source_id", "median_output_tokens_per_second", "median_time_to_first_token_seconds",
                 "median_time_to_first_answer_token_seconds"]

_VARIANT = re.compile(
    r"^(?:adaptive\s+)?(?:non-?\s?reasoning|reasoning|thinking|low|medium|high|xhigh|max|minimal)\b"
    r"|\beffort\b",
    re.I,
)
_TRAILING = re.compile(r"^(?P<name>.*?)\s*\((?P<paren>[^()]*)\)\s*$")


def split_variant(name: str) -> tuple[str, str]:
    """'gpt-oss-120b (high)' -> ('gpt-oss-120b', 'high'); non-setting parentheticals stay."""
    name = str(name).strip()
    m = _TRAILING.match(name)
    if m and _VARIANT.search(m.group("paren").strip()):
        return m.group("name").strip(), m.group("paren").strip()
    return name, ""


def _num(value) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return out


SNAPSHOT_FILES = {"aa_api_models_*.json": "data", "aa_api_models_reshaped_*.json": "models"}
_DATED = re.compile(r"_(\d{4}-\d{2}-\d{2})\.json$")


def snapshot_files(raw: Path) -> dict[str, tuple[Path, str]]:
    """snapshot date -> (file, list key); found by name, so a newer pull flows through with no code change.
    Two pulls of one date: the reshaped daily pull (a superset of fields) wins."""
    found: dict[str, tuple[Path, str]] = {}
    for pattern, key in SNAPSHOT_FILES.items():
        for path in sorted((Path(raw) / "artificial_analysis").glob(pattern)):
            m = _DATED.search(path.name)
            if m and ("reshaped" in path.name) == (key == "models"):
                found[m.group(1)] = (path, key)
    return dict(sorted(found.items()))


def _as_api_entry(e: dict) -> dict:
    """A reshaped pull's entry (creator_slug/creator_name, speed{}) in the API's own shape."""
    if "model_creator" in e:
        return e
    speed = e.get("speed") or {}
    return {**e, "model_creator": {"name": e.get("creator_name"), "slug": e.get("creator_slug")},
            "median_output_tokens_per_second": speed.get("output_tokens_per_second"),
            "median_time_to_first_token_seconds": speed.get("ttft_seconds"),
            "median_time_to_first_answer_token": speed.get("ttfat_seconds")}


def read_snapshots(raw: Path) -> dict[str, list[dict]]:
    out = {}
    for snap, (path, key) in snapshot_files(raw).items():
        with open(path, encoding="utf-8") as fh:
            entries = [_as_api_entry(e) for e in json.load(fh)[key]]
        out[snap] = sorted(entries, key=lambda e: (str(e.get("slug", "")), str(e.get("name", "")), str(e.get("id", ""))))
    return out


def _source_ids(entries: list[dict]) -> list[str]:
    seen: set[str] = set()
    out = []
    for e in entries:
        sid = str(e.get("slug") or "").strip() or str(e.get("name", "")).strip()
        if sid in seen:
            sid = f"{sid}|{str(e.get('name', '')).strip()}"
        seen.add(sid)
        out.append(sid)
    return out


def load(raw: Path) -> SourceOutput:
    """Scores from every pull (each names its snapshot: AA re-scales its index between pulls); mentions, prices
    and speed from the newest pull, older pulls filling models it lacks. A model keeps one source id across pulls:
    its newest slug (AA renames a slug when a newer checkpoint takes the name: deepseek-v4-pro -> -0424)."""
    pulls = read_snapshots(raw)
    newest = max(pulls)
    ids: dict[str, str] = {}
    for snap in sorted(pulls, reverse=True):
        for sid, e in zip(_source_ids(pulls[snap]), pulls[snap]):
            ids.setdefault(str(e.get("id") or sid), sid)
    mentions, scores, prices, speed = [], [], [], []
    mentioned: set[str] = set()
    for snap in sorted(pulls, reverse=True):
        for e in pulls[snap]:
            sid = ids[str(e.get("id") or "")] if e.get("id") else _source_ids([e])[0]
            _scores(e, sid, snap, scores)
            if sid in mentioned:
                continue
            mentioned.add(sid)
            mentions.append(_mention(e, sid))
            if snap == newest:
                _price_and_speed(e, sid, snap, prices, speed)
    return SourceOutput(
        mentions=frame(mentions, MENTION_COLUMNS).sort_values("source_id").reset_index(drop=True),
        scores=frame(scores, SCORE_COLUMNS).sort_values(["source_id", "snapshot", "metric"]).reset_index(drop=True),
        prices=frame(prices, PRICE_COLUMNS).sort_values("source_id").reset_index(drop=True),
        extra={"aa_speed": pd.DataFrame(speed, columns=SPEED_COLUMNS).sort_values("source_id").reset_index(drop=True)},
    )


def _mention(e: dict, sid: str) -> dict:
    # the full name (with its setting) goes to the matcher: "(Reasoning)" can name its own checkpoint
    creator = e.get("model_creator") or {}
    return {"source": SOURCE, "source_id": sid, "name": str(e.get("name", "")).strip(),
            "organization": str(creator.get("name") or ""), "release_date": iso_date(e.get("release_date")),
            "openness": "", "license": "", "country": ""}


def _scores(e: dict, sid: str, snapshot: str, out: list[dict]) -> None:
    _, variant = split_variant(e.get("name", ""))
    date = iso_date(e.get("release_date"))
    for field, value in sorted((e.get("evaluations") or {}).items()):
        v = _num(value)
        if v != v:
            continue
        metric = INDEX_METRICS.get(field)
        if metric is None:
            metric, v = f"aa_{field}", round(v * 100, 10)
        out.append({"source": SOURCE, "source_id": sid, "metric": metric, "value": v, "date": date,
                    "snapshot": snapshot, "variant": variant})


def _price_and_speed(e: dict, sid: str, snapshot: str, prices: list[dict], speed: list[dict]) -> None:
    pricing = e.get("pricing") or {}
    inp, out = _num(pricing.get("price_1m_input_tokens")), _num(pricing.get("price_1m_output_tokens"))
    if inp > 0 and out > 0:
        prices.append({"source": SOURCE, "source_id": sid, "price_kind": "aa_reference",
                       "provider": "artificial_analysis", "input_usd_per_mtok": inp,
                       "output_usd_per_mtok": out, "as_of": snapshot})
    tps = _num(e.get("median_output_tokens_per_second"))
    ttft = _num(e.get("median_time_to_first_token_seconds"))
    ttfa = _num(e.get("median_time_to_first_answer_token"))
    tps, ttft, ttfa = (x if x > 0 else float("nan") for x in (tps, ttft, ttfa))
    if tps == tps or ttft == ttft:
        speed.append({"source_id": sid, "median_output_tokens_per_second": tps,
                      "median_time_to_first_token_seconds": ttft,
                      "median_time_to_first_answer_token_seconds": ttfa})


# --- downloading a new snapshot (pipeline.fetch runs SPEC.fetch) ----------------------------

AA_KEYS = ["name", "slug", "release_date", "model_creator", "evaluations", "pricing"]


def fetch(s: Snapshot) -> None:
    rel = f"artificial_analysis/{FILE}"
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
