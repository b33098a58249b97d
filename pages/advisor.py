"""Which should I use? A short wizard: your situation in; a recommendation, its reasons and what would change it out."""
import dataclasses

import pandas as pd
import streamlit as st

from openclosed import fmt, urlstate
from openclosed import advisor as adv
from ui import data, prebuilt, presenter, state
from ui.card import chart_card
from ui.controls import control
from ui import shell

shell.enter()  # a deep link on a fresh server runs the whole app

D = adv.Settings()
STEPS, STEP_KEYS = adv.STEPS, adv.STEP_KEYS
# Hides every step's questions except the current one's (the step's key is on the progress bar's container).
STEP_STYLE = """<style>
body:not(:has(.st-key-advcur_who))
  :is(.st-key-advstep_who, [data-testid='stLayoutWrapper']:has(> .st-key-advstep_who)) {display: none !important;}
body:not(:has(.st-key-advcur_workloads))
  :is(.st-key-advstep_workloads, [data-testid='stLayoutWrapper']:has(> .st-key-advstep_workloads)) {display: none !important;}
body:not(:has(.st-key-advcur_volume))
  :is(.st-key-advstep_volume, [data-testid='stLayoutWrapper']:has(> .st-key-advstep_volume)) {display: none !important;}
body:not(:has(.st-key-advcur_data))
  :is(.st-key-advstep_data, [data-testid='stLayoutWrapper']:has(> .st-key-advstep_data)) {display: none !important;}
body:not(:has(.st-key-advcur_team))
  :is(.st-key-advstep_team, [data-testid='stLayoutWrapper']:has(> .st-key-advstep_team)) {display: none !important;}
body:not(:has(.st-key-advcur_quality))
  :is(.st-key-advstep_quality, [data-testid='stLayoutWrapper']:has(> .st-key-advstep_quality)) {display: none !important;}
body:not(:has(.st-key-advcur_rest))
  :is(.st-key-advstep_rest, [data-testid='stLayoutWrapper']:has(> .st-key-advstep_rest)) {display: none !important;}
body:not(:has(.st-key-advcur_result))
  :is(.st-key-advstep_result, [data-testid='stLayoutWrapper']:has(> .st-key-advstep_result)) {display: none !important;}
</style>"""


@st.cache_resource(show_spinner=False)
@prebuilt.kept
def _data() -> adv.Data:
    return adv.prepare({name: data.table(name) for name in adv.TABLES})


@st.cache_resource(show_spinner="Working out your recommendation...", max_entries=state.VIEWS_KEPT)
@prebuilt.kept
def _recommend(s: adv.Settings):
    rec = adv.recommend(_data(), s, with_changes=False)
    return rec, adv.cards_from(rec)


@st.cache_resource(show_spinner="Looking for what would change it...", max_entries=state.VIEWS_KEPT)
@prebuilt.kept
def _changes(s: adv.Settings) -> list:
    """What would change the recommendation: most of a recommendation's time, so computed only on the result step
    (the other steps hide it)."""
    return adv.what_would_change(_data(), s, _recommend(s)[0].ev)


@st.cache_resource(show_spinner=False)
@prebuilt.kept
def _persona_sentence(key: str) -> str:
    return adv.one_sentence(adv.evaluate(_data(), adv.PERSONAS[key].settings))


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
@prebuilt.kept
def _level_text(ratio: float, level: float) -> str:
    return adv.level_summary(_data(), ratio, level)


# ---- callbacks: personas, back/next, "try this change" ----------------------------------------------------
def _widget_value(field: str, value):
    if field == "workloads":
        return list(value)
    if field == "level":
        return int(round(float(value)))
    if field.startswith("mix_"):
        return int(value)
    if field in ("tokens", "ratio"):
        return float(value)
    return value


def _set(values: dict, step: str | None = None) -> None:
    for field, value in values.items():
        st.session_state[f"adv_{field}"] = _widget_value(field, value)
    if step:
        st.session_state["adv_step"] = step


def _persona(key: str) -> None:
    s = adv.PERSONAS[key].settings
    _set({f: getattr(s, f) for f in adv.Settings.__dataclass_fields__}, step="result")


def _reset() -> None:
    _set({f: getattr(D, f) for f in adv.Settings.__dataclass_fields__}, step="who")


def _go(step: str) -> None:
    st.session_state["adv_step"] = step


def _what_would_change(changes: list, ev) -> None:
    """The single answers that would change the recommendation, each with a button that sets it."""
    st.subheader("What would change it")
    st.caption("Only changes you control: your volume, your quality bar, your data rules, your team and your time "
               "budget. Who you are and what the model does stay as you said.")
    if changes:
        first = changes[0]
        st.markdown(f"**The smallest change** ({first.lever}): {first.text}")
        st.button("Try this change", key="adv_try_0", icon=":material/science:", on_click=_set,
                  args=(dict(first.apply),), help="Sets that one answer; use Back or the link to return.")
        others = changes[1:5]
        if others:
            st.markdown("Other single changes that would change the recommendation:")
            for j, c in enumerate(others, start=1):
                left, right = st.columns([6, 1], vertical_alignment="center")
                left.markdown(f"- ({c.lever}) {c.text}")
                right.button("Try", key=f"adv_try_{j}", on_click=_set, args=(dict(c.apply),), width="stretch")
    else:
        st.markdown(f"No single change of answer alters the recommendation: {adv.OPTION_THE[ev.top]} stays first "
                    "whatever one answer you change (an answer that would only rule it out, leaving another "
                    "option first by default, is not a better fit and is not listed).")


# ---- the wizard's parts ----------------------------------------------------------------------------------------
def personas() -> None:
    """One button per persona: it fills in every answer and jumps to the result."""
    st.markdown("**Start from a persona** (one click fills in every answer; you can change any of them afterwards)")
    pcols = st.columns(len(adv.PERSONAS))
    for col, (key, p) in zip(pcols, adv.PERSONAS.items()):
        col.button(p.short, key=f"adv_persona_{key}", on_click=_persona, args=(key,), help=f"{p.label}: {p.blurb}",
                   width="stretch", icon=p.icon)
        col.caption(p.blurb)


def step_bar() -> tuple[str, int]:
    """The step picker and the progress bar; (the current step, its index)."""
    step = control("adv_step", required=True, label_visibility="collapsed", width="stretch", wrap=True) or "who"
    i = STEP_KEYS.index(step)
    # The progress bar sits in a container whose key names the current step; the style sheet below hides every
    # step's questions except that one's. Every step is drawn on every run, so answers stay put when the reader moves
    # between steps, and every answer stays in the URL.
    with st.container(key=f"advcur_{step}"):
        st.progress((i + 1) / len(STEP_KEYS), text=f"Step {i + 1} of {len(STEP_KEYS)}: {STEPS[step]}")
    st.html(STEP_STYLE)
    return step, i


def ask_who() -> dict:
    with st.container(key="advstep_who"):
        st.subheader("Who are you?")
        return {"adv_who": control("adv_who")}


def ask_workloads() -> dict:
    """The workloads and, for each chosen one, its share of the traffic (unchosen ones keep their default: unused)."""
    with st.container(key="advstep_workloads"):
        st.subheader("What will the model do?")
        workloads = control("adv_workloads")
        values = {"adv_workloads": tuple(workloads or ())}
        if workloads:
            st.caption("How much of your traffic does each take? (relative shares; they are rescaled to 100%)")
            mcols = st.columns(min(len(workloads), 4))
            for j, w in enumerate(w for w in adv.WORKLOADS if w in workloads):
                values[f"adv_mix_{w}"] = control(f"adv_mix_{w}", mcols[j % len(mcols)])
        else:
            st.info("Pick at least one workload. Until you do, the wizard assumes chat and support.")
    return values


def ask_volume() -> dict:
    with st.container(key="advstep_volume"):
        st.subheader("How much will you use it?")
        return {"adv_tokens": control("adv_tokens"), "adv_ratio": control("adv_ratio")}


def ask_data() -> dict:
    with st.container(key="advstep_data"):
        st.subheader("How sensitive is your data?")
        return {key: control(key) for key in ("adv_sensitivity", "adv_locality", "adv_audit")}


def ask_team() -> dict:
    with st.container(key="advstep_team"):
        st.subheader("What can your team run?")
        values = {"adv_team": control("adv_team"), "adv_gpus": control("adv_gpus")}
        h1, h2 = st.columns(2)
        return values | {"adv_sh_model": control("adv_sh_model", h1), "adv_sh_gpu": control("adv_sh_gpu", h2)}


def ask_quality(ratio: float) -> dict:
    """The quality need and, unless it is the frontier, the level that is good enough."""
    with st.container(key="advstep_quality"):
        st.subheader("How good must it be?")
        quality = control("adv_quality")
        level = control("adv_level", disabled=quality == "frontier")
        st.caption(_level_text(float(ratio), float(level)))
    return {"adv_quality": quality, "adv_level": level}


def ask_rest() -> dict:
    with st.container(key="advstep_rest"):
        st.subheader("The rest")
        r1, r2 = st.columns(2)
        return {"adv_latency": control("adv_latency", r1), "adv_finetune": control("adv_finetune", r1),
                "adv_ttm": control("adv_ttm", r2), "adv_risk_tolerance": control("adv_risk_tolerance", r2)}


def navigation(step: str, i: int, rec) -> None:
    """Back, Next, Skip and Start over; before the result, the recommendation so far in one line."""
    nav = st.columns([1, 1, 2, 1])
    nav[0].button("Back", icon=":material/arrow_back:", disabled=i == 0, key="adv_back", width="stretch",
                  on_click=_go, args=(STEP_KEYS[max(i - 1, 0)],))
    if step != "result":
        nav[1].button("Next", icon=":material/arrow_forward:", type="primary", key="adv_next", width="stretch",
                      on_click=_go, args=(STEP_KEYS[i + 1],))
        nav[2].button("Skip to my recommendation", icon=":material/fast_forward:", key="adv_skip", width="stretch",
                      on_click=_go, args=("result",))
    nav[3].button("Start over", icon=":material/restart_alt:", key="adv_reset", width="stretch", on_click=_reset)

    if step != "result":
        st.caption(f"So far: {rec.headline}")


def recommendation(rec, by_key: dict) -> None:
    """The headline, the ranking, what was ruled out, the scores and why."""
    st.header("Your recommendation")
    st.success(f"**{rec.headline}**", icon=":material/recommend:")
    st.markdown(f"**In one sentence:** {rec.sentence}")
    st.caption("The four options: " + "; ".join(f"**{adv.OPTION_LABELS[o]}**, {adv.OPTION_LONG[o]}"
                                                for o in adv.OPTIONS) + ".")
    allowed = rec.ranking[rec.ranking["ruled_out"] == ""]
    mcols = st.columns(4)
    for col, r in zip(mcols, allowed.itertuples()):
        col.metric(f"{r.rank}. {r.label}", f"{r.score:.0f} / 100", help=f"Model: {r.model}")
        col.caption(f"{r.model} · {fmt.usd(r.monthly_usd)}/month")
    if len(rec.ruled_out):
        st.markdown("**Ruled out by your answers** (scored, but ranked after every option you can use)")
        st.dataframe(rec.ruled_out[["label", "rule", "why", "score"]], hide_index=True, width="stretch",
                     key="adv_ruled_out",
                     column_config={"label": "Option", "rule": "Ruled out by", "why": "Why",
                                    "score": st.column_config.NumberColumn("Score", format="%.0f")})
    chart_card(by_key["advisor_scores"])

    st.subheader("Why")
    st.markdown("\n".join(f"- {s}" for s in rec.drivers["sentence"]))
    if rec.against:
        st.markdown(f"- *{rec.against}*")


def what_it_costs(rec, settings: adv.Settings, by_key: dict) -> None:
    st.subheader("What it would cost")
    z = rec.ev.self_host.sizing
    st.markdown(f"**Self-hosting assumes {adv.setup_text(z)}**: {z.why}.")
    st.caption(f"Memory: {z.memory_why}." + (" The throughput is an estimate outside MLPerf's measured setups."
                                               if z.estimate else ""))
    idle = adv.idle_text(z, settings.tokens)
    if idle:
        st.warning(idle, icon=":material/hourglass_empty:")
    chart_card(by_key["advisor_costs"])
    st.dataframe(rec.costs[["label", "model", "monthly_usd", "low", "high", "usd_per_mtok", "detail"]],
                 hide_index=True, width="stretch",
                 column_config={"label": "Option", "model": "Model",
                                "monthly_usd": st.column_config.NumberColumn("USD a month", format="$%,.0f"),
                                "low": st.column_config.NumberColumn("Low", format="$%,.0f"),
                                "high": st.column_config.NumberColumn("High", format="$%,.0f"),
                                "usd_per_mtok": st.column_config.NumberColumn("USD per M tokens", format="$%.3f"),
                                "detail": st.column_config.TextColumn("How", width="large")})


def models_to_try(rec) -> None:
    st.subheader("Models to try")
    st.caption("Models with an AA price that meet your quality need, best for your workload mix first; where fewer "
               "than four do, the nearest misses follow. The model the costs use (the cheapest that meets the need) "
               "comes first. Workload fit: the model's score on each workload's benchmark as a share of the best "
               "priced model's, weighted by your mix.")
    st.dataframe(
        rec.candidates[["side", "model", "organization", "aa_index", "meets_need", "workload_fit_pct",
                        "input_usd_per_mtok", "output_usd_per_mtok", "monthly_usd", "output_tokens_per_s",
                        "seconds_to_first_answer_token", "used_for_costs"]],
        hide_index=True, width="stretch",
        column_config={"side": "Side", "model": "Model", "organization": "Organization",
                       "aa_index": st.column_config.NumberColumn("AA index", format="%.1f"),
                       "meets_need": "Meets need",
                       "workload_fit_pct": st.column_config.NumberColumn("Workload fit", format="%.0f%%"),
                       "input_usd_per_mtok": st.column_config.NumberColumn("Input $/M", format="$%.3f"),
                       "output_usd_per_mtok": st.column_config.NumberColumn("Output $/M", format="$%.3f"),
                       "monthly_usd": st.column_config.NumberColumn("USD a month", format="$%,.0f"),
                       "output_tokens_per_s": st.column_config.NumberColumn("Output tokens/s", format="%.0f"),
                       "seconds_to_first_answer_token": st.column_config.NumberColumn("s to first answer token",
                                                                                      format="%.1f"),
                       "used_for_costs": "Used for costs"})
    st.caption("Scores, prices and speeds: Artificial Analysis (attribution required), snapshot "
               f"{rec.as_of['AA scores and prices']}. Speed is AA's median for the same entry where measured.")


def risks_to_watch(rec) -> None:
    st.subheader(f"Risks to watch with {adv.OPTION_THE[rec.ev.top]}")
    st.caption("The largest risks in the report's risk register for this option, weighted for your situation "
               "(see the Risk page), and what to do about each.")
    for r in rec.risks.itertuples():
        st.markdown(f"- **{r.risk}** ({r.option}). {r.mitigation} Source: [{r.source}]({r.url})")


def share(rec, settings: adv.Settings) -> None:
    """The link that holds every answer, and the recommendation as Markdown or HTML."""
    st.subheader("Share or download my recommendation")
    link = presenter.share_url("advisor")
    st.caption("This link holds every answer: opening it reproduces this recommendation.")
    st.code(link, language=None, wrap_lines=True)
    d1, d2, _ = st.columns([1, 1, 2])
    d, whole = _data(), lambda: dataclasses.replace(rec, changes=adv.what_would_change(d, settings, rec.ev))
    d1.download_button("Markdown", data=lambda: adv.to_markdown(whole(), link), file_name="my-recommendation.md",
                       mime="text/markdown", key="adv_dl_md", icon=":material/description:", on_click="ignore",
                       width="stretch")
    d2.download_button("HTML", data=lambda: adv.to_html(whole(), link), file_name="my-recommendation.html",
                       mime="text/html", key="adv_dl_html", icon=":material/html:", on_click="ignore", width="stretch")
    st.caption("One page: your answers, the ranking, the reasons, costs, candidate models, risks, and the data's "
               "as-of dates: " + "; ".join(f"{k} {v}" for k, v in rec.as_of.items()) + ".")
    for note in rec.notes:
        st.caption(f"Note: {note}")


def how_it_decides(rec, step: str) -> None:
    """The scoring model behind the recommendation: criteria, weights, rules, ratings and the personas."""
    st.header("How the wizard decides")
    with st.expander("The scoring model: criteria, weights, ratings and rules", expanded=step == "result"):
        st.markdown(
            "Each option gets a **rating** from 0 to 1 on each criterion, and each criterion a **weight** from your "
            "answers. **Score = 100 × Σ weight × rating ÷ Σ weight**, so scores run from 0 to 100 and each bar segment "
            "above is one criterion's share. The data-driven ratings come from the same code as the Cost and Risk "
            "pages; the others are the report's judgment, each with its reason below. An answer that makes an option "
            "impossible rules it out: it keeps its score but ranks last. **What would change it** re-runs the model for "
            "every single change of answer (every other choice, every volume on the slider, every 5 points of quality "
            "level) and lists those that change the top option, smallest change first; volume thresholds are found by "
            "bisection."
        )
        st.markdown("**The criteria**")
        st.table(adv.criteria_table().set_index("criterion"))
        st.markdown("**Your weights** (base weight for who you are × every rule that matches an answer)")
        st.table(pd.DataFrame({"Criterion": rec.weights["label"], "Base": rec.weights["base"].map("{:g}".format),
                               "Weight": rec.weights["weight"].map("{:.3g}".format),
                               "Share of the score": rec.weights["share"].map("{:.0%}".format),
                               "Changed by": rec.weights["reasons"]}).set_index("Criterion"))
        st.markdown("**Base weights by who you are**")
        st.table(adv.weights_table().set_index("who you are"))
        st.markdown("**Rules: answers that change a weight or rule an option out**")
        st.table(adv.rules_table().assign(**{"weight ×": lambda df: df["weight ×"].map(
            lambda v: "" if pd.isna(v) else f"{v:g}")}).set_index("answer"))
        st.markdown("**Judgment ratings** (criteria no table in data/ measures)")
        st.table(adv.ratings_table().assign(rating=lambda df: df["rating"].map("{:g}".format)).set_index("criterion"))
        st.markdown("**Every option's ratings for your answers**")
        st.table(rec.ratings.drop(columns=["criterion"]).rename(columns={"label": "Criterion"}).set_index("Criterion")
                 .map("{:.2f}".format))
        st.markdown("**The personas and what the wizard should tell them** (checked by the tests)")
        st.table(pd.DataFrame([{"persona": p.label, "situation": p.blurb,
                                "expected": " or ".join(adv.OPTION_LABELS[o] for o in p.expect),
                                "why": p.reasoning, "the wizard's answer, in one sentence": _persona_sentence(k)}
                               for k, p in adv.PERSONAS.items()]).set_index("persona"))


# ---- page --------------------------------------------------------------------------------------------------
st.title("Which should I use?")
st.markdown(
    "Open weights or a closed API, hosted or on your own GPUs, or a mix? Answer seven short questions, or start "
    "from a persona, and the wizard scores four options on eight criteria, using the same cost model, benchmark "
    "scores and risk register as the rest of this report. It tells you **why** it chose, and **what would change "
    "its mind**. Every answer is in the page's link, so sharing the link shares the recommendation."
)

@shell.fragment
def wizard() -> None:
    """The personas, the questions and the recommendation; a fragment, so an answer reruns this part only."""
    personas()
    step, i = step_bar()
    answers = ask_who() | ask_workloads() | ask_volume() | ask_data() | ask_team()
    answers |= ask_quality(answers["adv_ratio"]) | ask_rest()
    settings = urlstate.settings_from_values("advisor", answers)
    presenter.remember_view("advisor", settings)
    rec, cards = _recommend(settings)
    by_key = {c.key: c for c in cards}
    navigation(step, i, rec)

    with st.container(key="advstep_result"):
        recommendation(rec, by_key)
        if step == "result":
            _what_would_change(_changes(settings), rec.ev)
        what_it_costs(rec, settings, by_key)
        st.subheader("A hybrid, if you want one")
        chart_card(by_key["advisor_routing"])
        models_to_try(rec)
        risks_to_watch(rec)
        share(rec, settings)
    how_it_decides(rec, step)


wizard()
