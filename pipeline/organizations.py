"""Organizations as entities: `pipeline/curated/organizations.csv` -> ids, canonical names, countries.

Columns: `org_id`, `name`, `aliases` (every spelling the sources use, ';'-separated; matched without case
or punctuation), `country` (';'-separated when the organization itself sits in two, as Epoch records
Google DeepMind), `type` (company, university, research_institute, government_lab, nonprofit, brand,
community), `parent` (the organization a brand or team belongs to: Kimi -> Moonshot AI), `model_prefixes`
(';'-separated model-id prefixes the organization names its models with: `palm` for Google; used only when
no source names an organization for a model), `source`.

The multi-country rule, stated once: a model's countries are the distinct countries of its organizations,
in the order the organizations are listed (an organization without its own country takes its parent's),
comma-joined as Epoch spells them. Pages then group the countries by `openclosed.countries` (a model counts
for every country its developers are in; Hong Kong as China).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

PATH = Path(__file__).parent / "curated" / "organizations.csv"
COLUMNS = ["org_id", "name", "aliases", "country", "type", "parent", "model_prefixes", "source"]
TYPES = {"company", "university", "research_institute", "government_lab", "nonprofit", "brand", "community"}
# Epoch joins co-developers with commas; these names contain a comma themselves.
_WHOLE_NAMES = ("Co., Ltd.",)


def spelling_key(text: str) -> str:
    """'~x-ai', 'x-ai' and 'xAI' -> 'xai'."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def read_organizations(path: Path = PATH) -> pd.DataFrame:
    """The curated table, checked: unique ids, known types and parents, no spelling claimed twice."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "model_prefixes" not in df.columns:
        df["model_prefixes"] = ""                       # optional: only a fallback when no source names one
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{path.name} is missing columns {missing}")
    df = df[COLUMNS]
    dup = sorted(df.loc[df["org_id"].duplicated(), "org_id"])
    if dup:
        raise ValueError(f"{path.name}: duplicate org_id {dup[:5]}")
    bad_type = sorted(set(df["type"]) - TYPES)
    if bad_type:
        raise ValueError(f"{path.name}: unknown type {bad_type}; allowed {sorted(TYPES)}")
    bad_parent = sorted(set(df["parent"]) - set(df["org_id"]) - {""})
    if bad_parent:
        raise ValueError(f"{path.name}: parent not in the table {bad_parent[:5]}")
    seen: dict[str, str] = {}
    for oid, name, aliases in zip(df["org_id"], df["name"], df["aliases"]):
        for spelling in [name, oid, *aliases.split(";")]:
            k = spelling_key(spelling)
            if k and seen.setdefault(k, oid) != oid:
                raise ValueError(f"{path.name}: spelling '{spelling}' belongs to both {seen[k]} and {oid}")
    return df


@dataclass(frozen=True, eq=False)
class Organizations:
    table: pd.DataFrame

    @property
    def _by_key(self) -> dict[str, str]:
        return _index(self)

    def split(self, text: str) -> list[str]:
        """A source's organization string -> the spellings of the organizations it names."""
        text = str(text or "").strip()
        if not text:
            return []
        if spelling_key(text) in self._by_key or any(w in text for w in _WHOLE_NAMES):
            return [text]
        return [p.strip() for p in text.split(",") if p.strip()]

    def resolve(self, text: str) -> tuple[list[str], list[str]]:
        """(org ids, spellings the table does not know) of a source's organization string."""
        ids, unknown = [], []
        for part in self.split(text):
            oid = self._by_key.get(spelling_key(part))
            if oid is None:
                unknown.append(part)
            elif oid not in ids:
                ids.append(oid)
        return ids, unknown

    def by_model_prefix(self, model_id: str) -> str:
        """The organization whose `model_prefixes` holds the longest prefix of a model id ('' when none):
        palm-2-l -> google, qwen2-5-coder-14b -> qwen. A prefix ends at '-' or a digit."""
        best = ("", "")
        for oid, prefixes in zip(self.table["org_id"], self.table["model_prefixes"]):
            for p in filter(None, prefixes.split(";")):
                if re.match(rf"{re.escape(p)}(?=[-0-9]|$)", model_id) and len(p) > len(best[1]):
                    best = (oid, p)
        return best[0]

    def row(self, org_id: str) -> dict:
        return _rows(self).get(org_id, {})

    def name(self, org_id: str) -> str:
        return self.row(org_id).get("name", org_id)

    def root(self, org_id: str) -> str:
        """The top of an organization's parent chain (Kimi -> Moonshot AI; Qwen -> Alibaba)."""
        seen = {org_id}
        while (parent := self.row(org_id).get("parent", "")) and parent not in seen:
            seen.add(parent)
            org_id = parent
        return org_id

    def own_countries(self, org_id: str) -> list[str]:
        """An organization's countries; its parent's when it records none."""
        seen = set()
        while org_id and org_id not in seen:
            seen.add(org_id)
            row = self.row(org_id)
            countries = [c for c in row.get("country", "").split(";") if c]
            if countries:
                return countries
            org_id = row.get("parent", "")
        return []

    def display(self, org_ids: list[str]) -> str:
        """Names for a catalog row: a brand shows as the organization that owns it (Kimi -> Moonshot AI)."""
        names: list[str] = []
        for oid in org_ids:
            shown = self.row(oid).get("parent") if self.row(oid).get("type") == "brand" else ""
            name = self.name(shown or oid)
            if name not in names:
                names.append(name)
        return ", ".join(names)

    def countries(self, org_ids: list[str]) -> str:
        """The multi-country rule (module docstring): distinct countries of the organizations, in order."""
        out: list[str] = []
        for oid in org_ids:
            for c in self.own_countries(oid):
                if c not in out:
                    out.append(c)
        return ",".join(out)


@lru_cache(maxsize=4)
def _index(orgs: Organizations) -> dict[str, str]:
    t = orgs.table
    out: dict[str, str] = {}
    for oid, name, aliases in zip(t["org_id"], t["name"], t["aliases"]):
        for spelling in [oid, name, *aliases.split(";")]:
            if spelling_key(spelling):
                out.setdefault(spelling_key(spelling), oid)
    return out


@lru_cache(maxsize=4)
def _rows(orgs: Organizations) -> dict[str, dict]:
    return {r["org_id"]: r for r in orgs.table.to_dict("records")}


def load(path: Path = PATH) -> Organizations:
    return Organizations(read_organizations(path))
