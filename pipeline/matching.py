"""Match one model across sources, following the identity policy in docs/ARCHITECTURE.md.

The unit is a released checkpoint. `parse(name, release_date)` splits any spelling into
- `base`: the words that name the model (sorted) and its version numbers (in order), with
  packaging words, provider prefixes, reasoning-effort settings and hybrid-mode words removed;
- `yymm`: the checkpoint date when the name carries one ("-0528", "-2507", "-2024-08-06",
  "(May '25)", "preview-03-25"); "??MM" when only the month is known;
- `stage`: "preview"/"exp" when the name says so. A dated name needs no stage (the date names the
  checkpoint), an undated one keeps it in `base` ("QwQ-32B-Preview" is not "QwQ-32B").

`pipeline.catalog.assign_model_ids` groups mentions by `base`, splits each group by checkpoint date
and attaches undated spellings to the final checkpoint nearest their release date.
`pipeline/curated/aliases.csv` maps spellings the rules cannot reconcile (Mistral's "2505" =
"Medium 3"), and `pipeline/curated/duplicate_review.csv` records every reviewed near-duplicate.
"""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

CURATED = Path(__file__).parent / "curated"

# Words that describe packaging or serving, not a different checkpoint.
_DROP_TOKENS = {
    "instruct", "hf", "it", "fp8", "bf16", "fp16", "int4", "int8", "awq", "gguf", "latest", "the", "model",
    "api", "together", "fireworks", "web", "app", "webapp", "free", "beta", "nonthinking", "nothinking",
    "nvidia",   # NVIDIA's own prefix: "NVIDIA-Nemotron-Nano-9B-v2" is "Nemotron Nano 9B v2"
}
# Reasoning-effort settings and hybrid-mode words: variants of one checkpoint.
_MODE_TOKENS = {"minimal", "low", "medium", "high", "xhigh", "thinking", "reasoning", "nonreasoning", "adaptive",
                "effort", "none", "unknown"}
_EFFORT = {"minimal", "low", "medium", "high", "xhigh"}
_STAGE = {"preview": "preview", "exp": "exp", "experimental": "exp", "alpha": "alpha"}
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Models whose "Thinking" build is its own released checkpoint (own weights / own release), not a mode.
DISTINCT_THINKING = re.compile(
    r"qwen ?3.*(2507|vl|next|omni|max)|kimi k2 thinking|gemini 2 0 flash thinking|ernie.*thinking"
    r"|glm 4 1v.*thinking|hunyuan.*thinking|\bring\b")
# Models whose "-reasoning" build is a separately released checkpoint with its own weights, named so.
DISTINCT_REASONING = re.compile(r"^phi ")
# OpenAI's chat endpoints (gpt-5-chat, chatgpt-4o-latest, "Instant") are separate models.
_CHAT_FAMILY = re.compile(r"^(chat )?(gpt|o\d)")


@dataclasses.dataclass(frozen=True)
class Parsed:
    base: str
    yymm: str
    stage: str


def slugify(text: str) -> str:
    """A readable id: lowercase, runs of non-alphanumerics become '-'."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower().replace("+", " plus ")).strip("-")


def strip_vendor(name: str) -> str:
    """'OpenAI: GPT-5' and 'openai/gpt-5' -> 'GPT-5'."""
    text = re.sub(r"^[^:/]{1,30}:\s+", "", str(name))
    return text.rsplit("/", 1)[-1]


def _year_for_month(month: int, release_date: str, listed: bool = False) -> str:
    """Two-digit year of an MMDD suffix, from the mention's release date ('??' when unknown). A listing
    date (`listed`) comes after the checkpoint unless the listed id moved on to a newer checkpoint within
    weeks, so it points to the next year only for a month at most two ahead (LMArena first showed
    GPT-4-0314 in December 2023: the March before; OpenRouter's Flash Thinking 01-21 id dates from the
    December before it)."""
    m = re.match(r"(\d{4})-(\d{2})", release_date or "")
    if not m:
        return "??"
    year, rel_month = int(m.group(1)), int(m.group(2))
    if month > rel_month + 1:          # "-1206" seen first in January: the December before
        year -= 1
    elif month < rel_month and (month - rel_month) % 12 <= 2 if listed else month < rel_month - 6:
        year += 1                      # "-01-21" on an id listed in December: the January after
    return f"{year % 100:02d}"


def _take_date(text: str, release_date: str, listed: bool = False) -> tuple[str, str]:
    """Remove the checkpoint date from `text`; return (text, yymm or '')."""
    found: list[str] = []

    def put(yy: str, mm: int) -> str:
        found.append(f"{yy}{mm:02d}")
        return " "

    text = re.sub(r"\b(20\d\d)[-_]?(0[1-9]|1[0-2])[-_]?([0-3]\d)\b", lambda m: put(m.group(1)[2:], int(m.group(2))), text)
    text = re.sub(rf"\b{_MONTH_RE}[\s_-]*'?(\d{{4}}|\d{{2}})\b",
                  lambda m: put(m.group(2)[-2:], _MONTHS[m.group(1)[:3]]), text)
    text = re.sub(r"\b(0[1-9]|1[0-2])[-_](20\d\d)\b", lambda m: put(m.group(2)[2:], int(m.group(1))), text)
    # "-03-25" (Google's preview/exp dates): month-day, year from the release date
    text = re.sub(r"(?<=[a-z0-9])[-_ ](0[1-9]|1[0-2])-([0-3]\d)(?=$|[-_ ])",
                  lambda m: put(_year_for_month(int(m.group(1)), release_date, listed), int(m.group(1))), text)

    def four(m: re.Match) -> str:
        a, b = int(m.group(1)[:2]), int(m.group(1)[2:])
        if 23 <= a <= 27 and 1 <= b <= 12:                       # Qwen/Mistral "2507" = yymm
            return put(f"{a:02d}", b)
        if 1 <= a <= 12 and 1 <= b <= 31:                        # DeepSeek/OpenAI "0528" = mmdd
            return put(_year_for_month(a, release_date, listed), a)
        return m.group(0)

    text = re.sub(r"(?<![0-9.])\b(\d{4})\b(?![.][0-9])", four, text)
    return text, (found[0] if found else "")


def parse(name: str, release_date: str = "", listed: bool = False) -> Parsed:
    """Split a model name into (base words, checkpoint date, stage); see the module docstring. `listed`:
    the date is when a listing first showed the name (an upper bound of the checkpoint date)."""
    text = re.sub(r":[a-z]+$", "", strip_vendor(name).lower()).replace("_", " ")    # OpenRouter ":free"
    text = re.sub(r"(?<=\d{8})[-_ ](\d+k|base)\b", " ", text)       # Epoch's thinking budgets: "-20250219_16k"
    text = re.sub(r"\((free|beta|extended|nitro)\)|\([^()]*[^\x00-\x7f][^()]*\)", " ", text)
    text, yymm = _take_date(text, release_date, listed)
    text = re.sub(r"(\d)p(\d)", r"\1.\2", text)                   # deepseek-v3p2 -> v3.2
    text = re.sub(r"non[- ]?reasoning|no[- ]thinking|non[- ]thinking", " nonreasoning ", text)
    text = re.sub(r"chatgpt", " chat gpt ", text).replace("+", " plus ")
    text = re.sub(r"(high|low|medium|max|min)(thinking|reasoning)", r" \1 thinking ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    raw = text.split()
    # "qwen3" / "step3" / "llama3" -> word + number (one-letter prefixes such as o1, k2, v3, r1 stay)
    tokens: list[str] = []
    for t in raw:
        m = re.fullmatch(r"([a-z]{3,})(\d+)", t)
        tokens.extend([m.group(1), m.group(2)] if m else [t])
    joined = " ".join(tokens) + (f" {yymm}" if yymm else "")
    distinct_thinking = bool(DISTINCT_THINKING.search(joined)) and bool({"thinking", "reasoning"} & set(tokens))
    chat_family = bool(_CHAT_FAMILY.match(" ".join(raw)))
    thinking_budget = "thinking" in tokens or "reasoning" in tokens
    stage = ""
    kept = []
    for pos, t in enumerate(tokens):
        if t in _EFFORT and not any(re.search(r"\d", x) for x in tokens[:pos]) and not thinking_budget \
                and "effort" not in tokens:
            kept.append(t)                                          # "Mistral Medium": a tier, not a setting
            continue
        if t in _STAGE:
            stage = stage or _STAGE[t]
            continue
        if t in ("thinking", "reasoning") and distinct_thinking:
            kept.append("thinking")
            continue
        if t == "reasoning" and DISTINCT_REASONING.match(" ".join(tokens)):
            kept.append(t)                                          # Phi-4-reasoning is not Phi-4
            continue
        if t in _DROP_TOKENS or t in _MODE_TOKENS:
            continue
        if t == "max" and ("effort" in tokens or thinking_budget):
            continue                                                # "Max Thinking", "max effort"
        if thinking_budget and re.fullmatch(r"\d+k", t):
            continue                                                # thinking budgets: 16k, 32k
        if t == "chat" and not chat_family:
            continue                                                # "Llama-2-70b-chat": packaging
        if t == "instant" and chat_family:
            t = "chat"
        kept.append(t)
    if stage and not yymm:
        kept.append(stage)
    words = sorted(set(t for t in kept if not t.isdigit()))
    numbers = [t for t in kept if t.isdigit()]
    return Parsed(" ".join(words + numbers), yymm, stage)


def family_key(name: str) -> str:
    """The family a checkpoint belongs to: the name without dates, stages, modes and settings."""
    text = strip_vendor(name)
    text = re.sub(r"\([^)]*\)", " ", text)
    text, _ = _take_date(text.lower(), "")
    words = [w for w in re.split(r"[^a-z0-9.]+", text)
             if w and w not in _STAGE and w not in _MODE_TOKENS and w not in _DROP_TOKENS]
    return slugify(" ".join(words)) or slugify(name)


def alias_key(name: str) -> str:
    """Aliases match a spelling exactly (case and punctuation aside), so 'o1-preview' never catches 'o1'."""
    text = re.sub(r"^[^:/]{1,30}:\s+", "", str(name))
    return slugify(text.rsplit("/", 1)[-1])


@lru_cache(maxsize=1)
def _aliases() -> dict[tuple[str, str], tuple[str, str]]:
    path = CURATED / "aliases.csv"
    if not path.exists():
        return {}
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {(r.source, alias_key(r.name)): (r.model_id, r.reason) for r in df.itertuples()}


def alias_entry(source: str, name: str) -> tuple[str, str] | None:
    """(model_id, reason) of the reviewed alias for a (source, name) spelling. Source '*' applies to all."""
    key = alias_key(name)
    table = _aliases()
    return table.get((source, key)) or table.get(("*", key))
