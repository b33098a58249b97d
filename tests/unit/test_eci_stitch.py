"""Stitched ECI (pipeline/eci_stitch.py): toy tables drawn from ECI's own sigmoid model, and the real data."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline import eci_stitch as st

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT.parent / "shared" / "raw"
SNAP = "2026-07-31"

# Toy benchmarks on the ECI scale: (difficulty, slope)
TOY_BENCHMARKS = {"aa_gpqa": (135.0, 0.12), "aa_hle": (160.0, 0.14), "aa_scicode": (145.0, 0.08),
                  "aa_lcr": (140.0, 0.10), "aa_ifbench": (130.0, 0.09), "aa_tau2": (150.0, 0.15),
                  "aa_terminalbench_hard": (155.0, 0.11), "aa_mmlu_pro": (120.0, 0.07)}


def _row(model_id, source, metric, value, snapshot=SNAP, variant="", date="2026-01-01"):
    return {"model_id": model_id, "source": source, "source_id": model_id, "metric": metric, "value": value,
            "date": date, "snapshot": snapshot, "variant": variant, "stderr": np.nan, "ci_low": np.nan,
            "ci_high": np.nan}


def _aa_rows(model_id, capability, benchmarks=TOY_BENCHMARKS, noise=0.0, rng=None, date="2026-01-01"):
    rows = []
    for metric, (d, a) in benchmarks.items():
        y = 1 / (1 + np.exp(-a * (capability - d)))
        if noise:
            y = float(np.clip(y + rng.normal(0, noise), 0, 1))
        rows.append(_row(model_id, "artificial_analysis", metric, 100 * y, date=date))
    return rows


def toy_scores(new_models: dict[str, float], noise=0.01, seed=1) -> pd.DataFrame:
    """60 ECI-scored models (110..165) with noisy toy benchmark results, plus `new_models` without ECI."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, c in enumerate(np.linspace(110, 165, 60)):
        mid = f"anchor-{i:02d}"
        rows.append(_row(mid, "eci", "eci", c))
        rows += _aa_rows(mid, c, noise=noise, rng=rng)
    for mid, c in new_models.items():
        rows += _aa_rows(mid, c, noise=noise, rng=rng, date="2026-08-01")
    return pd.DataFrame(rows)


def test_recovers_known_capabilities():
    truth = {"new-a": 118.0, "new-b": 142.5, "new-c": 158.0}
    rows, report, _ = st.stitch(toy_scores(truth), RAW / "absent", SNAP)
    got = rows.set_index("model_id")
    assert set(got.index) == set(truth)
    for mid, c in truth.items():
        assert got.loc[mid, "value"] == pytest.approx(c, abs=1.0)
        assert got.loc[mid, "ci_low"] <= got.loc[mid, "value"] <= got.loc[mid, "ci_high"]
    assert (got["source"] == "eci_stitched").all() and (got["variant"] == "estimated").all()
    assert (got["snapshot"] == SNAP).all() and (got["metric"] == "eci").all()
    assert (got["date"] == "2026-08-01").all()
    assert list(rows.columns) == st.SCORE_COLUMNS
    # the fitted benchmark parameters are the toy's
    assert report["benchmarks"]["aa_hle"]["difficulty"] == pytest.approx(160.0, abs=1.5)
    assert report["benchmarks"]["aa_hle"]["slope"] == pytest.approx(0.14, rel=0.15)
    # the K-fold check on the anchor models meets the targets on clean toy data
    assert report["n_validation"] == 60
    assert report["spearman"] > 0.99 and report["median_abs_diff"] < 1.0
    assert report["n_estimated"] == 3 and report["min_benchmarks"] == st.MIN_BENCHMARKS
    assert report["n_tests"] == len(TOY_BENCHMARKS)
    json.dumps(report, allow_nan=False)  # goes into provenance.json as strict JSON
    assert "Spearman" in st.summary(report)


def test_report_without_droppable_tests_is_still_printable():
    # every model has exactly MIN_BENCHMARKS tests: leave-one-test-out has nothing to drop
    few = dict(list(TOY_BENCHMARKS.items())[: st.MIN_BENCHMARKS])
    rows = []
    for i, c in enumerate(np.linspace(110, 165, 30)):
        rows += [_row(f"m{i}", "eci", "eci", c)] + _aa_rows(f"m{i}", c, few)
    _, report, _ = st.stitch(pd.DataFrame(rows + _aa_rows("new", 140.0, few)), RAW / "absent", SNAP)
    assert report["lobo_median_abs_change"] is None
    json.dumps(report, allow_nan=False)
    assert "n/a" in st.summary(report)


def test_too_few_benchmarks_gets_no_score():
    scores = toy_scores({})
    few = dict(list(TOY_BENCHMARKS.items())[: st.MIN_BENCHMARKS - 1])
    enough = dict(list(TOY_BENCHMARKS.items())[: st.MIN_BENCHMARKS])
    scores = pd.concat([scores, pd.DataFrame(_aa_rows("thin", 150.0, few) + _aa_rows("just-enough", 150.0, enough))])
    rows, _, _ = st.stitch(scores, RAW / "absent", SNAP)
    assert list(rows["model_id"]) == ["just-enough"]


def test_no_estimate_for_models_epoch_scores_in_that_export():
    scores = toy_scores({"new-a": 140.0})
    # 'older-only' has an ECI row in an older export only: it still needs a stitched score for this one
    scores = pd.concat([scores, pd.DataFrame([_row("older-only", "eci", "eci", 139.0, snapshot="2026-03-09")]
                                             + _aa_rows("older-only", 139.0))])
    rows, _, _ = st.stitch(scores, RAW / "absent", SNAP)
    assert set(rows["model_id"]) == {"new-a", "older-only"}
    assert not rows["model_id"].str.startswith("anchor-").any()


def test_best_setting_counts_and_composites_are_ignored():
    scores = toy_scores({})
    rows = _aa_rows("hybrid", 150.0)
    for r in _aa_rows("hybrid", 120.0):  # the same model's non-reasoning setting scores lower
        r["variant"] = "Non-reasoning"
        rows.append(r)
    rows.append(_row("hybrid", "artificial_analysis", "aa_intelligence_index", 5.0))  # an index, not a benchmark
    out, _, _ = st.stitch(pd.concat([scores, pd.DataFrame(rows)]), RAW / "absent", SNAP)
    assert out.set_index("model_id").loc["hybrid", "value"] == pytest.approx(150.0, abs=1.0)


def test_saturated_model_stays_on_the_scale():
    scores = toy_scores({})
    perfect = [_row("perfect", "artificial_analysis", m, 100.0) for m in TOY_BENCHMARKS]
    out, _, _ = st.stitch(pd.concat([scores, pd.DataFrame(perfect)]), RAW / "absent", SNAP)
    value = out.set_index("model_id").loc["perfect", "value"]
    assert 165.0 < value <= 165.0 + st.GRID_MARGIN  # above every anchor model, but not run off to infinity


def test_stitched_rows_already_in_the_table_change_nothing():
    scores = toy_scores({"new-a": 140.0})
    rows, _, _ = st.stitch(scores, RAW / "absent", SNAP)
    again, _, _ = st.stitch(pd.concat([scores, rows], ignore_index=True), RAW / "absent", SNAP)
    pd.testing.assert_frame_equal(rows, again)


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="model_id"):
        st.stitch(pd.DataFrame({"metric": ["eci"]}), RAW / "absent", SNAP)


def test_unknown_snapshot_is_a_clear_message():
    rows, report, _ = st.stitch(toy_scores({"new-a": 140.0}), RAW / "absent", "1999-01-01")
    assert rows.empty and list(rows.columns) == st.SCORE_COLUMNS
    assert "1999-01-01" in report["error"]
    assert "1999-01-01" in st.summary(report)


def test_interval_is_calibrated_on_the_validation():
    # toy: the checked models' errors against bootstrap spreads; the factor widens until 90% are covered
    estimate = pd.Series([140.0 + e for e in [0, 0.5, -0.5, 1, -1, 1.5, 2, -2, 3, 6]])
    checked = pd.DataFrame({"model_id": list("abcdefghij"), "eci": 140.0, "estimate": estimate,
                            "low": estimate - 1, "high": estimate + 1, "n_benchmarks": 6})
    assert st.coverage(checked) == pytest.approx(0.5)  # the raw bootstrap interval is too narrow
    factor = st.interval_factor(checked)
    assert factor == pytest.approx(6 / (1 + st.INTERVAL_UNIT))  # (10 + 1) * 0.9 -> the 10th of 10 ratios
    assert st.coverage(st.widen(checked, factor)) == 1.0


def test_forward_check_scores_the_next_exports_new_models():
    scores = toy_scores({})
    # an earlier export without the top 10 anchor models: anchored on it, they are estimated and compared
    earlier = scores[(scores["metric"] == "eci") & (scores["value"] < 155)].assign(snapshot="2026-03-09")
    check = st.forward_check(pd.concat([scores, earlier]), SNAP)
    assert check["anchor_snapshot"] == "2026-03-09" and check["n"] == 11
    assert check["median_abs_diff"] < 1.5 and check["export_shift"] == 0.0
    assert st.forward_check(scores, SNAP) == {}  # no earlier export


def test_signed_diff_by_group_shows_a_flattered_group():
    # upper half (eci >= 137.5): the 'open' models' estimates sit 2 above their ECI, the 'closed' ones 0.5 below;
    # the lower half (10 above) is left out
    frame = pd.DataFrame({"model_id": ["o1", "o2", "c1", "c2", "low1", "low2", "low3", "low4"],
                          "eci": [150.0, 155.0, 152.0, 158.0, 110.0, 115.0, 120.0, 125.0],
                          "estimate": [152.0, 157.0, 151.5, 157.5, 120.0, 125.0, 130.0, 135.0]})
    groups = pd.Series({"o1": "open", "o2": "open", "c1": "closed", "c2": "closed", "low1": "open"})
    out = st.signed_diff_by_group(frame, groups)
    assert out == {"closed": {"median": -0.5, "n": 2}, "open": {"median": 2.0, "n": 2}}


def test_the_validation_frame_holds_every_anchor_model_with_the_calibrated_interval():
    _, report, frame = st.stitch(toy_scores({}), RAW / "absent", SNAP)
    assert list(frame.columns) == st.VALIDATION_COLUMNS == ["model_id", "eci", "estimate", "low", "high",
                                                            "n_benchmarks"]
    assert len(frame) == 60 == report["n_validation"]
    assert ((frame["low"] <= frame["estimate"]) & (frame["estimate"] <= frame["high"])).all()
    assert st.coverage(frame) == pytest.approx(report["interval_coverage"], abs=1e-4)   # the report's interval
    assert list(st.stitch(toy_scores({}), RAW / "absent", "1999-01-01").validation.columns) == st.VALIDATION_COLUMNS


# ------------------------------------------------------------------------------------------ real data
@pytest.fixture(scope="module")
def real_scores():
    return pd.read_csv(ROOT / "data" / "scores.csv", keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def real_stitch(real_scores):
    """What the build's stitch() gave on the real data, as data/ holds it: its rows in scores.csv, its report in
    provenance.json, its validation in eci_stitch_validation.csv (test_build_reproducible rebuilds all three)."""
    report = json.loads((ROOT / "data" / "provenance.json").read_text())["scores"]["checks"]["stitched_eci"]
    rows = real_scores[real_scores["source"] == st.SOURCE].reset_index(drop=True)
    validation = pd.read_csv(ROOT / "data" / "eci_stitch_validation.csv")
    return rows, report, validation


def test_real_data_meets_the_validation_targets(real_stitch):
    rows, report, _ = real_stitch
    assert report["n_validation"] >= 80
    assert report["spearman"] >= st.TARGET_SPEARMAN
    assert report["median_abs_diff"] <= st.TARGET_MEDIAN_ABS_DIFF
    assert report["lobo_median_abs_change"] < 1.0
    assert report["interval_coverage"] >= 0.85
    assert report["aa_only"]["spearman"] >= st.TARGET_SPEARMAN
    assert set(report["signed_diff_by_group"]) <= {"open", "closed", "unknown"}
    fwd = report["forward_check"]  # the previous export's anchor puts the newly scored models within target
    assert fwd["n"] >= 10 and fwd["median_abs_diff"] <= st.TARGET_MEDIAN_ABS_DIFF
    assert report["n_estimated"] == len(rows) > 0
    assert rows["value"].between(rows["ci_low"], rows["ci_high"]).all()
    assert not rows.duplicated("model_id").any()


def test_real_data_validation_frame_is_the_one_the_report_sums_up(real_stitch):
    _, report, validation = real_stitch
    assert len(validation) == report["n_validation"] and set(validation["snapshot"]) == {report["eci_snapshot"]}
    assert st.coverage(validation) == pytest.approx(report["interval_coverage"], abs=1e-4)
    assert st.agreement(validation)["spearman"] == pytest.approx(report["spearman"], abs=1e-4)


def test_real_data_rows_are_for_unscored_models_only(real_scores, real_stitch):
    rows, report, _ = real_stitch
    scored = real_scores[(real_scores["metric"] == "eci") & (real_scores["snapshot"] == report["eci_snapshot"])
                         & (real_scores["source"] == "eci")]            # Epoch's own scores (data/ holds both)
    assert not set(rows["model_id"]) & set(scored["model_id"])


@pytest.mark.skipif(not (RAW / "epoch_eci" / "eci_benchmarks_2026-08-11.csv").exists(), reason="raw ECI absent")
def test_functional_form_reproduces_epochs_eci():
    check = st.reproduce_published(RAW)
    assert check["n"] >= 200
    assert check["median_abs_diff"] < 0.05
    assert check["p90_abs_diff"] < 0.1
