"""SWE-bench leaderboards, snapshot 2025-12-10 (SOURCES.md section 11).

Metrics:
- ``swebench_bash_only``: % resolved on the bash-only leaderboard (every model in the same minimal
  mini-SWE-agent scaffold, so it compares models like for like).
- ``swebench_bash_only_cost_per_task``: ``instance_cost`` in USD per task of that run. A cost of 0
  (Gemini 2.0 Flash) means "not recorded", not free, and is skipped.
- ``swebench_verified``: % resolved on the Verified leaderboard, best submission per model. The
  scaffolds differ, so this is not a model-only score. Only submissions naming exactly one model in
  ``tag_model`` count; rows with several models ("a|b") or none cannot be attributed.

``source_id`` is the model as the leaderboard tags it (``tag_model``, or the submission ``name``
when the tag is empty), with a URL / provider prefix removed ("https://huggingface.co/zai-org/GLM-4.5"
and "openai/gpt-5-2025-08-07" -> "GLM-4.5", "gpt-5-2025-08-07") so one model gets one id.
``date`` = submission date; ``snapshot`` = the leaderboard file date. ``variant`` = the reasoning
effort named in a bash-only submission ("medium"), else "".

Openness: ``from_flag(os_model)``, with known errors of the self-declared flag fixed below.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from openclosed.openness import from_flag
from pipeline.common import MENTION_COLUMNS, SCORE_COLUMNS, SourceOutput, SourceSpec, frame, iso_date, read_csv, to_float
from pipeline.fetching import Rule, Snapshot, bool_text, check_csv, check_values, parse_json, require_keys

SOURCE = "swebench"
SPEC = SourceSpec(
    key=SOURCE,
    name="SWE-bench leaderboards (Verified and bash-only)",
    license="CC BY-NC 4.0",
    citation="SWE-bench, swebench.com (CC BY-NC 4.0)",
    snapshot="2025-12-10",
    files=("swebench/*",),
    base_url="https://raw.githubusercontent.com/SWE-bench/swe-bench.github.io/master/data",
    fetch="fetch", max_mb=20,
    name_priority=7, openness_priority=7, date_priority=5,
    main_metric="swebench_bash_only",
)
DIR = "swebench"
FILE = "swebench_leaderboards_2025-12-10.csv"
SNAPSHOT = "2025-12-10"

# The site's `os_model` flag is wrong for these models: Llama 4 Maverick and Scout have open weights
# (Llama 4 Community License) but their bash-only/Verified rows say False (SOURCES.md section 11).
OS_MODEL_FIXES = {
    "llama-4-maverick-instruct": True,
    "llama-4-scout-instruct": True,
}

# Verified tags that name a model family rather than a model: the submissions behind them are
# fine-tunes (SWE-agent-LM-32B, SWE-Fixer, ...), so their scores are not the tagged model's.
VAGUE_TAGS = {"Qwen 2.5", "Llama 3.1"}

_EFFORT = re.compile(r"\b(minimal|low|medium|high|xhigh)\b(?:\s+reasoning)?", re.I)


def model_id(tag_model: str, name: str = "") -> str:
    """The model id for a submission: tag_model without URL/provider prefix, else the name."""
    tag = str(tag_model or "").strip()
    if not tag:
        return str(name or "").strip()
    tag = re.sub(r"^https?://(www\.)?huggingface\.co/", "", tag)
    return tag.rstrip("/").split("/")[-1].strip()


def effort(name: str) -> str:
    m = _EFFORT.search(str(name or ""))
    return m.group(1).lower() if m else ""


def is_open(model: str, os_model: str) -> bool:
    """The os_model flag with the known errors fixed."""
    if model in OS_MODEL_FIXES:
        return OS_MODEL_FIXES[model]
    return str(os_model).strip().lower() == "true"


def load(raw: Path) -> SourceOutput:
    path = Path(raw) / DIR / FILE
    df = read_csv(path)
    df["row"] = range(len(df))
    df["date_iso"] = df["date"].map(iso_date)
    df["resolved_f"] = df["resolved"].map(to_float)

    scores: list[dict] = []
    meta: dict[str, dict] = {}

    # open if any of the model's rows (bash-only, or Verified with a single-model tag) says so
    flags: dict[str, bool] = {}
    for board, tag, name, flag in zip(df["leaderboard"], df["tag_model"], df["name"], df["os_model"]):
        if board == "bash-only" or (board == "Verified" and tag.strip() and "|" not in tag
                                    and tag.strip() not in VAGUE_TAGS):
            m = model_id(tag, name)
            flags[m] = flags.get(m, False) or is_open(m, flag)

    bash = df[df["leaderboard"] == "bash-only"].copy()
    bash["model"] = [model_id(t, n) for t, n in zip(bash["tag_model"], bash["name"])]
    bash["variant"] = bash["name"].map(effort)
    # one row per model and variant: the best resolved (ties: latest date, then file order)
    bash = bash.sort_values(["model", "variant", "resolved_f", "date_iso", "row"],
                            ascending=[True, True, False, False, True], kind="mergesort")
    bash = bash.drop_duplicates(["model", "variant"], keep="first")
    for r in bash.to_dict("records"):
        if pd.isna(r["resolved_f"]) or not r["model"]:
            continue
        base = {"source": SOURCE, "source_id": r["model"], "date": r["date_iso"], "snapshot": SNAPSHOT,
                "variant": r["variant"]}
        scores.append({**base, "metric": "swebench_bash_only", "value": r["resolved_f"]})
        cost = to_float(r["instance_cost"])
        if cost == cost and cost > 0:
            scores.append({**base, "metric": "swebench_bash_only_cost_per_task", "value": cost})
        meta.setdefault(r["model"], {
            "name": " ".join(_EFFORT.sub("", r["name"]).replace("()", "").split()) or r["model"],
            "organization": r["tag_org"].split("|")[0].strip(),
        })

    ver = df[(df["leaderboard"] == "Verified") & (df["tag_model"].str.strip() != "")
             & ~df["tag_model"].str.contains("|", regex=False)
             & ~df["tag_model"].str.strip().isin(VAGUE_TAGS)].copy()
    ver["model"] = [model_id(t) for t in ver["tag_model"]]
    ver = ver[ver["resolved_f"].notna() & (ver["model"] != "")]
    ver = ver.sort_values(["model", "resolved_f", "date_iso", "row"], ascending=[True, False, False, True],
                          kind="mergesort").drop_duplicates("model", keep="first")
    for r in ver.to_dict("records"):
        scores.append({"source": SOURCE, "source_id": r["model"], "metric": "swebench_verified",
                       "value": r["resolved_f"], "date": r["date_iso"], "snapshot": SNAPSHOT, "variant": ""})
        # Verified names are scaffold names ("OpenHands + X") and tag_org is often the scaffold's
        # org, so a model seen only on Verified keeps its id as name and no organization.
        meta.setdefault(r["model"], {"name": r["model"], "organization": ""})

    scores_df = frame(scores, SCORE_COLUMNS)
    if len(scores_df):
        scores_df = scores_df.sort_values(["source_id", "metric", "snapshot", "variant"],
                                          kind="mergesort").reset_index(drop=True)
    mentions = frame([{"source": SOURCE, "source_id": k, "name": v["name"], "organization": v["organization"],
                       "release_date": "", "openness": from_flag(flags.get(k, False)), "license": "", "country": ""}
                      for k, v in sorted(meta.items())], MENTION_COLUMNS)
    return SourceOutput(mentions=mentions, scores=scores_df)


# --- downloading a new snapshot (pipeline.fetch runs SPEC.fetch) ----------------------------

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
            row = {c: bool_text(r.get(c)) for c in SWEBENCH_COLUMNS}
            row.update(leaderboard=board["name"], tag_model=tag["Model"], tag_org=tag["Org"],
                       tag_system=tag["System"], tags="|".join(tags))
            rows.append(row)
    return rows


def fetch(s: Snapshot) -> None:
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
    rel = f"{DIR}/{FILE}"
    s.write_csv("swebench", rel, SWEBENCH_COLUMNS, rows, url, "per-task flags and logo/log links dropped; tags split")
    check_csv("swebench", FILE, (s.root / rel).read_bytes(), SWEBENCH_COLUMNS, s.previous(rel))
