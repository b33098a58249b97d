"""Stitched ECI: scores on the Epoch Capabilities Index scale for models Epoch has not scored yet.

Method (Epoch AI, "A Rosetta Stone for AI Benchmarks", code: github.com/epoch-research/benchmark-stitching,
MIT; `fit.py`). ECI models the score of model m on benchmark b as

    performance[m, b] = sigmoid(slope[b] * (C[m] - D[b]))

with C the model's capability and D the benchmark's difficulty, both on the ECI scale (Epoch publishes D as
the EDI and the slope per benchmark). `reproduce_published` checks this form: refitting C for every model of
Epoch's export from its own benchmark rows with Epoch's published D and slope gives back Epoch's ECI.

The models we want to score have other benchmarks: Artificial Analysis' evaluations (aa_gpqa, aa_hle, ...)
and LiveBench categories (each LiveBench release is its own benchmark: its questions are re-drawn). So, as
in the paper's stitching step but with ECI held fixed:
1. Rosetta step: for each such benchmark, fit D[b] and slope[b] by least squares on the performance of the
   models that have both an ECI score (the anchor export) and that benchmark; its residual spread sigma[b]
   weights it in step 2.
2. A model's C is the weighted least-squares fit of its benchmark results (sum over b of
   w[b] (sigmoid(slope[b] (C - D[b])) - y[b])^2 / sigma[b]^2, where w counts one LiveBench category once
   however many releases repeat it), plus a weak prior (one constant centre and width for every model: no
   release dates) so a model with saturated benchmarks does not run off. Its interval is a bootstrap over
   its results, widened by a factor calibrated on the validation below so that it holds Epoch's ECI for a
   share INTERVAL of the validated models (conformal calibration).
A model needs results on `MIN_BENCHMARKS` distinct tests (an AA evaluation, a LiveBench category) with fitted
benchmarks to get a score.

Checks (in the report `stitch` returns, with the validation frame): `agreement`, K-fold by model over the anchor
export, each model's C from benchmark parameters fitted without it and from the same kind of inputs new models
have (AA and LiveBench; never Epoch's own benchmark rows, so Benchmarking Hub runs, which are those rows, are
not inputs); the same with AA inputs alone; `leave_one_benchmark_out`; `forward_check` (anchored on the
previous export, the models the anchor export added); `reproduce_published` (the functional form).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.optimize import least_squares
from scipy.stats import spearmanr

from pipeline.common import SourceSpec

SOURCE = "eci_stitched"
SPEC = SourceSpec(
    key=SOURCE,
    name="Stitched ECI: this report's estimates on the newest ECI export's scale for models it does not score,"
            " from their Artificial Analysis and LiveBench results (method of Epoch AI's 'A Rosetta Stone for AI "
            "Benchmarks'); not Epoch's ECI",
    license="CC BY 4.0 (this report); inputs keep their terms",
    citation="This report's stitched ECI estimates (method: Epoch AI, 'A Rosetta Stone for AI Benchmarks', epoch-"
            "research/benchmark-stitching)",
    snapshot="2026-07-31",
    files=("epoch_eci/eci_benchmarks_*.csv", "epoch_eci/edi_scores_*.csv", "epoch_eci/eci_scores_*.csv"),
)
MIN_BENCHMARKS = 4  # a model with results on fewer fitted benchmarks gets no stitched score
MIN_ANCHOR_MODELS = 10  # a benchmark needs this many ECI-scored models to fit its difficulty and slope
K_FOLDS = 10  # validation folds (by model)
BOOTSTRAP_DRAWS = 200  # resamples of a model's benchmarks for its interval
INTERVAL = 0.90  # coverage of the interval
INTERVAL_UNIT = 1.0  # ECI points added to a bootstrap half-width before calibration (agreeing benchmarks still err)
PRIOR_SD = 30.0  # ECI points: width of the weak prior around the anchor models' mean
GRID_MARGIN = 25.0  # ECI points searched beyond the anchor models' range
COARSE_STEP = 1.0  # ECI points: first search grid
GRID_STEP = 0.05  # ECI points: final search grid
SIGMA_FLOOR = 0.02  # smallest residual spread a benchmark is trusted with (fraction correct)
TARGET_SPEARMAN = 0.95
TARGET_MEDIAN_ABS_DIFF = 3.0

# Inputs: scores whose value is a percentage correct on one benchmark. Composite indices are left out
# (they re-count their components). LiveBench re-draws its questions per release, so each release file is
# its own benchmark; AA components keep one key across snapshots (the newest snapshot's value is used).
AA_COMPOSITES = {"aa_intelligence_index", "aa_coding_index", "aa_math_index"}
LIVEBENCH_COMPOSITES = {"livebench_overall"}


@dataclass(frozen=True)
class BenchmarkFit:
    difficulty: float  # D, ECI points
    slope: float  # per ECI point
    sigma: float  # residual spread of the fit (fraction correct)
    n_models: int


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))


# ---------------------------------------------------------------------------------------------- inputs
def epoch_eci_rows(scores: pd.DataFrame) -> pd.DataFrame:
    """Epoch's own ECI rows (never stitched ones, should the table already hold some)."""
    return scores[(scores["metric"] == "eci") & (scores["source"] != SOURCE)]


def anchor_eci(scores: pd.DataFrame, eci_snapshot: str) -> pd.Series:
    """Epoch's ECI per model_id in one export. A model_id whose rows in that export disagree (two checkpoints
    under one id) is left out: it is not clear which score its benchmarks belong to."""
    rows = epoch_eci_rows(scores)
    rows = rows[rows["snapshot"] == eci_snapshot]
    rows = rows.dropna(subset=["value"])
    spread = rows.groupby("model_id")["value"].agg(["min", "max"])
    clear = spread[(spread["max"] - spread["min"]) < 0.5]
    return rows[rows["model_id"].isin(clear.index)].groupby("model_id")["value"].max().sort_index()


def benchmark_rows(scores: pd.DataFrame) -> pd.DataFrame:
    """The score rows the stitch reads, with `benchmark` (its key) and `y` (fraction correct)."""
    aa = scores[(scores["source"] == "artificial_analysis") & scores["metric"].str.startswith("aa_")
                & ~scores["metric"].isin(AA_COMPOSITES)].copy()
    aa["benchmark"] = aa["metric"]
    aa = aa[aa["snapshot"] == aa.groupby(["model_id", "metric"])["snapshot"].transform("max")]
    lb = scores[(scores["source"] == "livebench") & scores["metric"].str.startswith("livebench_")
                & ~scores["metric"].isin(LIVEBENCH_COMPOSITES)].copy()
    lb["benchmark"] = lb["metric"] + "@" + lb["snapshot"].astype(str)
    both = pd.concat([aa, lb], ignore_index=True).dropna(subset=["value"])
    both = both[(both["value"] >= 0) & (both["value"] <= 100)]
    return both.assign(y=both["value"] / 100.0)


def benchmark_results(scores: pd.DataFrame) -> pd.DataFrame:
    """Long table (model_id, benchmark, y) of fraction-correct results the stitch reads: one value per model
    and benchmark, its best reasoning setting (as Epoch aggregates a model's versions); for AA, from the
    newest snapshot holding it."""
    rows = benchmark_rows(scores)
    out = (rows.sort_values(["model_id", "benchmark", "y"], ascending=[True, True, False], kind="mergesort")
           .drop_duplicates(["model_id", "benchmark"]))
    return out[["model_id", "benchmark", "y"]].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- fitting
def fit_benchmark(eci: np.ndarray, y: np.ndarray) -> BenchmarkFit | None:
    """Difficulty and slope of one benchmark on the ECI scale, ECI held fixed (least squares on performance)."""
    if len(eci) < MIN_ANCHOR_MODELS or np.ptp(y) < 0.02:
        return None
    # start at the ECI where the benchmark is half solved (nearest model), slope of a typical ECI benchmark
    d0 = float(eci[np.argmin(np.abs(y - 0.5))])

    def resid(p):
        return _sigmoid(np.exp(p[1]) * (eci - p[0])) - y

    def jac(p):
        a = np.exp(p[1])
        s = _sigmoid(a * (eci - p[0]))
        ds = s * (1 - s)
        return np.column_stack([-a * ds, a * (eci - p[0]) * ds])

    res = least_squares(resid, x0=[d0, np.log(0.1)], jac=jac, method="lm")
    if not res.success or not (eci.min() - 150 < res.x[0] < eci.max() + 150) or not -7 < res.x[1] < 1:
        return None  # no sigmoid fits this benchmark's scores on the ECI scale (e.g. all saturated)
    d, slope = float(res.x[0]), float(np.exp(res.x[1]))
    sigma = max(SIGMA_FLOOR, float(np.sqrt(np.mean(res.fun ** 2) * len(y) / max(len(y) - 2, 1))))
    return BenchmarkFit(d, slope, sigma, int(len(y)))


def fit_benchmarks(results: pd.DataFrame, eci: pd.Series) -> dict[str, BenchmarkFit]:
    """Rosetta step for every benchmark with enough anchor models."""
    anchored = results.assign(eci=results["model_id"].map(eci)).dropna(subset=["eci"])
    fits = {}
    for bench, grp in anchored.groupby("benchmark", sort=True):
        fit = fit_benchmark(grp["eci"].to_numpy(float), grp["y"].to_numpy(float))
        if fit is not None:
            fits[bench] = fit
    return fits


@dataclass(frozen=True)
class Scale:
    """Where C is searched and the weak prior, both from the anchor export alone (no model dates)."""
    low: float
    high: float
    prior_mean: float
    prior_sd: float = PRIOR_SD

    @classmethod
    def of(cls, eci: pd.Series) -> "Scale":
        return cls(float(eci.min()) - GRID_MARGIN, float(eci.max()) + GRID_MARGIN, float(eci.mean()))


def best_capability(y: np.ndarray, params: list[BenchmarkFit], scale: Scale, weights: np.ndarray) -> np.ndarray:
    """C minimising the weighted loss, one per row of `weights` (a weight per benchmark: 1 for the plain fit,
    bootstrap counts, 0 to drop one). Coarse grid, then a fine grid around each coarse minimum."""
    d = np.array([p.difficulty for p in params])
    a = np.array([p.slope for p in params])
    s = np.array([p.sigma for p in params])

    def loss(c):  # c: (rows, points) -> (rows, points)
        resid = (_sigmoid(a * (c[..., None] - d)) - y) / s
        return np.einsum("rk,rpk->rp", weights, resid ** 2) + ((c - scale.prior_mean) / scale.prior_sd) ** 2

    rows = len(weights)
    coarse = np.arange(scale.low, scale.high + COARSE_STEP, COARSE_STEP)
    c = np.broadcast_to(coarse, (rows, len(coarse)))
    start = coarse[np.argmin(loss(c), axis=1)]
    fine = np.clip(start[:, None] + np.arange(-COARSE_STEP, COARSE_STEP + GRID_STEP / 2, GRID_STEP),
                   scale.low, scale.high)
    return fine[np.arange(rows), np.argmin(loss(fine), axis=1)]


def estimate(y: np.ndarray, params: list[BenchmarkFit], scale: Scale, seed: int = 0,
             weights: np.ndarray | None = None) -> tuple[float, float, float]:
    """(estimate, low, high) of C from one model's results (`weights`: one per result, default 1); the
    interval bootstraps its results."""
    w = np.ones(len(y)) if weights is None else np.asarray(weights, float)
    best = float(best_capability(y, params, scale, w[None, :])[0])
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(y), np.full(len(y), 1.0 / len(y)), size=BOOTSTRAP_DRAWS).astype(float)
    draws = best_capability(y, params, scale, counts * w[None, :])
    tail = (1.0 - INTERVAL) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return best, float(min(low, best)), float(max(high, best))


def _seed(model_id: str) -> int:
    return zlib.crc32(model_id.encode())


def test_of(benchmark: pd.Series) -> pd.Series:
    """The test a benchmark key measures: a LiveBench category in any release ('livebench_coding@2025-04-02'
    -> 'livebench_coding'); other keys are their own test."""
    return benchmark.str.split("@").str[0]


def _usable(results: pd.DataFrame, fits: dict[str, BenchmarkFit], model_ids=None) -> pd.DataFrame:
    """A model's results on fitted benchmarks, each weighted so that one test counts once however many
    LiveBench releases repeat it (the releases share most of a model's answers' strengths)."""
    usable = results[results["benchmark"].isin(fits)]
    if model_ids is not None:
        usable = usable[usable["model_id"].isin(set(model_ids))]
    test = test_of(usable["benchmark"])
    repeats = usable.groupby([usable["model_id"], test])["benchmark"].transform("size")
    return usable.assign(test=test, weight=1.0 / repeats)


def estimate_models(results: pd.DataFrame, fits: dict[str, BenchmarkFit], scale: Scale,
                    model_ids=None) -> pd.DataFrame:
    """model_id, estimate, low, high, n_benchmarks (distinct tests) for models with results on at least
    MIN_BENCHMARKS tests with fitted benchmarks."""
    rows = []
    for mid, grp in _usable(results, fits, model_ids).groupby("model_id", sort=True):
        n_tests = grp["test"].nunique()
        if n_tests < MIN_BENCHMARKS:
            continue
        est, low, high = estimate(grp["y"].to_numpy(float), [fits[b] for b in grp["benchmark"]], scale,
                                  _seed(mid), grp["weight"].to_numpy(float))
        rows.append({"model_id": mid, "estimate": est, "low": low, "high": high, "n_benchmarks": n_tests})
    return pd.DataFrame(rows, columns=["model_id", "estimate", "low", "high", "n_benchmarks"])


# ---------------------------------------------------------------------------------------------- checks
VALIDATION_COLUMNS = ["model_id", "eci", "estimate", "low", "high", "n_benchmarks"]


def _validation(results: pd.DataFrame, eci: pd.Series, folds: int) -> pd.DataFrame:
    """Per anchor model: Epoch's ECI and the stitched estimate from benchmark parameters fitted without it
    (K-fold by model), with the bootstrap interval (VALIDATION_COLUMNS)."""
    ids = sorted(set(eci.index) & set(results["model_id"]))
    fold_of = {mid: i % folds for i, mid in enumerate(ids)}
    scale = Scale.of(eci)
    parts = []
    for k in range(folds):
        held = [m for m in ids if fold_of[m] == k]
        train = eci.drop(held)
        fits = fit_benchmarks(results, train)
        parts.append(estimate_models(results, fits, scale, held))
    out = pd.concat(parts, ignore_index=True) if parts else estimate_models(results.iloc[:0], {}, scale)
    out.insert(1, "eci", out["model_id"].map(eci))
    return out.sort_values("model_id").reset_index(drop=True)


def interval_factor(checked: pd.DataFrame) -> float:
    """k such that estimate +- k * (bootstrap half-width + INTERVAL_UNIT) holds Epoch's ECI for a share
    INTERVAL of the cross-validated models (conformal calibration). The bootstrap over a model's benchmarks
    alone is too narrow: it ignores the error of the benchmark parameters and of the sigmoid model."""
    if len(checked) == 0:
        return 1.0
    ratio = np.sort(((checked["estimate"] - checked["eci"]).abs() / _spread(checked)).to_numpy())
    rank = min(len(ratio), int(np.ceil((len(ratio) + 1) * INTERVAL)))
    return float(ratio[rank - 1])


def _spread(frame: pd.DataFrame) -> pd.Series:
    return (frame["high"] - frame["low"]) / 2 + INTERVAL_UNIT


def widen(frame: pd.DataFrame, factor: float) -> pd.DataFrame:
    """The calibrated interval: estimate +- factor * (bootstrap half-width + INTERVAL_UNIT)."""
    half = factor * _spread(frame)
    return frame.assign(low=frame["estimate"] - half, high=frame["estimate"] + half)


def coverage(frame: pd.DataFrame) -> float:
    """Share of models whose Epoch ECI lies inside their interval."""
    if not len(frame):
        return float("nan")
    return float(((frame["eci"] >= frame["low"]) & (frame["eci"] <= frame["high"])).mean())


def signed_diff_by_group(frame: pd.DataFrame, groups: pd.Series) -> dict:
    """Median (estimate - Epoch ECI) per group among the checked models in the upper half of Epoch's scores
    (where new models land), with counts. A group whose benchmarks flatter it shows a positive median."""
    upper = frame[frame["eci"] >= frame["eci"].median()]
    label = upper["model_id"].map(groups).fillna("unknown").astype(str)
    diff = upper["estimate"] - upper["eci"]
    return {g: {"median": float(d.median()), "n": int(len(d))} for g, d in diff.groupby(label, sort=True)}


def agreement(frame: pd.DataFrame) -> dict:
    """Spearman rank correlation and median absolute difference of estimate vs Epoch's ECI."""
    if len(frame) < 3:
        return {"spearman": float("nan"), "median_abs_diff": float("nan"), "n_validation": int(len(frame))}
    return {"spearman": float(spearmanr(frame["eci"], frame["estimate"])[0]),
            "median_abs_diff": float((frame["estimate"] - frame["eci"]).abs().median()),
            "n_validation": int(len(frame))}


def leave_one_benchmark_out(results: pd.DataFrame, fits: dict[str, BenchmarkFit], scale: Scale,
                            model_ids) -> float:
    """Median absolute change of a model's estimate when one of its tests is dropped (models that keep at
    least MIN_BENCHMARKS tests after the drop)."""
    changes = []
    for _, grp in _usable(results, fits, model_ids).groupby("model_id", sort=True):
        tests = sorted(grp["test"].unique())
        if len(tests) <= MIN_BENCHMARKS:
            continue
        y = grp["y"].to_numpy(float)
        params = [fits[b] for b in grp["benchmark"]]
        w = grp["weight"].to_numpy(float)
        full = best_capability(y, params, scale, w[None, :])[0]
        keep = np.array([(grp["test"] != t).to_numpy() for t in tests], float) * w[None, :]
        changes.extend(np.abs(best_capability(y, params, scale, keep) - full))
    return float(np.median(changes)) if changes else float("nan")


def forward_check(scores: pd.DataFrame, eci_snapshot: str) -> dict:
    """The use case run backwards in time: anchored on the export before `eci_snapshot`, estimate the models
    that only `eci_snapshot` scores and compare with their score there. `export_shift` is Epoch's own
    re-estimation between the two exports (median |change| of models in both), the floor for this figure.
    Empty dict when there is no earlier export."""
    exports = sorted(set(epoch_eci_rows(scores)["snapshot"]))
    earlier = [s for s in exports if s < eci_snapshot]
    if not earlier:
        return {}
    before, after = anchor_eci(scores, earlier[-1]), anchor_eci(scores, eci_snapshot)
    results = benchmark_results(scores)
    new = sorted(set(after.index) - set(before.index))
    est = estimate_models(results, fit_benchmarks(results, before), Scale.of(before), new)
    est.insert(1, "eci", est["model_id"].map(after))
    both = sorted(set(after.index) & set(before.index))
    out = {"anchor_snapshot": earlier[-1], **agreement(est)}
    out["n"] = out.pop("n_validation")
    out["median_signed_diff"] = float((est["estimate"] - est["eci"]).median()) if len(est) else float("nan")
    out["export_shift"] = float((after[both] - before[both]).abs().median()) if both else float("nan")
    return out


def _newest(raw: Path, pattern: str) -> Path | None:
    found = sorted(Path(raw).glob(pattern))           # file names end in their date, so the last is the newest
    return found[-1] if found else None


def reproduce_published(raw: Path, benchmarks_file: str = "epoch_eci/eci_benchmarks_*.csv",
                        edi_file: str = "epoch_eci/edi_scores_*.csv",
                        scores_file: str = "epoch_eci/eci_scores_*.csv") -> dict:
    """Functional-form check: refit C for each model of Epoch's newest per-model export from its own benchmark
    rows with Epoch's published difficulty and slope; agreement with Epoch's eci. Empty dict when the files are
    absent."""
    paths = [_newest(raw, f) for f in (benchmarks_file, edi_file, scores_file)]
    if not all(paths):
        return {}
    rows = pd.read_csv(paths[0])
    edi = pd.read_csv(paths[1]).set_index("benchmark_name")
    published = pd.read_csv(paths[2]).set_index("Model")["eci"]
    rows = rows.join(edi[["edi", "estimated_slope_scaled"]], on="benchmark").dropna(subset=["edi", "performance"])
    scale = Scale(0.0, 250.0, 0.0, prior_sd=np.inf)  # Epoch's fit: no prior on C
    diffs = []
    for model, grp in rows.groupby("model", sort=True):
        if model not in published.index:
            continue
        params = [BenchmarkFit(d, a, 1.0, 0) for d, a in zip(grp["edi"], grp["estimated_slope_scaled"])]
        y = grp["performance"].to_numpy(float)
        diffs.append(float(best_capability(y, params, scale, np.ones((1, len(y))))[0]) - float(published[model]))
    diffs = np.abs(np.array(diffs))
    return {"n": int(len(diffs)), "median_abs_diff": float(np.median(diffs)),
            "p90_abs_diff": float(np.percentile(diffs, 90)), "max_abs_diff": float(diffs.max())}


# ---------------------------------------------------------------------------------------------- entry point
SCORE_COLUMNS = ["model_id", "source", "source_id", "metric", "value", "date", "snapshot", "variant", "stderr",
                 "ci_low", "ci_high"]


def release_dates(scores: pd.DataFrame, model_ids) -> pd.Series:
    """A model's score date: its release date as its benchmark rows give it (AA first, then LiveBench; the
    earliest when rows differ)."""
    rows = benchmark_rows(scores)
    rows = rows[rows["model_id"].isin(set(model_ids)) & (rows["date"].fillna("").astype(str) != "")]
    rank = rows["source"].map({"artificial_analysis": 0}).fillna(1)
    rows = rows.assign(rank=rank).sort_values(["model_id", "rank", "date"], kind="mergesort")
    return rows.drop_duplicates("model_id").set_index("model_id")["date"].astype(str)


class Stitched(NamedTuple):
    rows: pd.DataFrame          # stitched scores, columns as data/scores.csv
    report: dict                # the method's checks (JSON-ready)
    validation: pd.DataFrame    # per anchor model: Epoch's ECI and the K-fold estimate with its calibrated interval


def stitch(scores: pd.DataFrame, raw: Path, eci_snapshot: str, groups: pd.Series | None = None) -> Stitched:
    """Stitched ECI rows for models the `eci_snapshot` export does not score, a report of the method's
    validation (see the module docstring) and the validation per model (VALIDATION_COLUMNS, the interval
    calibrated as the rows' is). Scores columns as data/scores.csv; `raw` holds Epoch's files for
    the functional-form check; `groups` (model_id -> label, e.g. open / closed) adds the validation's signed
    error per group to the report (`signed_diff_by_group`): the estimates are not corrected by group."""
    missing = [c for c in ("model_id", "source", "metric", "value", "date", "snapshot") if c not in scores.columns]
    if missing:
        raise ValueError(f"stitch needs the scores table's columns {missing}; it has {list(scores.columns)}")
    empty = pd.DataFrame(columns=SCORE_COLUMNS)
    eci = anchor_eci(scores, eci_snapshot)
    report: dict = {"eci_snapshot": eci_snapshot, "min_benchmarks": MIN_BENCHMARKS,
                    "min_anchor_models": MIN_ANCHOR_MODELS, "folds": K_FOLDS, "interval": INTERVAL}
    if len(eci) < MIN_ANCHOR_MODELS:
        report["error"] = (f"ECI export {eci_snapshot!r} has {len(eci)} scored models in scores; "
                           f"at least {MIN_ANCHOR_MODELS} are needed to stitch")
        return Stitched(empty, report, pd.DataFrame(columns=VALIDATION_COLUMNS))
    results = benchmark_results(scores)
    fits = fit_benchmarks(results, eci)
    scale = Scale.of(eci)
    epoch = epoch_eci_rows(scores)
    scored = set(epoch.loc[epoch["snapshot"] == eci_snapshot, "model_id"])
    new = estimate_models(results, fits, scale, sorted(set(results["model_id"]) - scored))
    validation = _validation(results, eci, K_FOLDS)
    factor = interval_factor(validation)
    new = widen(new, factor)
    report.update(agreement(validation))
    aa_only = agreement(_validation(results[results["benchmark"].str.startswith("aa_")], eci, K_FOLDS))
    report.update({
        "targets": {"spearman": TARGET_SPEARMAN, "median_abs_diff": TARGET_MEDIAN_ABS_DIFF},
        "lobo_median_abs_change": leave_one_benchmark_out(results, fits, scale,
                                                          list(eci.index) + list(new["model_id"])),
        "aa_only": aa_only,
        "signed_diff_by_group": signed_diff_by_group(validation, groups) if groups is not None else {},
        "n_estimated": int(len(new)),
        "interval_factor": factor,
        "bootstrap_coverage": coverage(validation),
        "interval_coverage": coverage(widen(validation, factor)),
        "n_anchor_models": int(len(eci)),
        "n_tests": int(test_of(pd.Series(sorted(fits), dtype=str)).nunique()),
        "benchmarks": {b: {"difficulty": round(f.difficulty, 2), "slope": round(f.slope, 4),
                           "sigma": round(f.sigma, 4), "n_models": f.n_models} for b, f in fits.items()},
        "published_refit": reproduce_published(raw),
        "forward_check": forward_check(scores, eci_snapshot),
    })
    dates = release_dates(scores, new["model_id"])
    rows = pd.DataFrame({
        "model_id": new["model_id"], "source": SOURCE, "source_id": new["model_id"], "metric": "eci",
        "value": new["estimate"].round(2), "date": new["model_id"].map(dates).fillna(""),
        "snapshot": eci_snapshot, "variant": "estimated", "stderr": float("nan"),
        "ci_low": new["low"].round(2), "ci_high": new["high"].round(2),
    }, columns=SCORE_COLUMNS)
    return Stitched(rows.sort_values("model_id").reset_index(drop=True), _json_ready(report), widen(validation, factor))


def _json_ready(value):
    """The report with NaN as None (provenance.json stays strict JSON) and floats to 4 decimals."""
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, float):
        return None if np.isnan(value) else round(value, 4)
    return value


def _num(value, spec: str = ".2f") -> str:
    return "n/a" if value is None or (isinstance(value, float) and np.isnan(value)) else format(value, spec)


def summary(report: dict) -> str:
    """Lines for the build log."""
    if "error" in report:
        return f"stitched ECI: {report['error']}"
    aa = report["aa_only"]
    lines = [
        f"stitched ECI ({report['eci_snapshot']}): {report['n_estimated']} models estimated from {report['n_tests']} "
        f"tests ({len(report['benchmarks'])} benchmark releases), at least {report['min_benchmarks']} per model",
        f"  {report['folds']}-fold check on {report['n_validation']} ECI models: "
        f"Spearman {_num(report['spearman'], '.3f')} "
        f"(target >= {TARGET_SPEARMAN}), median |diff| {_num(report['median_abs_diff'])} (target <= "
        f"{TARGET_MEDIAN_ABS_DIFF}); AA inputs alone: {_num(aa['spearman'], '.3f')}, {_num(aa['median_abs_diff'])} "
        f"on {aa['n_validation']}",
        f"  dropping one test moves an estimate by a median {_num(report['lobo_median_abs_change'])}; the interval "
        f"(bootstrap x{_num(report['interval_factor'])}) holds {_num(report['interval_coverage'], '.0%')} "
        f"of checked models",
    ]
    by_group = report.get("signed_diff_by_group") or {}
    if by_group:
        lines.append("  estimate - ECI among the upper half of checked models: " + ", ".join(
            f"{g} {_num(v['median'], '+.2f')} (n={v['n']})" for g, v in by_group.items()))
    refit = report.get("published_refit") or {}
    if refit:
        lines.append(f"  Epoch's published difficulties and slopes give back its ECI to a median "
                     f"{_num(refit['median_abs_diff'])} (max {_num(refit['max_abs_diff'])}) over {refit['n']} models")
    fwd = report.get("forward_check") or {}
    if fwd.get("n"):
        lines.append(f"  anchored on {fwd['anchor_snapshot']}, the {fwd['n']} models new in "
                     f"{report['eci_snapshot']} land "
                     f"a median {_num(fwd['median_abs_diff'])} from their score (signed "
                     f"{_num(fwd['median_signed_diff'], '+.2f')}; Epoch's own re-estimation moves a model "
                     f"{_num(fwd['export_shift'])})")
    return "\n".join(lines)
