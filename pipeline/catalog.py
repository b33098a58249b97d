"""Build the model catalog from every source's mentions, and map source ids to model ids."""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from openclosed.openness import OPEN_CLASSES
from pipeline import organizations as orgs_mod
from pipeline import sources
from pipeline.common import iso_date
from pipeline.matching import CURATED, alias_entry, alias_key, family_key, parse, slugify, strip_vendor

# Which source's spelling and metadata wins, best first (each source's SPEC ranks it).
NAME_PRIORITY = sources.priority("name")
OPENNESS_PRIORITY = sources.priority("openness")
ID_SOURCES = [s for s in NAME_PRIORITY if sources.SPECS[s].catalog_ids]     # an id_<source> column each

# Models that matter to the report: the build prints which of them a source failed to match.
NOTABLE_PATTERNS = [
    r"^gpt-5", r"^claude-(opus|sonnet|haiku)-4", r"^gemini-2-5", r"^gemini-3", r"^deepseek-(v3|r1|v4)",
    r"^qwen3", r"^kimi-k2", r"^glm-(4-5|5)", r"^llama-4", r"^gpt-oss",
]


def model_organizations(grp: list[dict], orgs: orgs_mod.Organizations) -> tuple[list[str], list[str]]:
    """(org ids, unknown spellings) of a model: the first source by NAME_PRIORITY whose organization
    string names a listed organization (Epoch's comma-joined co-developers give several ids)."""
    unknown: list[str] = []
    for r in sorted(grp, key=lambda r: (sources.rank(NAME_PRIORITY, r["source"]), r["source_id"])):
        ids, missing = orgs.resolve(r["organization"])
        unknown += [m for m in missing if m not in unknown]
        if ids:
            return ids, unknown
    return [], unknown


_SETTING_PAREN = re.compile(
    r"\s*\((?:[^()]*\b(?:reasoning|thinking|effort|high|low|medium|minimal|xhigh|max)\b[^()]*)\)\s*$", re.I)


def display_name(name: str) -> str:
    """Drop a leading 'Vendor: ' (OpenRouter) and a trailing setting such as '(high)' or '(Reasoning)'."""
    text = re.sub(r"^[^:/]{1,30}:\s+", "", str(name)).strip()
    text = re.sub(r"\s*\([^()]*[^\x00-\x7f][^()]*\)", "", text)          # "(文心大模型4.5)"
    text = re.sub(r"\s*\((free|beta|extended|nitro)\)", "", text, flags=re.I).strip() or text  # OpenRouter tiers
    text = _SETTING_PAREN.sub("", text).strip() or text
    # a trailing effort word after a versioned name ("GPT-5 medium"); "Devstral Medium" is a tier, kept
    return re.sub(r"^(.*\d.*?)\s+(high|medium|low|minimal|xhigh)$", r"\1", text, flags=re.I).strip() or text


# An undated spelling joins a dated final checkpoint only when its own release date is this close.
UNDATED_WINDOW_DAYS = 75
LATER_CHECKPOINT_DAYS = 14     # from a release date to the first day of a later checkpoint's month
_STAGE_WORDS = {"preview", "exp", "alpha"}


def _month_mid(yymm: str) -> pd.Timestamp:
    return pd.Timestamp(f"20{yymm[:2]}-{yymm[2:]}-15")


def _undated_target(base: str, undated: pd.DataFrame, finals: list[str]) -> tuple[str, str]:
    """The final checkpoint an undated name stands for: the one nearest the name's best-ranked release date
    (the first listing when it came after the newest checkpoint); none when the dates disagree."""
    if not finals:
        return "", f"name '{base}'"
    dated = undated[undated["release_date"] != ""]
    if not len(dated):
        return finals[0], f"undated '{base}' without a date: first final checkpoint {finals[0]}"
    best = dated.assign(r=dated["source"].map(lambda s: sources.rank(DATE_PRIORITY, s))).sort_values(["r", "source_id"])
    # a first-listing date (LMArena, OpenRouter) never places a name when a source states its release: the
    # April Qwen3-235B-A22B, first shown on LMArena in June, is not the July 2507 update
    stated = best[~best["source"].isin(LISTING_SOURCES)]
    best = stated if len(stated) else best
    # the best-ranked date decides; a lower-ranked one only when the better ones fit no checkpoint
    # (o3: announced 2024-12-20 per Epoch, released and listed 2025-04-16)
    for when, src in zip(best["release_date"], best["source"]):
        # a checkpoint whose month begins after the name's release is a later update, not it (Kimi K2,
        # 2025-07-11, is not the 0905 checkpoint; DeepSeek-V2-Chat, May 2024, is not the 0628 update)
        fits = [v for v in finals
                if (_month_mid(v).replace(day=1) - pd.Timestamp(when)).days <= LATER_CHECKPOINT_DAYS]
        if not fits:
            continue
        gap, v = min((abs((_month_mid(v) - pd.Timestamp(when)).days), v) for v in fits)
        if gap <= UNDATED_WINDOW_DAYS:
            return v, f"undated '{base}' released {when} ({src}): nearest final checkpoint {v}"
    rd = pd.Timestamp(best["release_date"].iloc[0])
    gap, v = min((abs((_month_mid(v) - rd).days), v) for v in finals)
    if v == finals[-1] and rd > _month_mid(v):
        return v, f"undated '{base}' first listed {rd.date()}, after the newest final checkpoint {v}"
    return "", f"name '{base}' (released {rd.date()}, apart from the dated checkpoints {', '.join(finals)})"


def _link_identical_ids(m: pd.DataFrame) -> pd.Series:
    """Entities joined when two sources use the identical undated model id (ignoring host prefix, case,
    '.', '_'), unless that would put two different checkpoint dates in one entity."""
    tail = m["source_id"].map(lambda s: re.sub(r"[._ ]", "-", str(s).lower().rsplit("/", 1)[-1]))
    parent = {e: e for e in m["entity"]}

    def find(e: str) -> str:
        while parent[e] != e:
            parent[e] = parent[parent[e]]
            e = parent[e]
        return e

    dates = {e: ({e.rsplit("@", 1)[1]} if "@" in e else set()) for e in parent}
    # only undated spellings: a name that carries its own date already says which checkpoint it is
    for _, grp in m[m["yymm"] == ""].groupby(tail[m["yymm"] == ""], sort=True):
        if grp["source"].nunique() < 2:
            continue
        roots = sorted({find(e) for e in grp["entity"]}, key=lambda e: ("@" not in e, e))
        for r in roots[1:]:
            a, b = find(roots[0]), find(r)
            if a == b or len(dates[a] | dates[b]) > 1:
                continue                               # never join two dated checkpoints, even indirectly
            a, b = sorted([a, b], key=lambda x: ("@" not in x, x))
            parent[b] = a
            dates[a] |= dates[b]
    return m["entity"].map(find)


def _entity_keys(m: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Per mention: the checkpoint entity (base + date) the rules put it in, and why."""
    keys = [""] * len(m)
    why = [""] * len(m)
    undated_target: dict[str, tuple[str, str]] = {}
    for base, grp in m.groupby("base", sort=True):
        dated = grp[grp["yymm"] != ""]
        versions = sorted({v for v in dated["yymm"] if "?" not in v})
        staged = {v for v, s in zip(dated["yymm"], dated["stage"]) if s}
        finals = [v for v in versions if v not in staged]
        undated = grp[grp["yymm"] == ""]
        if len(undated):
            undated_target[base] = _undated_target(base, undated, finals)
        for i, rd, yymm in zip(grp.index, grp["release_date"], grp["yymm"]):
            pos = m.index.get_loc(i)
            if yymm and "?" not in yymm:
                keys[pos], why[pos] = f"{base} @{yymm}", f"name '{base}', checkpoint 20{yymm[:2]}-{yymm[2:]}"
                continue
            if yymm:                                   # month known, year not
                same = [v for v in versions if v[2:] == yymm[2:]]
                if len(same) == 1:
                    keys[pos], why[pos] = f"{base} @{same[0]}", f"name '{base}', month {yymm[2:]} = checkpoint {same[0]}"
                else:
                    keys[pos], why[pos] = f"{base} @{yymm}", f"name '{base}', month {yymm[2:]} of unknown year"
                continue
            # all undated spellings of a base go together, placed by the best-ranked date among them
            target, note = undated_target.get(base, ("", ""))
            keys[pos] = f"{base} @{target}" if target else base
            why[pos] = note
    # "GPT-4.5 Preview", "gemini-flash-1.5-exp": an undated preview/experimental name stands for the one dated
    # preview/experimental checkpoint of that model, when there is exactly one
    staged_versions: dict[str, set[str]] = {}
    for base, yymm, stage in zip(m["base"], m["yymm"], m["stage"]):
        if yymm and "?" not in yymm and stage:
            staged_versions.setdefault(base, set()).add(yymm)
    for pos, (base, yymm) in enumerate(zip(m["base"], m["yymm"])):
        words = base.split()
        if yymm or not _STAGE_WORDS & set(words) or "@" in keys[pos]:
            continue
        plain = " ".join(w for w in words if w not in _STAGE_WORDS)
        versions = staged_versions.get(plain, set())
        if len(versions) == 1:
            v = next(iter(versions))
            keys[pos] = f"{plain} @{v}"
            why[pos] = f"undated preview/experimental '{base}': the only such checkpoint of '{plain}' is {v}"
    return keys, why


def assign_model_ids(mentions: pd.DataFrame) -> pd.DataFrame:
    """Add `model_id`, `match_method` (rule|alias|review) and `match_reason` to every mention."""
    m = mentions.copy().reset_index(drop=True)
    m["release_date"] = without_listing_starts(m)
    listed = m["source"].isin(LISTING_SOURCES).tolist()
    own = [parse(n, d, lst) for n, d, lst in zip(m["name"], m["release_date"], listed)]
    alt = [parse(i, d, lst) for i, d, lst in zip(m["source_id"], m["release_date"], listed)]
    # Where a display name matches no other source but the source's own id does (OpenRouter's
    # "DeepSeek V4 Pro 0423" is id deepseek/deepseek-v4-pro), match on the id.
    sources_by = {}
    for p, src in zip(own + alt, list(m["source"]) * 2):
        sources_by.setdefault(p.base, set()).add(src)
    # An id that names the checkpoint date or stage beats a display name that drops it (LMArena shows
    # "Gemini 2.5 Flash-Lite" for key gemini-2.5-flash-lite-preview-09-2025-no-thinking).
    chosen = [a if ((a.yymm or a.stage) and not o.yymm and set(o.base.split()) - _STAGE_WORDS <= set(a.base.split()))
              or (not (sources_by.get(o.base, set()) - {s}) and (sources_by.get(a.base, set()) - {s})) else o
              for o, a, s in zip(own, alt, m["source"])]
    # the spelling that names the entity: the id when it carries the checkpoint the display name drops
    m["label"] = [strip_vendor(i) if c is a and c is not o else n for i, n, c, a, o in zip(m["source_id"], m["name"], chosen, alt, own)]
    m["base"] = [p.base for p in chosen]
    m["yymm"] = [p.yymm for p in chosen]
    m["stage"] = [p.stage or o.stage for p, o in zip(chosen, own)]   # "V3.2 Exp" stays a staged build
    m["entity"], m["match_reason"] = _entity_keys(m)
    linked = _link_identical_ids(m)
    m.loc[linked != m["entity"], "match_reason"] += "; same model id as another source"
    m["entity"] = linked
    m["rank"] = m["source"].map(lambda s: sources.rank(NAME_PRIORITY, s))
    best = m.sort_values(["rank", "source_id"]).drop_duplicates("entity").sort_values("entity")
    taken: set[str] = set()
    entity_id = {}
    for ent, name in zip(best["entity"], best["label"]):
        mid = slugify(display_name(name)) or slugify(ent)
        if "thinking" in ent.split("@")[0].split() and "thinking" not in mid:
            mid += "-thinking"                         # a separately released Thinking checkpoint
        if mid in taken:
            mid = f"{mid}-{slugify(ent.rsplit('@', 1)[-1]) if '@' in ent else 'undated'}"
        n = 2
        while mid in taken:
            mid, n = f"{mid.rsplit('-v', 1)[0]}-v{n}", n + 1
        taken.add(mid)
        entity_id[ent] = mid
    m["model_id"] = m["entity"].map(entity_id)
    m["match_method"] = "rule"
    for i, (src, name) in enumerate(zip(m["source"], m["name"])):
        entry = alias_entry(src, name) or alias_entry(src, m.at[i, "source_id"])
        if entry:
            m.at[i, "model_id"], m.at[i, "match_reason"] = entry
            m.at[i, "match_method"] = "alias"
    for i, (src, sid, rd) in enumerate(zip(m["source"], m["source_id"], m["release_date"])):
        entry = endpoint_entry(src, sid, snapshot_date(src) or rd)
        if entry:
            m.at[i, "model_id"], m.at[i, "match_reason"] = entry
            m.at[i, "match_method"] = "alias"
    merges = review_merges()
    for i, mid in enumerate(m["model_id"]):
        if mid in merges:
            m.at[i, "model_id"], m.at[i, "match_reason"] = merges[mid]
            m.at[i, "match_method"] = "review"
    m["aliased"] = m["match_method"] != "rule"
    return m.drop(columns=["rank", "label"])


def snapshot_date(source: str) -> str:
    """The date a source's snapshot was taken (its loader's AS_OF / SNAPSHOT), '' when it has none."""
    import importlib
    try:
        module = importlib.import_module(f"pipeline.{source}")
    except ImportError:
        return ""
    value = getattr(module, "AS_OF", "") or getattr(module, "SNAPSHOT", "")
    return value if isinstance(value, str) else ""


@lru_cache(maxsize=1)
def read_endpoints() -> pd.DataFrame:
    """pipeline/curated/endpoint_aliases.csv: (sources, endpoint, valid_from, valid_to) -> model_id, cited."""
    path = CURATED / "endpoint_aliases.csv"
    cols = ["sources", "endpoint", "valid_from", "valid_to", "model_id", "reason", "url"]
    if not path.exists():
        return pd.DataFrame(columns=cols)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)[cols]
    return df.assign(key=df["endpoint"].map(alias_key))


def endpoint_entry(source: str, source_id: str, when: str,
                   table: pd.DataFrame | None = None) -> tuple[str, str] | None:
    """(model_id, reason) of a moving endpoint (`deepseek-chat`, `*-latest`) on the date `when`: the
    checkpoint it served then. None when the id is no listed endpoint or the date falls in no range."""
    table = read_endpoints() if table is None else table
    key = alias_key(source_id)
    if key not in set(table["key"]):       # most ids: no frame filtering (called once per mention, thousands)
        return None
    rows = table[(table["key"] == key) & table["sources"].map(lambda s: source in s.split(";") or s == "*")]
    if not len(rows) or not when:
        return None
    for r in rows.itertuples():
        if r.valid_from <= when and (not r.valid_to or when <= r.valid_to):
            return r.model_id, f"endpoint '{r.endpoint}' on {when} served {r.model_id}: {r.reason} ({r.url})"
    return None


def review_merges() -> dict[str, tuple[str, str]]:
    """model_id -> (model_id it merges into, reason) from the reviewed duplicate list."""
    df = read_review()
    df = df[df["decision"] == "merge"]
    return {b: (a, r) for a, b, r in zip(df["model_id_a"], df["model_id_b"], df["reason"])}


def read_review() -> pd.DataFrame:
    path = CURATED / "duplicate_review.csv"
    cols = ["model_id_a", "model_id_b", "decision", "reason"]
    if not path.exists():
        return pd.DataFrame(columns=cols)
    return pd.read_csv(path, dtype=str, keep_default_na=False)[cols]


def _first(records: list[dict], column: str, order: list[str]) -> tuple[str, str]:
    """The first non-empty value of `column`, by source priority then source id; and its source."""
    ranked = sorted(records, key=lambda r: (sources.rank(order, r["source"]), r["source_id"]))
    for r in ranked:
        value = r[column]
        if isinstance(value, str) and value.strip():
            return value, r["source"]
    return "", ""


def build_catalog(mentions: pd.DataFrame, eci_meta: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per model_id with name, organization, country, release date and openness."""
    orgs = orgs_mod.load()
    overrides = _openness_overrides()
    override_notes = _openness_override_notes()
    weights = read_weights()
    licences = read_licences()
    unverified = set()
    if eci_meta is not None:
        unverified = set(eci_meta.loc[eci_meta["confidence"] == "Unverified", "source_id"])
    records = mentions.assign(release_date=without_listing_starts(mentions),
                              yymm=mentions["yymm"] if "yymm" in mentions else "").to_dict("records")
    groups: dict[str, list[dict]] = {}
    for r in records:
        groups.setdefault(r["model_id"], []).append(r)
    rows = []
    for model_id in sorted(groups):
        grp = groups[model_id]
        name, _ = _first(grp, "name", NAME_PRIORITY)
        name = display_name(name)
        org_ids, unknown = model_organizations(grp, orgs)
        if not org_ids and not unknown and orgs.by_model_prefix(model_id):
            org_ids = [orgs.by_model_prefix(model_id)]      # no source names one: the lab's own name prefix
        # an organization no curated row names stays as the source spelled it (the build lists them)
        org = ", ".join(filter(None, [orgs.display(org_ids), *unknown])) if org_ids or unknown else ""
        country = orgs.countries(org_ids)
        date, date_source = _release_date(grp)
        evidence = weights_evidence(model_id, grp, weights)
        if model_id in overrides:
            opened = overrides[model_id] in OPEN_CLASSES
            evidence = f"curated override: {override_notes.get(model_id, '')}" if opened else ""
        openness, license_name, openness_source, basis = _openness(model_id, grp, overrides, licences, evidence)
        conflict = _conflicts(grp, openness)
        row = {
            "model_id": model_id, "name": name, "organization": org, "country": country,
            "org_ids": ";".join(org_ids), "lab_id": orgs.root(org_ids[0]) if org_ids else "",
            "release_date": date, "release_date_source": date_source, "openness": openness or "unknown",
            "open_weights": (openness or "") in OPEN_CLASSES, "openness_source": openness_source or "none",
            "openness_basis": basis, "license": license_name,
            "weights_evidence": evidence if (openness or "") in OPEN_CLASSES else "",
            "openness_conflict": ";".join(conflict),
            "family": family_key(name),
            "metadata_unverified": any(r["source"] == "eci" and r["source_id"] in unverified for r in grp),
            # preview: the model is only known by preview names (an early "-preview" alias of a released
            # model does not make the model a preview)
            "preview": "preview" in name.lower() or all("preview" in str(r["name"]).lower() for r in grp),
            "n_sources": len({r["source"] for r in grp}),
        }
        for source in ID_SOURCES:
            ids = sorted({r["source_id"] for r in grp if r["source"] == source})
            row[f"id_{source}"] = ";".join(ids[:8])
        rows.append(row)
    return apply_date_checks(pd.DataFrame(rows))


# Words that make a derived model of an earlier one ("o3 deep research" is built on o3, "Kimi K2 Thinking
# Turbo" on Kimi K2 Thinking): the derived model cannot be released before the model it is built on.
DERIVED_SLACK_DAYS = 7     # same-week launches (a "Fast" tier listed a day earlier) are not errors
DERIVED_WORDS = {"deep", "research", "thinking", "turbo", "highspeed", "code", "fast", "search", "latest",
                 "instruct", "chat"}


# Sources whose date is when a model was first listed or seen, not when it was released.
LISTING_SOURCES = ("openrouter", "lmarena")


def without_listing_starts(mentions: pd.DataFrame) -> pd.Series:
    """Mention dates, with each listing source's first day blanked: a model already there when the
    listing or crawl began (LMArena's first snapshot, OpenRouter's launch) carries that day, not its own."""
    dates = mentions["release_date"].map(iso_date)
    for source in LISTING_SOURCES:
        mine = (mentions["source"] == source) & (dates != "")
        if mine.any():
            dates = dates.mask(mine & (dates == dates[mine].min()), "")
    return dates


def date_kind(source: str) -> str:
    """What a release date rests on: a source's stated release, a first listing, or a curated row."""
    if not source:
        return ""
    if source == "curated":
        return "curated"
    return "first_listed" if source in LISTING_SOURCES else "release"


def read_date_overrides() -> pd.DataFrame:
    """pipeline/curated/release_dates.csv: model_id, release_date, reason, source (reviewed, cited)."""
    path = CURATED / "release_dates.csv"
    cols = ["model_id", "release_date", "reason", "source"]
    return pd.read_csv(path, dtype=str, keep_default_na=False)[cols] if path.exists() else pd.DataFrame(columns=cols)


def implausible_dates(catalog: pd.DataFrame) -> pd.DataFrame:
    """Models dated before the model they are derived from (same organisation, name = that model's
    name + derived words only): model_id, release_date, base_id, base_date."""
    c = catalog[catalog["release_date"] != ""]
    words = {m: slugify(n).split("-") for m, n in zip(c["model_id"], c["name"])}
    by_words = {tuple(w): m for m, w in words.items()}
    dates = dict(zip(c["model_id"], c["release_date"]))
    org = dict(zip(c["model_id"], c["organization"].str.lower()))
    out = []
    for m, w in words.items():
        for k in range(len(w) - 1, 0, -1):
            base = by_words.get(tuple(w[:k]))
            if base and set(w[k:]) <= DERIVED_WORDS:
                early = (pd.Timestamp(dates[base]) - pd.Timestamp(dates[m])).days > DERIVED_SLACK_DAYS
                if org[base][:4] == org[m][:4] and early:
                    out.append({"model_id": m, "release_date": dates[m], "base_id": base, "base_date": dates[base]})
                break
    return pd.DataFrame(out, columns=["model_id", "release_date", "base_id", "base_date"])


def apply_date_checks(catalog: pd.DataFrame) -> pd.DataFrame:
    """Curated release dates win; then a date that fails the sanity rule (`implausible_dates`) is
    dropped rather than shown, so an unreviewed wrong date never reaches a chart."""
    over = read_date_overrides()
    fixed = dict(zip(over["model_id"], over["release_date"]))
    if "release_date_source" not in catalog:
        catalog = catalog.assign(release_date_source="")
    catalog = catalog.assign(
        release_date=[fixed.get(m, d) for m, d in zip(catalog["model_id"], catalog["release_date"])],
        release_date_source=["curated" if m in fixed else s
                             for m, s in zip(catalog["model_id"], catalog["release_date_source"])])
    bad = implausible_dates(catalog)
    bad = bad[~bad["model_id"].isin(fixed)]
    dropped = catalog["model_id"].isin(bad["model_id"])
    catalog = catalog.assign(release_date=catalog["release_date"].where(~dropped, ""),
                             release_date_source=catalog["release_date_source"].where(~dropped, ""))
    return catalog.assign(release_date_kind=catalog["release_date_source"].map(date_kind))


# Release-date precedence, best first: Epoch (lab announcements, reviewed), Artificial Analysis (per
# checkpoint), the leaderboards' own model dates, then models.dev (community-edited; wrong for Mistral
# Large 3, Magistral Medium, Qwen3-Coder-30B ...), then listing / first-seen dates (OpenRouter, LMArena).
DATE_PRIORITY = sources.priority("date")
# A date more than this many days from the checkpoint date in the model's own name is not its date.
CHECKPOINT_DATE_SLACK = 62


def _release_date(grp: list[dict]) -> tuple[str, str]:
    """The first date by DATE_PRIORITY that agrees with the checkpoint date the names carry."""
    months = sorted({r["yymm"] for r in grp if r.get("yymm") and "?" not in r["yymm"]})
    ranked = sorted(grp, key=lambda r: (sources.rank(DATE_PRIORITY, r["source"]), r["source_id"]))
    dated = [r for r in ranked if r["release_date"]]
    if months:
        mid = pd.Timestamp(f"20{months[0][:2]}-{months[0][2:]}-15")
        fits = [r for r in dated if abs((pd.Timestamp(r["release_date"]) - mid).days) <= CHECKPOINT_DATE_SLACK]
        if fits:
            return fits[0]["release_date"], fits[0]["source"]
    return (dated[0]["release_date"], dated[0]["source"]) if dated else ("", "")


def read_licences() -> pd.DataFrame:
    """pipeline/curated/licenses.csv: model_id pattern -> the licence the weights were released under."""
    path = CURATED / "licenses.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else \
        pd.DataFrame(columns=["pattern", "license", "openness", "reason"])


def _basis(r: dict) -> str:
    """What a mention's openness rests on: a licence text, Epoch's reviewed class, or a bare flag."""
    if not r["openness"]:
        return ""
    if r.get("license"):
        return "license"
    return "epoch" if r["source"] in ("eci", "epoch_models") else "flag"


_BASIS_RANK = {"license": 0, "epoch": 1, "flag": 2}


def read_weights() -> dict[str, tuple[str, str]]:
    """pipeline/curated/weights.csv: model_id -> (link to the released weights, reason), for open models
    no source links to."""
    path = CURATED / "weights.csv"
    if not path.exists():
        return {}
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {m: (u, r) for m, u, r in zip(df["model_id"], df["weights_url"], df["reason"])}


def weights_evidence(model_id: str, grp: list[dict], curated: dict[str, tuple[str, str]]) -> str:
    """What shows that a model's weights were released, best first: a weights link in a source (a Hugging
    Face id on OpenRouter, models.dev's weights entry), Epoch's accessibility class, a source's licence
    text naming an open licence, a cited curated row. '' when nothing does: a bare open flag (LiveBench,
    SWE-bench, models.dev without a link) or a licence pattern is not evidence."""
    ranked = sorted(grp, key=lambda r: (sources.rank(OPENNESS_PRIORITY, r["source"]), r["source_id"]))
    for r in ranked:
        if str(r.get("weights") or "").strip():
            return f"weights link ({r['source']}): {r['weights'].strip()}"
    for r in ranked:
        if r["openness"] in OPEN_CLASSES and r["source"] in ("eci", "epoch_models"):
            return f"Epoch accessibility ({r['source']}): {r['openness']}"
    for r in ranked:
        if r["openness"] in OPEN_CLASSES and str(r.get("license") or "").strip():
            return f"licence text ({r['source']}): {r['license'].strip()}"
    if model_id in curated:
        url, reason = curated[model_id]
        return f"curated: {url} ({reason})"
    return ""


def _openness(model_id: str, grp: list[dict], overrides: dict, licences: pd.DataFrame,
              evidence: str = "") -> tuple[str, str, str, str]:
    """(class, licence name, source, basis). Precedence: reviewed override, the curated licence of the
    weights, a source's licence text, Epoch's class, then a bare open-weights flag (basis 'flag').
    An open class needs `evidence` (weights_evidence): without it a licence pattern names no class and a
    source's open flag is passed over, so the model takes the class its other sources give, or unknown."""
    if model_id in overrides:
        return overrides[model_id], "", "override", "override"
    for pattern, lic, cls in zip(licences["pattern"], licences["license"], licences["openness"]):
        if re.search(pattern, model_id) and (evidence or cls not in OPEN_CLASSES):
            return cls, lic, "curated", "curated_license"
    ranked = sorted((r for r in grp if r["openness"] and (evidence or r["openness"] not in OPEN_CLASSES)),
                    key=lambda r: (_BASIS_RANK[_basis(r)], sources.rank(OPENNESS_PRIORITY, r["source"]), r["source_id"]))
    if not ranked:
        return "unknown", "", "none", "none"
    best = ranked[0]
    return best["openness"], best.get("license", "") or "", best["source"], _basis(best)


def _conflicts(grp: list[dict], openness: str) -> list[str]:
    """Sources whose class disagrees: open vs closed, or (for licence/Epoch classes) restricted vs unrestricted."""
    out = set()
    for r in grp:
        o, basis = r["openness"], _basis(r)
        if not o or openness == "unknown":
            continue
        if (o in OPEN_CLASSES) != (openness in OPEN_CLASSES):
            out.add(f"{r['source']}:{o}")
        elif basis != "flag" and o in OPEN_CLASSES and o != openness:
            out.add(f"{r['source']}:{o}")
    return sorted(out)


def _openness_override_notes() -> dict[str, str]:
    path = CURATED / "openness_overrides.csv"
    if not path.exists():
        return {}
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {m: f"{r} ({src})" for m, r, src in zip(df["model_id"], df.get("reason", ""), df.get("source", ""))}


def _openness_overrides() -> dict[str, str]:
    path = CURATED / "openness_overrides.csv"
    if not path.exists():
        return {}
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return dict(zip(df["model_id"], df["openness"]))


def coverage(mentions: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """Per source: mentions, how many share a model with another source, and notable ones that do not."""
    multi = set(catalog.loc[catalog["n_sources"] > 1, "model_id"])
    rows = []
    for source, grp in mentions.groupby("source", sort=True):
        matched = grp["model_id"].isin(multi)
        lonely = sorted(set(grp.loc[~matched, "model_id"]))
        notable = [m for m in lonely if any(re.match(p, m) for p in NOTABLE_PATTERNS)]
        rows.append({
            "source": source, "mentions": int(len(grp)), "matched_elsewhere": int(matched.sum()),
            "share_matched": round(float(matched.mean()), 4) if len(grp) else 0.0,
            "notable_unmatched": "; ".join(notable[:40]),
        })
    return pd.DataFrame(rows)


def crosswalk(mentions: pd.DataFrame) -> pd.DataFrame:
    """data/mentions.csv: every (source, source_id) with the model_id it was matched to, how and why."""
    cols = ["source", "source_id", "name", "model_id", "match_method", "match_reason"]
    return mentions[cols].rename(columns={"match_method": "method", "match_reason": "reason"}).reset_index(drop=True)


# Candidate duplicates: catalog rows of one family released within this many days of each other.
NEIGHBOUR_DAYS = 45


def duplicate_candidates(catalog: pd.DataFrame) -> pd.DataFrame:
    """Pairs of rows that might be one model: same normalized name (without punctuation) or same family
    with release dates within NEIGHBOUR_DAYS. Each must be merged or recorded apart in the review file."""
    c = catalog[["model_id", "name", "family", "release_date"]].copy()
    c["compact"] = c["model_id"].str.replace("-", "", regex=False)
    rows = []
    for key in ("compact", "family"):
        for _, grp in c.groupby(key, sort=True):
            if len(grp) < 2:
                continue
            recs = grp.sort_values("model_id").to_dict("records")
            for i, a in enumerate(recs):
                for b in recs[i + 1:]:
                    if key == "family" and a["release_date"] and b["release_date"]:
                        gap = abs((pd.Timestamp(a["release_date"]) - pd.Timestamp(b["release_date"])).days)
                        if gap > NEIGHBOUR_DAYS:
                            continue
                    rows.append({"model_id_a": a["model_id"], "model_id_b": b["model_id"], "via": key,
                                 "name_a": a["name"], "name_b": b["name"],
                                 "date_a": a["release_date"], "date_b": b["release_date"]})
    cols = ["model_id_a", "model_id_b", "via", "name_a", "name_b", "date_a", "date_b"]
    return pd.DataFrame(rows, columns=cols).drop_duplicates(["model_id_a", "model_id_b"]).reset_index(drop=True)


def unreviewed(candidates: pd.DataFrame) -> pd.DataFrame:
    review = read_review()
    done = set(zip(review["model_id_a"], review["model_id_b"])) | set(zip(review["model_id_b"], review["model_id_a"]))
    keep = [(a, b) not in done for a, b in zip(candidates["model_id_a"], candidates["model_id_b"])]
    return candidates[keep].reset_index(drop=True)


def organizations_table(catalog: pd.DataFrame) -> pd.DataFrame:
    """data/organizations.csv: the curated organizations with how many catalog models point to each."""
    table = orgs_mod.read_organizations()
    counts: dict[str, int] = {}
    for ids in catalog.get("org_ids", pd.Series(dtype=str)):
        for oid in filter(None, str(ids).split(";")):
            counts[oid] = counts.get(oid, 0) + 1
    return table.assign(n_models=table["org_id"].map(lambda o: counts.get(o, 0)).astype(int))


def catalog_counts(catalog: pd.DataFrame) -> list[str]:
    """The catalog's health in the numbers the build prints: organization strings, rows without a
    country, open rows without weights evidence, dates from a listing."""
    c = catalog.fillna("")
    lines = [f"organizations: {c['organization'].replace('', pd.NA).nunique()} organization strings, "
             f"{int((c.get('org_ids', '') == '').sum())} rows without an organization id, "
             f"{int((c['country'] == '').sum())} rows without a country"]
    if "org_ids" in c:
        unlisted = sorted(set(c.loc[(c["org_ids"] == "") & (c["organization"] != ""), "organization"]))
        if unlisted:
            lines.append(f"  organizations not in pipeline/curated/organizations.csv: {'; '.join(unlisted[:10])}")
    if "release_date_kind" in c:
        lines.append(f"release dates: {int((c['release_date_kind'] == 'first_listed').sum())} from a first listing, "
                     f"{int((c['release_date'] == '').sum())} undated")
    if "weights_evidence" in c:
        no_evidence = (c["open_weights"].astype(str) == "True") & (c["weights_evidence"] == "")
        lines.append(f"open rows without weights evidence: {int(no_evidence.sum())}")
    return lines
