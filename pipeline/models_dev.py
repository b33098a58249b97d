"""models.dev community catalog (raw/models_dev/, snapshot 2026-07-02).

Mentions: one row per lab model file (`models_dev_lab_models.csv`), source_id = `lab_model_id`
(e.g. "openai/gpt-5"). Embedding, reranker, image, speech (TTS / Whisper) models are skipped: the
report is about text LLMs. Openness: the lab file's `license` via `from_license` when present,
else `from_flag(open_weights)`.

Prices (`models_dev_provider_models.csv`, USD per million tokens, as of 2026-07-02):
- a provider row is mapped to a lab model by its `lab_model_id` (= `base_model`) when set, else by
  its `model_id` (last path segment, lower-cased, "." and "_" read as "-", ":suffix" cut) equal to
  the lab model's id segment normalised the same way, or equal to it after a "<lab>-" prefix
  (e.g. "openai.gpt-oss-120b" at a cloud);
- `lab_list`: the lab's own first-party provider (LAB_PROVIDERS, first match in that order wins).
  Deprecated first-party rows are kept: a deprecated model's list price is still its list price;
- `cheapest_host`: the row with the lowest blended price (3 input : 1 output) over the providers
  that count as a host for this model (`pipeline.hosts`, curated in `pipeline/curated/hosts.csv`:
  the lab and inference providers serving the weights; never resellers, routers or subscription
  plans; for closed-weights models only the lab and licensed clouds), excluding zero/empty prices
  (free tiers, `:free` ids) and `status == deprecated`. Ties are broken by provider id.
Both need input and output > 0. `cache_read_usd_per_mtok` is taken from the same row (NaN if none).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from openclosed.openness import from_flag, from_license
from pipeline import hosts as host_table
from pipeline.common import MENTION_COLUMNS, PRICE_COLUMNS, SourceOutput, SourceSpec, frame, iso_date, read_csv, to_float
from pipeline.fetching import (
    FetchError, Rule, Snapshot, check_values, columns_first, flatten, parse_json, require_keys, require_share
)

SOURCE = "models_dev"
SPEC = SourceSpec(
    key=SOURCE,
    name="models.dev community model and price catalog",
    license="MIT",
    citation="models.dev (anomalyco/models.dev)",
    snapshot="2026-07-02",
    files=("models_dev/*",),
    base_url="https://models.dev",
    fetch="fetch", max_mb=60,
    name_priority=3, openness_priority=3, date_priority=7,
)
AS_OF = "2026-07-02"

# lab (first segment of lab_model_id) -> its own API provider ids, preferred first.
LAB_PROVIDERS: dict[str, tuple[str, ...]] = {
    "alibaba": ("alibaba", "alibaba-cn"),
    "anthropic": ("anthropic",),
    "cohere": ("cohere",),
    "deepseek": ("deepseek",),
    "google": ("google",),
    "meta": ("llama",),
    "minimax": ("minimax", "minimax-cn"),
    "mistral": ("mistral",),
    "moonshotai": ("moonshotai", "moonshotai-cn"),
    "nvidia": ("nvidia",),
    "openai": ("openai",),
    "perplexity": ("perplexity",),
    "sakana": ("sakana",),
    "sarvam": ("sarvam",),
    "stepfun": ("stepfun", "stepfun-ai"),
    "tencent": ("tencent-tokenhub",),
    "xai": ("xai",),
    "xiaomi": ("xiaomi",),
    "zhipuai": ("zai", "zhipuai"),
}

# lab id -> organisation display name (as the labs name themselves).
LAB_NAMES: dict[str, str] = {
    "alibaba": "Alibaba",
    "anthropic": "Anthropic",
    "cohere": "Cohere",
    "deepreinforce": "DeepReinforce",
    "deepseek": "DeepSeek",
    "google": "Google",
    "meta": "Meta",
    "minimax": "MiniMax",
    "mistral": "Mistral AI",
    "moonshotai": "Moonshot AI",
    "nvidia": "NVIDIA",
    "openai": "OpenAI",
    "perplexity": "Perplexity",
    "sakana": "Sakana AI",
    "sarvam": "Sarvam AI",
    "stepfun": "StepFun",
    "tencent": "Tencent",
    "xai": "xAI",
    "xiaomi": "Xiaomi",
    "zhipuai": "Zhipu AI",
}

_NON_LLM = re.compile(r"embed|rerank|image|tts|whisper", re.I)


def norm_key(model_id: str) -> str:
    """Matching key of a model id: last path segment, lower-case, '.'/'_' -> '-', no ':free' suffix."""
    text = str(model_id).strip().lower().rsplit("/", 1)[-1]
    text = text.split(":", 1)[0]
    return text.replace(".", "-").replace("_", "-")


def is_text_llm(row: dict) -> bool:
    outputs = str(row.get("modalities.output", "")).split("|")
    inputs = str(row.get("modalities.input", "")).split("|")
    if "text" not in outputs or "text" not in inputs:
        return False
    return not _NON_LLM.search(str(row.get("lab_model_id", "")))


def weights_link(row: dict) -> str:
    """The lab file's link to the released weights: its `weights` entry, else a Hugging Face model card."""
    for column in ("weights", "links"):
        try:
            entries = json.loads(str(row.get(column, "") or "[]"))
        except ValueError:
            continue
        for e in entries if isinstance(entries, list) else []:
            url = str(e.get("url", "")) if isinstance(e, dict) else ""
            if url and (column == "weights" or "huggingface.co/" in url):
                return url
    return ""


def _mentions(lab: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in lab.to_dict("records"):
        license_text = r.get("license", "").strip()
        openness = _lab_openness(r)
        rows.append({
            "source": SOURCE,
            "source_id": r["lab_model_id"],
            "name": r["name"].strip() or r["lab_model_id"].split("/", 1)[-1],
            "organization": LAB_NAMES.get(r["lab"], r["lab"]),
            "release_date": iso_date(r["release_date"]),
            "openness": openness,
            "license": license_text,
            "country": "",
            "weights": weights_link(r),
        })
    return frame(rows, MENTION_COLUMNS).sort_values("source_id").reset_index(drop=True)


def map_to_lab(providers: pd.DataFrame, lab_ids: list[str]) -> pd.Series:
    """Lab model id of every provider row ('' when none)."""
    by_key = {norm_key(i): i for i in sorted(lab_ids)}
    labs = sorted({i.split("/", 1)[0].lower() for i in lab_ids})
    known = set(lab_ids)
    out = []
    for lab_model_id, model_id in zip(providers["lab_model_id"], providers["model_id"]):
        if lab_model_id and lab_model_id in known:
            out.append(lab_model_id)
            continue
        key = norm_key(model_id)
        match = by_key.get(key, "")
        if not match:
            # "openai-gpt-oss-120b" / "openai.gpt-oss-120b": the lab's own name used as a prefix
            for lab in labs:
                hit = by_key.get(key[len(lab) + 1:], "") if key.startswith(lab + "-") else ""
                if hit and hit.split("/", 1)[0].lower() == lab:
                    match = hit
                    break
        out.append(match)
    return pd.Series(out, index=providers.index, dtype=str)


def _price_row(r: dict, kind: str, lab_model_id: str) -> dict:
    cache = to_float(r.get("cost.cache_read", ""))
    return {
        "source": SOURCE,
        "source_id": lab_model_id,
        "price_kind": kind,
        "provider": r["provider_id"],
        "input_usd_per_mtok": r["_in"],
        "output_usd_per_mtok": r["_out"],
        "cache_read_usd_per_mtok": cache if cache == cache and cache >= 0 else float("nan"),
        "as_of": AS_OF,
    }


def _lab_openness(r: dict) -> str:
    return from_license(r.get("license", "").strip()) or from_flag(r.get("open_weights", "") == "True")


def _prices(providers: pd.DataFrame, lab_ids: list[str], open_ids: set[str] = frozenset()) -> pd.DataFrame:
    p = providers.copy()
    p["_lab"] = map_to_lab(p, lab_ids)
    p["_in"] = p["cost.input"].map(to_float)
    p["_out"] = p["cost.output"].map(to_float)
    p = p[(p["_lab"] != "") & (p["_in"] > 0) & (p["_out"] > 0) & ~p["model_id"].str.endswith(":free")]
    p = p.assign(_blend=(3 * p["_in"] + p["_out"]) / 4, _exact=p["model_id"].map(norm_key))
    rows = []
    for lab_model_id in sorted(set(p["_lab"])):
        g = p[p["_lab"] == lab_model_id]
        lab = lab_model_id.split("/", 1)[0]
        own_key = norm_key(lab_model_id)
        for provider_id in LAB_PROVIDERS.get(lab, ()):
            own = g[g["provider_id"] == provider_id]
            if len(own):
                # several rows of one provider: prefer the exact id, then the cheaper one
                own = own.assign(_not_exact=own["_exact"] != own_key).sort_values(
                    ["_not_exact", "_blend", "model_id"], kind="mergesort")
                rows.append(_price_row(own.iloc[0].to_dict(), "lab_list", lab_model_id))
                break
        own = set(LAB_PROVIDERS.get(lab, ()))
        counting = [host_table.counts(p, lab_model_id in open_ids, p in own) for p in g["provider_id"]]
        hosts = g[(g["status"] != "deprecated") & pd.Series(counting, index=g.index, dtype=bool)]
        if len(hosts):
            best = hosts.sort_values(["_blend", "_in", "provider_id", "model_id"], kind="mergesort").iloc[0]
            rows.append(_price_row(best.to_dict(), "cheapest_host", lab_model_id))
    df = frame(rows, PRICE_COLUMNS)
    return df.sort_values(["source_id", "price_kind"]).reset_index(drop=True)


def load(raw: Path) -> SourceOutput:
    d = Path(raw) / "models_dev"
    lab = read_csv(d / "models_dev_lab_models.csv")
    lab = lab[[is_text_llm(r) for r in lab.to_dict("records")]]
    providers = read_csv(d / "models_dev_provider_models.csv")
    lab_ids = sorted(lab["lab_model_id"])
    open_ids = {r["lab_model_id"] for r in lab.to_dict("records") if _lab_openness(r).startswith("open_")}
    return SourceOutput(mentions=_mentions(lab), prices=_prices(providers, lab_ids, open_ids))


# --- downloading a new snapshot (pipeline.fetch runs SPEC.fetch) ----------------------------

PROVIDER_FIRST = ["provider_id", "provider_name", "model_id", "lab_model_id", "name", "family", "release_date",
                  "last_updated", "knowledge", "open_weights", "reasoning", "tool_call", "cost.input",
                  "cost.output", "cost.cache_read", "cost.cache_write", "limit.context", "limit.output", "status",
                  "attachment", "temperature", "modalities.input", "modalities.output"]
LAB_FIRST = ["lab_model_id", "lab", "name", "family", "release_date", "last_updated", "open_weights", "attachment",
             "reasoning", "temperature", "tool_call", "knowledge", "limit.context", "limit.output",
             "modalities.input", "modalities.output", "n_benchmarks", "weights", "structured_output", "license",
             "links", "limit.input"]


def fetch(s: Snapshot) -> None:
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
            flat = flatten({k: v for k, v in m.items() if k not in ("id", "provider")})
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
    for lab, own in sorted(LAB_PROVIDERS.items()):
        served = next((by_provider[p] for p in own if p in by_provider), [])
        for r in served:
            lab_rows.append({**{k: v for k, v in r.items() if not k.startswith(("cost.", "provider"))},
                             "lab_model_id": f"{lab}/{r['model_id']}", "lab": lab, "n_benchmarks": "0"})
    if not lab_rows:
        raise FetchError("models_dev: api.json: none of the labs' own providers is listed")
    s.write("models_dev", "models_dev/models_dev_api.json", body, url)
    note = "flattened from api.json (values unchanged)"
    s.write_csv("models_dev", "models_dev/models_dev_provider_models.csv", columns_first(rows, PROVIDER_FIRST), rows, url,
                note)
    s.write_csv("models_dev", "models_dev/models_dev_lab_models.csv", columns_first(lab_rows, LAB_FIRST), lab_rows, url,
                "lab models = each lab's first-party provider listing (pipeline.models_dev.LAB_PROVIDERS)")
    s.write_csv("models_dev", "models_dev/models_dev_providers.csv",
                ["id", "name", "n_models", "env", "npm", "doc", "api"], prov_rows, url, note)
    s.carry("models_dev", "models_dev/models_dev_lab_benchmarks.csv", "not in api.json")
