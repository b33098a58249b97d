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
import re
from pathlib import Path

import pandas as pd

from pipeline.common import MENTION_COLUMNS, PRICE_COLUMNS, SCORE_COLUMNS, SourceOutput, frame, iso_date

SOURCE = "artificial_analysis"
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
    with open(Path(raw) / "artificial_analysis" / FILE, encoding="utf-8") as fh:
        entries = json.load(fh)["data"]
    entries = sorted(entries, key=lambda e: (str(e.get("slug", "")), str(e.get("name", "")), str(e.get("id", ""))))
    mentions, scores, prices, speed = [], [], [], []
    for sid, e in zip(_source_ids(entries), entries):
        name, variant = split_variant(e.get("name", ""))
        date = iso_date(e.get("release_date"))
        creator = e.get("model_creator") or {}
        # the full name (with its setting) goes to the matcher: "(Reasoning)" can name its own checkpoint
        mentions.append({"source": SOURCE, "source_id": sid, "name": str(e.get("name", "")).strip(),
                         "organization": str(creator.get("name") or ""), "release_date": date,
                         "openness": "", "license": "", "country": ""})
        for field, value in sorted((e.get("evaluations") or {}).items()):
            v = _num(value)
            if v != v:
                continue
            metric = INDEX_METRICS.get(field)
            if metric is None:
                metric, v = f"aa_{field}", round(v * 100, 10)
            scores.append({"source": SOURCE, "source_id": sid, "metric": metric, "value": v, "date": date,
                           "snapshot": SNAPSHOT, "variant": variant})
        pricing = e.get("pricing") or {}
        inp, out = _num(pricing.get("price_1m_input_tokens")), _num(pricing.get("price_1m_output_tokens"))
        if inp > 0 and out > 0:
            prices.append({"source": SOURCE, "source_id": sid, "price_kind": "aa_reference",
                           "provider": "artificial_analysis", "input_usd_per_mtok": inp,
                           "output_usd_per_mtok": out, "as_of": SNAPSHOT})
        tps = _num(e.get("median_output_tokens_per_second"))
        ttft = _num(e.get("median_time_to_first_token_seconds"))
        ttfa = _num(e.get("median_time_to_first_answer_token"))
        tps, ttft, ttfa = (x if x > 0 else float("nan") for x in (tps, ttft, ttfa))
        if tps == tps or ttft == ttft:
            speed.append({"source_id": sid, "median_output_tokens_per_second": tps,
                          "median_time_to_first_token_seconds": ttft,
                          "median_time_to_first_answer_token_seconds": ttfa})
    return SourceOutput(
        mentions=frame(mentions, MENTION_COLUMNS).sort_values("source_id").reset_index(drop=True),
        scores=frame(scores, SCORE_COLUMNS).sort_values(["source_id", "metric"]).reset_index(drop=True),
        prices=frame(prices, PRICE_COLUMNS).sort_values("source_id").reset_index(drop=True),
        extra={"aa_speed": pd.DataFrame(speed, columns=SPEED_COLUMNS).sort_values("source_id").reset_index(drop=True)},
    )
