"""Advisor download: the recommendation as one page of Markdown or HTML."""
from __future__ import annotations

import html

from openclosed import cost, fmt, theme
from openclosed.advisor.model import (
    FINETUNE, GPUS, LATENCY, LOCALITY, OPTION_LABELS, QUALITY, RISK_TOLERANCE, SENSITIVITY, Settings, TEAM,
    TTM, WHO, WORKLOADS,
)
from openclosed.advisor.recommend import Recommendation
from openclosed.advisor.section import routing_title


# ====================================================================================================
# Download: one page, Markdown or HTML
# ====================================================================================================
def answers_table(s: Settings) -> list[tuple[str, str]]:
    mix = ", ".join(f"{WORKLOADS[w]} {v:.0%}" for w, v in s.mix().items())
    need = QUALITY[s.quality] + ("" if s.quality == "frontier" else f" (AA Intelligence Index ≥ {s.level:g})")
    return [("Who you are", WHO[s.who]), ("Workloads", mix),
            ("Monthly volume", f"{fmt.tokens(s.tokens)} tokens, input:output {fmt.ratio(s.ratio)}"),
            ("Data sensitivity", SENSITIVITY[s.sensitivity]), ("Location", LOCALITY[s.locality]),
            ("Audit the model", "yes" if s.audit else "no"), ("Team", TEAM[s.team]), ("GPUs", GPUS[s.gpus]),
            ("Quality need", need), ("Latency", LATENCY[s.latency]), ("Fine-tuning", FINETUNE[s.finetune]),
            ("Time to market", TTM[s.ttm]), ("Risk tolerance", RISK_TOLERANCE[s.risk_tolerance]),
            ("Self-hosting setup", "auto (sized to your volume)" if (s.sh_model, s.sh_gpu) == ("auto", "auto")
             else f"model {s.sh_model}, GPU {s.sh_gpu}")]


def _blocks(rec: Recommendation, link: str = "") -> list[tuple]:
    ev = rec.ev
    b: list[tuple] = [("h1", "Which should I use? My recommendation"),
                      ("p", "From the Open vs Closed AI report. Data as of: "
                       + "; ".join(f"{k} {v}" for k, v in rec.as_of.items()) + ".")]
    if link:
        b.append(("p", f"Link that reproduces this recommendation: {link}"))
    b += [("h2", "Recommendation"), ("p", rec.headline), ("p", "In one sentence: " + rec.sentence),
          ("table", ["Rank", "Option", "Score (of 100)", "Model", "USD a month"],
           [[str(r.rank), r.label, fmt.num(r.score, 1), r.model, fmt.usd(r.monthly_usd)]
            for r in rec.ranking.itertuples() if not r.ruled_out])]
    if len(rec.ruled_out):
        b += [("h2", "Ruled out by your answers"),
              ("table", ["Option", "Ruled out by", "Why"],
               [[r.label, r.rule, r.why] for r in rec.ruled_out.itertuples()])]
    b += [("h2", "Why"), ("ul", list(rec.drivers["sentence"]) + ([rec.against] if rec.against else [])),
          ("h2", "What would change it")]
    if rec.changes:
        b.append(("ul", [f"({c.lever}) {c.text}" for c in rec.changes[:5]]))
    else:
        b.append(("p", "No single change of answer alters the top recommendation."))
    b += [("h2", f"Estimated monthly cost at {fmt.tokens(rec.settings.tokens)} tokens"),
          ("table", ["Option", "USD a month", "Range", "How"],
           [[r.label, fmt.usd(r.monthly_usd),
             "" if r.low == r.high else f"{fmt.usd(r.low)}–{fmt.usd(r.high)}", r.detail]
            for r in rec.costs.itertuples()]),
          ("h2", "Hybrid routing"), ("p", routing_title(rec) + "."),
          ("table", ["Workload", "Share of traffic", "To open", "To closed", "Benchmark"],
           [[r.workload, f"{r.share_of_traffic:.0%}", f"{r.to_open:.0%}", f"{r.to_closed:.0%}", r.benchmark]
            for r in rec.routing.itertuples()]),
          ("h2", "Candidate models"),
          ("table", ["Side", "Model", "AA index", "Meets need", "Workload fit", "In / out $ per M", "USD a month",
                     "Used"],
           [[r.side, r.model, f"{r.aa_index:.1f}", "yes" if r.meets_need else "no", f"{r.workload_fit_pct:.0f}%",
             f"{fmt.usd(r.input_usd_per_mtok)} / {fmt.usd(r.output_usd_per_mtok)}",
             fmt.usd(r.monthly_usd), "yes" if r.used_for_costs else ""] for r in rec.candidates.itertuples()]),
          ("h2", f"Risks to watch ({OPTION_LABELS[ev.top]})"),
          ("ul", [f"{r.risk} ({r.option}): {r.mitigation} Source: {r.source} {r.url}" for r in rec.risks.itertuples()]),
          ("h2", "My answers"), ("table", ["Question", "Answer"], [[k, v] for k, v in answers_table(rec.settings)]),
          ("h2", "How the score works"),
          ("p", "score = 100 × Σ weight × rating ÷ Σ weight. Weights for these answers: "
           + "; ".join(f"{r.label} {r.weight:.2g}" for r in rec.weights.itertuples()) + "."),
          ("ul", rec.notes),
          ("p", "Sources: Artificial Analysis (scores and prices, attribution required); MLCommons MLPerf Inference "
                "v5.1 and v6.0; GPU rental prices (tugot17/gpu-price-tracker); the report's curated risk register.")]
    return b


def to_markdown(rec: Recommendation, link: str = "") -> str:
    out = []
    for blk in _blocks(rec, link):
        kind = blk[0]
        if kind == "h1":
            out.append(f"# {blk[1]}\n")
        elif kind == "h2":
            out.append(f"## {blk[1]}\n")
        elif kind == "p":
            out.append(f"{blk[1]}\n")
        elif kind == "ul":
            out.append("\n".join(f"- {x}" for x in blk[1]) + "\n")
        elif kind == "table":
            head, rows = blk[1], blk[2]
            cell = lambda x: str(x).replace("|", "\\|").replace("\n", " ")   # noqa: E731
            lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            lines += ["| " + " | ".join(cell(x) for x in r) + " |" for r in rows]
            out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def to_html(rec: Recommendation, link: str = "") -> str:
    e = html.escape
    parts = ["<!doctype html><html lang='en'><head><meta charset='utf-8'>",
             "<title>Which should I use? My recommendation</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:900px;margin:2rem auto;padding:0 1rem;"
             f"line-height:1.45;color:{theme.INK}}}table{{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}}"
             f"td,th{{border:1px solid {theme.UNKNOWN};padding:.3rem .5rem;text-align:left;vertical-align:top}}"
             f"th{{background:{theme.SHADE}}}h2{{margin-top:1.6rem}}</style></head><body>"]
    for blk in _blocks(rec, link):
        kind = blk[0]
        if kind in ("h1", "h2"):
            parts.append(f"<{kind}>{e(blk[1])}</{kind}>")
        elif kind == "p":
            parts.append(f"<p>{e(blk[1])}</p>")
        elif kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{e(str(x))}</li>" for x in blk[1]) + "</ul>")
        elif kind == "table":
            head, rows = blk[1], blk[2]
            parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr></thead><tbody>"
                         + "".join("<tr>" + "".join(f"<td>{e(str(x))}</td>" for x in r) + "</tr>" for r in rows)
                         + "</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)
