"""Risk: what can go wrong with each option, weighted by what matters to you."""
import dataclasses

import pandas as pd
import streamlit as st

from openclosed import export, fmt, risk, urlstate
from openclosed.cards import ChartCard
from ui import data, prebuilt, presenter, shell, state
from ui.card import chart_card
from ui.controls import control

shell.enter()  # a deep link on a fresh server runs the whole app



@st.cache_resource(show_spinner=False)
@prebuilt.kept
def _measured() -> dict[str, pd.DataFrame]:
    tables = {name: data.table(name) for name in risk.TABLES}
    m = risk.measured(tables)
    m["sensitivity"] = risk.churn_sensitivity(m["classified"])
    return m


@st.cache_resource(show_spinner=False)
@prebuilt.kept
def _measured_cards() -> list[ChartCard]:
    tables = {name: data.table(name) for name in risk.TABLES}
    return risk.measured_cards(tables, _measured())


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
@prebuilt.kept
def _scoring(settings: risk.Settings) -> tuple[dict[str, ChartCard], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The cards, option scores and contributions for one setting of the weights, and the contributions as the
    table the formula section shows."""
    cards, scores, contribs = risk.scoring(data.table("risk_register"), settings)
    return {c.key: c for c in cards}, scores, contribs, _contribution_table(contribs)


def _contribution_table(contribs: pd.DataFrame) -> pd.DataFrame:
    table = contribs.sort_values(["option", "contribution"], ascending=[True, False])
    return pd.DataFrame({
        "No.": table["no"], "Option": table["option"].map(risk.OPTION_SHORT), "Risk": table["risk"],
        "Likelihood": [f"{lo:g}-{hi:g}" for lo, hi in zip(table["likelihood_low"], table["likelihood_high"])],
        "Impact": [f"{lo:g}-{hi:g}" for lo, hi in zip(table["impact_low"], table["impact_high"])],
        "L_mid x I_mid": table["severity_mid"], "Category weight": table["category_weight"],
        "Situation x": table["context_multiplier"], "Weight": table["weight"],
        "Rows in category": table["rows_in_category"],
        "Contribution": table["contribution"], "Share of score": table["share"] * 100,
        "Situation effect": table["context_effect"], "Category": table["category"].map(risk.CATEGORY_LABELS),
    })


@st.cache_resource(show_spinner=False)
@prebuilt.kept
def _fixed_tables() -> dict:
    """The page's tables that no control changes, formatted once per server."""
    register, m = data.table("risk_register"), _measured()
    sens = m["sensitivity"]
    sensitivity = pd.DataFrame({
        "Classification": sens["variant"],
        "Closed: gone of 2024 ids (%)": sens["closed_gone_2024_pct"].round(0),
        "Open: gone of 2024 ids (%)": sens["open_gone_2024_pct"].round(0),
        "Closed: median life": [_days(v) for v in sens["closed_median_days"]],
        "Open: median life": [_days(v) for v in sens["open_median_days"]],
        "Closed: gone within a year (%)": sens["closed_gone_1y_pct"].round(0),
        "Open: gone within a year (%)": sens["open_gone_1y_pct"].round(0),
    })
    spikes = m["spikes"]
    spikes_view = spikes.assign(cls=spikes["cls"].map(risk.CLASS_LABELS)).rename(columns={
        "source_id": "OpenRouter id", "cls": "Class", "date": "Jump date", "before": "Before ($/M, blended)",
        "peak": "Peak", "after": "After", "multiple": "Peak / before", "days_to_revert": "Days to fall back"})
    reg_view = register[["risk", "option", "category", "likelihood_low", "likelihood_high", "impact_low",
                         "impact_high", "rationale", "mitigation", "amplified_by", "dampened_by", "source", "url",
                         "source2", "url2", "source3", "url3"]].copy()
    reg_view["option"] = reg_view["option"].map(risk.OPTION_SHORT)
    reg_view["category"] = reg_view["category"].map(risk.CATEGORY_LABELS)
    reg_view = reg_view.rename(columns={
        "risk": "Risk", "option": "Option", "category": "Category", "likelihood_low": "Likelihood low",
        "likelihood_high": "Likelihood high", "impact_low": "Impact low", "impact_high": "Impact high",
        "rationale": "Rationale (judgment)", "mitigation": "Mitigation", "amplified_by": "Raised by",
        "dampened_by": "Lowered by", "source": "Source", "source2": "Source 2", "source3": "Source 3"})
    return {"rules": risk.ids_by_rule(m["classified"]), "sensitivity": sensitivity, "spikes": spikes_view, "n_spikes": len(spikes),
            "n_spikes_open": int((spikes["cls"] == "open").sum()),
            "n_spikes_closed": int((spikes["cls"] == "closed").sum()), "register": reg_view}


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
@prebuilt.kept
def _mitigations(settings: risk.Settings) -> pd.DataFrame:
    return risk.mitigations(data.table("risk_register"), settings.option, settings.weights(), settings.context())


def _days(value) -> str:
    return "not reached" if value is None or pd.isna(value) else f"{fmt.num(value, 0)} days"


register = data.table("risk_register")
m = _measured()
fixed = _fixed_tables()
churn = m["churn"].set_index("cls")
vol = m["volatility"].set_index("cls")

st.title("Risk: what can go wrong with each option")
st.markdown(
    "There are three ways to use a large language model: run **open weights on your own infrastructure**, call "
    "**open weights through a hosted provider** (an inference company or a router such as OpenRouter), or call a "
    "**closed model through its vendor's API**. Each can fail you in different ways. This page lists those risks "
    "in a register where every row cites public sources, weighs them by what matters to you, and measures the two "
    "risks that public data can measure: models disappearing from a catalog, and prices moving under you."
)
st.info(
    "**The likelihood and impact of each risk are the report's judgment**, written as ranges on a 1-5 scale "
    "with a rationale and sources for every row (OWASP, NIST, vendor deprecation policies, and others). They are "
    "not data. Change the weights and your situation below to see how the picture shifts; the uncertainty band "
    "shows how much the ranges themselves matter.",
    icon=":material/balance:",
)

listed_from, listed_to = (str(data.table("listings")["first_seen"].min()),
                                            str(data.table("listings")["last_seen"].max()))
st.markdown(f"**Measured on OpenRouter, {fmt.day(listed_from)} to {fmt.day(listed_to)}** (method and caveats "
            "further down):")
for cls in ("closed", "open"):
    cols = st.columns(3)
    name = risk.CLASS_LABELS[cls]
    cols[0].metric(f"{name}: 2024 listings gone", f"{fmt.num(100 * churn.loc[cls, 'share_gone_2024'], 0)}%",
                   help=f"{churn.loc[cls, 'gone_2024']} of the {churn.loc[cls, 'listed_2024']} OpenRouter ids first "
                        f"seen in 2024 were no longer listed on {listed_to}")
    cols[1].metric(f"{name}: median listing life", _days(churn.loc[cls, "median_days"]),
                   help=f"Kaplan-Meier median, ids first listed after {listed_from}")
    cols[2].metric(f"{name}: price moves a year", f"{fmt.num(vol.loc[cls, 'moves_per_model_year'], 2)}",
                   help="Listed-price changes per model-year listed")
tests = m["tests"]
st.caption("Open vs closed, each with its test: " + risk.tests_text(tests) + ". A difference with p ≥ 0.05 (or an "
           "interval that includes 0) is no clear difference.")

def read_priorities() -> risk.Settings:
    """The weights and the situation, drawn from their declarations (openclosed/urlstate.py)."""
    st.header("Your priorities")
    st.markdown(
        "Set how much each kind of risk matters to you (0 = ignore, 1 = the default, 5 = five times as much), and "
        "describe your situation. A situation switch multiplies the weight of the risks the register links to it "
        f"by {risk.CONTEXT_UP:g} (for example, personal data raises *data leaving your control*) or by "
        f"{risk.CONTEXT_DOWN:g} (an in-house ML team lowers *operational burden* and *supply-chain tampering*)."
    )
    with st.container(border=True, key="risk_controls"):
        left, right = st.columns([3, 2], gap="large")
        left.markdown("**How much each category matters**")
        values = {f"risk_w_{c}": control(f"risk_w_{c}", left) for c in risk.CATEGORIES}
        right.markdown("**Your situation**")
        values |= {f"risk_ctx_{c}": control(f"risk_ctx_{c}", right) for c in risk.CONTEXTS}
    # The option (for mitigations) is chosen further down; the scores do not depend on it.
    return urlstate.settings_from_values("risk", values)


def scores_section(by_key: dict, scores: pd.DataFrame, settings: risk.Settings) -> None:
    """The weighted score per option, what drives it, and a likelihood-impact map per option."""
    st.header("Weighted risk per option")
    if sum(settings.weights().values()) == 0:
        st.info("Every weight is at zero, so every score is zero. Raise a weight to compare the options.")
    chart_card(by_key["risk_scores"])
    score_cols = st.columns(3)
    for col, r in zip(score_cols, scores.itertuples()):
        col.metric(f"{r.short} score", f"{fmt.num(r.score, 0)}",
                   help=f"90% band {fmt.num(r.low, 0)}-{fmt.num(r.high, 0)}; "
                        f"bounds {fmt.num(r.min, 0)}-{fmt.num(r.max, 0)}; {r.n_risks} risks")
    chart_card(by_key["risk_drivers"])

    st.subheader("Likelihood and impact, option by option")
    st.caption("One map per option. A risk keeps its number on every map; hover a dot for its name and ranges.")
    for tab, opt in zip(st.tabs([risk.OPTION_SHORT[o] for o in risk.OPTIONS]), risk.OPTIONS):
        with tab:
            chart_card(by_key[f"risk_heatmap_{opt}"])


def formula_section(contribs: pd.DataFrame, table: pd.DataFrame) -> None:
    """How every score is computed: the formula, the table of contributions and their sums."""
    with st.expander("How every score is computed: the formula and the table of contributions", expanded=False,
                     icon=":material/functions:"):
        st.markdown(
            "For each option, the score adds one term per risk category: the mean over the option's rows in that "
            "category.\n\n"
            "**score(option) = Σ over categories of mean over its rows of weight(risk) × L_mid(risk, option) × "
            "I_mid(risk, option)**\n\n"
            "- *L_mid, I_mid*: mid-points of the likelihood and impact ranges in the register (1-5, judgment).\n"
            f"- *weight(risk)* = your weight for the risk's category × {risk.CONTEXT_UP:g} for each active situation "
            f"that amplifies it × {risk.CONTEXT_DOWN:g} for each that dampens it.\n"
            "- A risk that does not affect an option has no row for it. Each row's term is divided by the option's "
            "number of rows in that category (*Rows in category*), so an option is not scored lower or higher for "
            "having fewer or more rows (the closed API has no 'misuse of weights' row). Scores are not divided by "
            "the total weight, so raising a weight can only raise the scores of the options that risk affects.\n"
            f"- *Band*: 5th-95th percentile of the same sum with every likelihood and impact drawn uniformly from "
            f"its range ({risk.N_DRAWS:,} draws, fixed seed). *Bounds*: every range at its low end, or at its high "
            "end."
        )
        st.dataframe(table, hide_index=True, width="stretch", key="risk_contrib_table", column_config={
            "L_mid x I_mid": st.column_config.NumberColumn(format="%.2f"),
            "Category weight": st.column_config.NumberColumn(format="%.1f"),
            "Situation x": st.column_config.NumberColumn(format="%.3g"),
            "Weight": st.column_config.NumberColumn(format="%.3g"),
            "Contribution": st.column_config.NumberColumn(format="%.2f"),
            "Share of score": st.column_config.NumberColumn(format="%.0f%%"),
        })
        totals = contribs.groupby("option")["contribution"].sum()
        st.markdown("Sum of contributions = score: " + "; ".join(
            f"{risk.OPTION_SHORT[o]} **{fmt.num(totals.get(o, 0.0), 2)}**" for o in risk.OPTIONS))
        st.download_button("Download the contributions (CSV)", data=lambda: export.safe_csv(table),
                           file_name="risk_contributions.csv", mime="text/csv", key="risk_contrib_csv",
                           on_click="ignore", icon=":material/table:")


def mitigations_section(settings: risk.Settings) -> None:
    """The option chosen for mitigations (remembered with the weights for presenter mode) and its top risks."""
    st.header("What to do about it")
    chosen = control("risk_option")
    settings = dataclasses.replace(settings, option=chosen)
    presenter.remember_view("risk", settings)
    mit = _mitigations(settings)
    if mit.empty:
        st.info("With these weights no risk adds to this option's score, so there is nothing to mitigate. "
                "Raise a weight above zero.")
        return
    st.markdown(f"The three risks that drive the score of **{risk.OPTION_NOUN[chosen]}** with your "
                "priorities, and what you can do about each:")
    for r in mit.itertuples():
        with st.container(border=True, key=f"risk_mitigation_{r.rank}"):
            st.markdown(f"**{r.rank}. {r.risk}**: {fmt.num(r.contribution, 1)} points, "
                        f"{fmt.num(100 * r.share, 0)}% of the score")
            st.markdown(f"**Do this:** {r.mitigation}")
            row = register[(register["risk_id"] == r.risk_id) & (register["option"] == chosen)].iloc[0]
            links = "; ".join(f"[{row[f'source{n}']}]({row[f'url{n}']})" for n in ("", "2", "3") if row[f"url{n}"])
            st.caption(f"Why (the report's judgment): {r.rationale} Sources: {links}")


@shell.fragment
def priorities_and_scores() -> None:
    """The weights and situation, and everything they drive: scores, drivers, heat maps, the formula's table and
    the mitigations. A fragment: moving a slider reruns this part only, not the measured half of the page."""
    settings = read_priorities()
    by_key, scores, contribs, table = _scoring(settings)
    scores_section(by_key, scores, settings)
    formula_section(contribs, table)
    mitigations_section(settings)

priorities_and_scores()

st.header("Measured: models leaving the catalog")
st.markdown(
    f"OpenRouter's public model list has been saved twice a day since {fmt.day(listed_from)}, so we can see when "
    "each model id appeared and when it disappeared. **A model leaving one catalog is not its weights "
    "disappearing**: open weights stay downloadable and other hosts may keep serving them, while a retired "
    "closed model is usually gone everywhere. So this measures how often a hosted route to a model goes away, "
    "which is the risk for the *hosted open* and *closed API* options, not for self-hosting."
)
mcards = {c.key: c for c in _measured_cards()}
chart_card(mcards["risk_churn_2024"])
chart_card(mcards["risk_survival"])
with st.expander("How ids are classified as open or closed, and how much that matters", icon=":material/rule:"):
    st.markdown("Ids per classification rule (first matching rule wins):")
    st.dataframe(fixed["rules"], width="stretch", key="risk_rules_table")
    st.markdown(
        "Most retired ids are not in the report's model catalog, so the author and name rules matter. The name "
        "rule misclassifies a few ids (Liquid's early LFM models, for instance, were not released as open weights). "
        "Here is how the figures change under other choices:")
    st.dataframe(fixed["sensitivity"], hide_index=True, width="stretch", key="risk_sensitivity_table")
    st.caption("'Catalog and listing only' drops most retired ids as unknown, which makes both classes look "
               "longer-lived; it is shown to make that bias visible, not as a better estimate.")

st.header("Measured: prices moving under you")
st.markdown(
    "A closed model's OpenRouter price is its lab's list price. An open model's is the price of its default "
    "(usually cheapest) routed provider, so it moves whenever providers arrive, leave or run out of capacity. "
    "That is the price risk of the *hosted open* option; self-hosting trades it for GPU prices (see the Cost page)."
)
chart_card(mcards["risk_price_moves"])
chart_card(mcards["risk_price_timeline"])
if "risk_r1_crunch" in mcards:
    chart_card(mcards["risk_r1_crunch"])
with st.expander("Temporary price spikes found in the data (capacity crunches)", icon=":material/bolt:"):
    st.markdown(f"A jump of +{fmt.share(risk.JUMP, 0)} or more in the blended price that came back to at most "
                f"{risk.SPIKE_REVERT_TOL:g}x the earlier price within {risk.SPIKE_REVERT_DAYS} days. "
                f"{fixed['n_spikes']} found: {fixed['n_spikes_open']} for open models, "
                f"{fixed['n_spikes_closed']} for closed ones.")
    st.dataframe(
        fixed["spikes"],
        hide_index=True, width="stretch", key="risk_spikes_table",
        column_config={"Peak / before": st.column_config.NumberColumn(format="%.1fx"),
                       "Before ($/M, blended)": st.column_config.NumberColumn(format="%.3f"),
                       "Peak": st.column_config.NumberColumn(format="%.3f"),
                       "After": st.column_config.NumberColumn(format="%.3f")})

st.header("The risk register")
st.markdown(
    f"All {register['risk_id'].nunique()} risks and {len(register)} risk-option rows, with the report's "
    "likelihood and impact ranges, the rationale, the mitigation and the public sources each row cites. "
    "It lives in `pipeline/curated/risk_register.csv` and is checked against a schema when the data is built "
    "and when the app loads it.")
st.dataframe(fixed["register"], hide_index=True, width="stretch", key="risk_register_table", column_config={
    "url": st.column_config.LinkColumn("Source link"), "url2": st.column_config.LinkColumn("Link 2"),
    "url3": st.column_config.LinkColumn("Link 3"),
})
st.download_button("Download the register (CSV)", data=lambda: export.safe_csv(register),
                   file_name="risk_register.csv", mime="text/csv", key="risk_register_csv", on_click="ignore",
                   icon=":material/table:")
