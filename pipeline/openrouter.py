"""OpenRouter catalog (2026-08-22) and price-change history (2024-09-21 .. 2026-08-22).

Mentions: every id of `openrouter_models_2026-08-22.csv` plus the retired ids that only appear in
`openrouter_price_history_points.csv` (name from the history, release_date = first_seen, empty when that
is the ledger's first day, 2024-09-21: a listing that predates the ledger has no known date;
organization = the id's author prefix, openness '' because the history has no open-weights proxy).
Current ids: openness = from_flag(hugging_face_id != ""), organization = author,
release_date = created_date (the listing date on OpenRouter, not the model's release).

Choices:
- OpenRouter's router pseudo-models (`openrouter/auto`, `openrouter/free`, `openrouter/fusion` ...,
  author "openrouter", priced -1 $/token or not at all) are not models and are left out everywhere.
- `:free` variants (0-priced twins of a paid id) are left out of prices, `price_history` and
  `listings` (a free twin's churn is a promotion ending, not a model leaving). The same holds for
  the other suffix twins (`:batch` = half-price batch API of OpenAI/Anthropic models, 61 ids now;
  `:beta`, `:nitro`, `:extended`, `:thinking`, `:exacto`): they are billing/routing modes of the
  base id, not models, and would double-count listings or undercut the base price. In mentions a
  suffixed id is kept only when its base id (without the suffix) does not exist, so no model is lost.
- The history ledger sometimes holds two change points on one date (the repo polls every 12 h);
  the later one (file order) is kept, as it is the price that held after that day.
- Prices (kind `host`, provider "openrouter", as_of 2026-08-22) only where input and output > 0.

Extra tables:
- `price_history`: source_id, date, input_usd_per_mtok, output_usd_per_mtok, first_seen,
  last_seen, present_now. Step function: a price holds until the next point.
- `listings`: one row per id: source_id, name, author, first_seen, last_seen, present_now,
  openness_hint ('open' / 'closed' from hugging_face_id for ids in the current catalog, '' for
  retired ids). Feeds the Kaplan-Meier listing-survival analysis (event = not present_now).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd

from openclosed.openness import from_flag
from pipeline.common import MENTION_COLUMNS, PRICE_COLUMNS, SourceOutput, SourceSpec, frame, iso_date, read_csv, to_float
from pipeline.fetching import Rule, Snapshot, bool_text, check_values, columns_first, parse_json, require_keys

SOURCE = "openrouter"
SPEC = SourceSpec(
    key=SOURCE,
    name="OpenRouter model catalog and price history (jvrck/openrouterlist)",
    license="MIT (collector); prices are OpenRouter's public listing",
    citation="OpenRouter /api/v1/models, via jvrck/openrouterlist",
    snapshot="2026-08-22",
    files=("openrouter/*",),
    base_url="https://openrouter.ai/api/v1",
    fetch="fetch", max_mb=40,
    name_priority=4, openness_priority=6, date_priority=8,
)
AS_OF = "2026-08-22"
CATALOG = "openrouter_models_2026-08-22.csv"
HISTORY = "openrouter_price_history_points.csv"

PRICE_HISTORY_COLUMNS = ["source_id", "date", "input_usd_per_mtok", "output_usd_per_mtok", "first_seen",
                         "last_seen", "present_now"]
LISTING_COLUMNS = ["source_id", "name", "author", "first_seen", "last_seen", "present_now", "openness_hint"]


def is_router(model_id: str) -> bool:
    return str(model_id).startswith("openrouter/")


def is_variant(model_id: str) -> bool:
    """A routing/billing twin of another id: `:free`, `:batch`, `:beta`, `:nitro`, `:extended`, ..."""
    return ":" in str(model_id)


def base_id(model_id: str) -> str:
    return str(model_id).split(":", 1)[0]


def _bool(text) -> bool:
    return str(text).strip().lower() == "true"


def _mentions(cat: pd.DataFrame, hist: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in cat.to_dict("records"):
        rows.append({
            "source": SOURCE, "source_id": r["id"], "name": r["name"].strip() or r["id"],
            "organization": r["author"], "release_date": iso_date(r["created_date"]),
            "openness": from_flag(r["hugging_face_id"].strip() != ""), "license": "", "country": "",
            "weights": f"https://huggingface.co/{r['hugging_face_id'].strip()}" if r["hugging_face_id"].strip() else "",
        })
    current = set(cat["id"])
    # the ledger's first day says only "listed before the ledger began": never a release date
    ledger_start = min((iso_date(d) for d in hist["date"] if iso_date(d)), default="")
    retired = hist[~hist["id"].isin(current)].drop_duplicates("id")
    for r in retired.to_dict("records"):
        rows.append({
            "source": SOURCE, "source_id": r["id"], "name": r["name"].strip() or r["id"],
            "organization": r["id"].split("/", 1)[0] if "/" in r["id"] else "",
            "release_date": "" if iso_date(r["first_seen"]) <= ledger_start else iso_date(r["first_seen"]),
            "openness": "", "license": "", "country": "",
        })
    df = frame(rows, MENTION_COLUMNS)
    df = df[~df["source_id"].map(is_router)]
    all_ids = set(df["source_id"])
    keep = [not (is_variant(i) and base_id(i) in all_ids) for i in df["source_id"]]
    return df[keep].sort_values("source_id").reset_index(drop=True)


def _prices(cat: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in cat.to_dict("records"):
        if is_router(r["id"]) or is_variant(r["id"]):
            continue
        inp, out = to_float(r["prompt_usd_per_mtok"]), to_float(r["completion_usd_per_mtok"])
        if not (inp > 0 and out > 0):
            continue
        cache = to_float(r["input_cache_read_usd_per_mtok"])
        rows.append({
            "source": SOURCE, "source_id": r["id"], "price_kind": "host", "provider": "openrouter",
            "input_usd_per_mtok": inp, "output_usd_per_mtok": out,
            "cache_read_usd_per_mtok": cache if cache >= 0 else float("nan"), "as_of": AS_OF,
        })
    return frame(rows, PRICE_COLUMNS).sort_values("source_id").reset_index(drop=True)


def _price_history(hist: pd.DataFrame) -> pd.DataFrame:
    h = hist[~hist["id"].map(is_router) & ~hist["id"].map(is_variant)]
    h = h.drop_duplicates(["id", "date"], keep="last")
    df = pd.DataFrame({
        "source_id": h["id"],
        "date": h["date"].map(iso_date),
        "input_usd_per_mtok": h["prompt_usd_per_mtok"].map(to_float),
        "output_usd_per_mtok": h["completion_usd_per_mtok"].map(to_float),
        "first_seen": h["first_seen"].map(iso_date),
        "last_seen": h["last_seen"].map(iso_date),
        "present_now": h["present_now"].map(_bool),
    })
    df = df.dropna(subset=["input_usd_per_mtok", "output_usd_per_mtok"])
    return df[PRICE_HISTORY_COLUMNS].sort_values(["source_id", "date"]).reset_index(drop=True)


def _listings(cat: pd.DataFrame, hist: pd.DataFrame) -> pd.DataFrame:
    hint = {r["id"]: ("open" if r["hugging_face_id"].strip() else "closed") for r in cat.to_dict("records")}
    rows = {}
    for r in hist.drop_duplicates("id").to_dict("records"):
        rows[r["id"]] = {
            "source_id": r["id"], "name": r["name"].strip() or r["id"],
            "first_seen": iso_date(r["first_seen"]), "last_seen": iso_date(r["last_seen"]),
            "present_now": _bool(r["present_now"]),
        }
    for r in cat.to_dict("records"):
        if r["id"] not in rows:  # listed now but never in the history ledger
            rows[r["id"]] = {"source_id": r["id"], "name": r["name"].strip() or r["id"],
                             "first_seen": iso_date(r["created_date"]), "last_seen": AS_OF, "present_now": True}
    out = []
    for model_id in sorted(rows):
        if is_router(model_id) or is_variant(model_id):
            continue
        row = dict(rows[model_id])
        row["author"] = model_id.split("/", 1)[0] if "/" in model_id else ""
        row["openness_hint"] = hint.get(model_id, "")
        out.append(row)
    return pd.DataFrame(out, columns=LISTING_COLUMNS).reset_index(drop=True)


def load(raw: Path) -> SourceOutput:
    d = Path(raw) / "openrouter"
    cat = read_csv(d / CATALOG)
    hist = read_csv(d / HISTORY)
    return SourceOutput(
        mentions=_mentions(cat, hist),
        prices=_prices(cat),
        extra={"price_history": _price_history(hist), "listings": _listings(cat, hist)},
    )


# --- downloading a new snapshot (pipeline.fetch runs SPEC.fetch) ----------------------------

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
        "author": m["id"].split("/", 1)[0], "created_unix": bool_text(created),
        "created_date": dt.datetime.fromtimestamp(int(created), dt.timezone.utc).strftime("%Y-%m-%d")
        if created else "",
        "hugging_face_id": m.get("hugging_face_id") or "", "context_length": bool_text(m.get("context_length")),
        "modality": arch.get("modality") or "", "tokenizer": arch.get("tokenizer") or "",
        "top_provider_context_length": bool_text(top.get("context_length")),
        "top_provider_max_completion_tokens": bool_text(top.get("max_completion_tokens")),
        "is_moderated": bool_text(top.get("is_moderated")), "knowledge_cutoff": m.get("knowledge_cutoff") or "",
        "expiration_date": m.get("expiration_date") or "",
        "supported_parameters": "|".join(m.get("supported_parameters") or []),
        "prompt_usd_per_mtok": _per_mtok(pricing.get("prompt")),
        "completion_usd_per_mtok": _per_mtok(pricing.get("completion")),
        "input_cache_read_usd_per_mtok": _per_mtok(pricing.get("input_cache_read")),
        "description": m.get("description") or "",
    }
    row.update({f"pricing.{k}": bool_text(v) if not isinstance(v, (dict, list)) else json.dumps(v)
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


def fetch(s: Snapshot) -> None:
    url, body = s.client.get("openrouter", "models")
    doc = parse_json("openrouter", "models", body)
    data = doc.get("data") if isinstance(doc, dict) else None
    require_keys("openrouter", "models", data, ["id", "name", "created", "pricing"], min_items=10)
    check_values("openrouter", "models", data, [Rule("id"), Rule("created", "number", 0, 1e11)], first=0)
    check_values("openrouter", "models pricing", [m.get("pricing") for m in data],
                 [Rule("prompt", "number", -1, 1, optional=True), Rule("completion", "number", -1, 1, optional=True)],
                 first=0)
    catalog = [openrouter_row(m) for m in data]
    csv_rel = f"openrouter/{CATALOG}"
    s.write("openrouter", str(Path(csv_rel).with_suffix(".json")), body, url)
    s.write_csv("openrouter", csv_rel, columns_first(catalog, OPENROUTER_COLUMNS), catalog, url,
                "flattened from the models API; prices x 1e6 = USD per million tokens")
    hist_rel = f"openrouter/{HISTORY}"
    old = s.previous(hist_rel)
    history = list(csv.DictReader(open(old, encoding="utf-8", newline=""))) if old.exists() else []
    s.write_csv("openrouter", hist_rel, HISTORY_COLUMNS, update_price_history(history, catalog, s.date), url,
                "previous change-point ledger extended with this snapshot's prices")
