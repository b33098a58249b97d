"""Cost: how much cheaper is open at equal capability, and when does self-hosting pay?

Pure Python (pandas, numpy, scipy, altair). No streamlit. Every function takes DataFrames or numbers;
none reads a file.

Units, everywhere
-----------------
- API prices: USD per million tokens ("$/M"), input, output and cached-input ("cache read").
- Volumes: tokens per month (input + output together, unless a name says otherwise).
- GPU rental: USD per GPU-hour. A month is ``HOURS_PER_MONTH`` = 730 hours.
- Throughput: generated (output) tokens per second per GPU, as MLPerf Inference reports it.
- Shares (input share, cache-hit share, utilization, derate) are fractions in [0, 1].

The cost model, for other sections (the "Which should I use?" wizard calls these)
-------------------------------------------------------------------------------
``blended_price(price_in, price_out, ratio=3.0)``
    Blended $/M for an input:output token ratio ``ratio``:1, ``(ratio*in + out) / (ratio + 1)``.
``input_share_from_ratio(ratio)``
    The input share of all tokens, ``ratio / (ratio + 1)``.
``api_usd_per_mtok(input_share, price_in, price_out, cache_hit_share=0, cache_read_price=None)``
    Effective API price per million tokens of traffic, with cached input billed at the cache-read price
    where the data has one (otherwise the discount is ignored).
``monthly_cost_api(tokens_per_month, input_share, price_in, price_out, cache_hit_share=0, cache_read_price=None)``
    USD per month through an API (closed, or an open model at a hosted provider). Linear in volume; accepts an
    array of volumes.
``gpus_needed(tokens_per_month, throughput_tok_s_per_gpu, utilization, min_gpus=1, input_share=0)``
    Whole GPUs needed: output tokens per second at the target average utilization, rounded up, never
    below ``min_gpus`` (and never below 1: a deployment keeps at least one GPU).
``self_host_monthly_cost(tokens_per_month, throughput_tok_s_per_gpu, gpu_usd_per_hour, utilization,
min_gpus=1, overhead_usd=0, input_share=0)``
    USD per month: ``gpus_needed(...) * gpu_usd_per_hour * 730 + overhead_usd``. It steps up by one
    GPU-month at each whole-GPU boundary. Pass the input share so that only output tokens size the fleet.
``break_even_tokens(api_price_usd_per_mtok, throughput_tok_s_per_gpu, gpu_usd_per_hour, utilization,
min_gpus=1, overhead_usd=0, input_share=0)``
    ``BreakEven``: the smallest monthly volume at which self-hosting costs no more than the API
    (``tokens``; None when it never does), the GPUs at that point, and ``stays_cheaper_from``, the
    volume above which self-hosting is cheaper at every volume (the step costs can make the API cheaper
    again just after a new GPU is added). Solved with ``scipy.optimize.brentq``. Use the effective API
    price from ``api_usd_per_mtok`` so that cache discounts count.
``cheapest_meeting(models_prices_scores, threshold, openness)``
    The cheapest model (a dict) with score >= threshold among ``openness`` "open" or "closed" rows of a
    table with columns ``open`` (bool), ``score`` and ``blended`` (e.g. the output of
    ``price_capability``); None when no model qualifies.
``price_capability(models, scores, prices, price_source="aa_reference", ratio=3.0, open_rule="any")``
    One row per model: best AA Intelligence Index, the price from a source, blended price, openness.
``closed_catalog(models, scores, prices, ratio=3.0)`` and ``self_host_table(throughput, gpu_prices)``
    The closed models with an AA score and an API price, and the MLPerf results with a rental price.
``compare_options(tables, CalcInputs(...))``
    The three options at one volume: a dict with ``options`` (DataFrame: option "Closed API" /
    "Open model, hosted" / "Self-host", model, monthly_usd, usd_per_mtok, detail), ``break_even_closed``
    and ``break_even_hosted`` (BreakEven), ``rate_closed`` / ``rate_hosted`` ($/M), ``gpus``, ``min_gpus``,
    ``gpu_usd``, ``throughput`` and the resolved inputs. ``closed_model="auto"`` picks the cheapest closed
    model scoring at least as high as the open model.
``size_class(pc, model_sizes(models, epoch_models), target)`` and ``size_self_host(sh, gpu_prices, tokens, ratio,
need, ...)``
    The self-hosting setup sized to a reader: the smallest open model of known size reaching a quality bar, then
    the cheapest MLPerf-measured model at least that large and the GPU type and count for the volume
    (``Sizing``: GPUs, busy share, idle cost, and the rule that picked it).
``nearest_snapshots(price_dates, score_snapshots)``
    The price and score snapshot pair nearest in time, used to pair models.dev prices with AA scores.
``monte_carlo(compare_options_result, volumes)``
    Vectorized simulation (fixed seed) over GPU price, throughput and utilization: the probability that
    self-hosting is cheaper than each API at each volume, and cost percentiles.

Serving physics live in ``serving``: a replica is the smallest tensor-parallel GPU count (1, 2, 4, 8, then
whole nodes) whose memory (data/gpu_specs.csv) holds the weights plus a KV cache, with headroom; GPUs are rented
in whole replicas (``step``). Decode throughput is what MLPerf measured (a tuned, large-batch best case) scaled
by a derate, and by the free memory per GPU when the replica is smaller than MLPerf's system (an estimate).
Input tokens are costed too: a prefill rate from the GPU's dense TFLOPS (``serving.effective_output_tps``).
``match.open_matches(tables, closed_id, yardstick, Task(...))``: the open models statistically tied with a closed
model, priced per task hosted and self-hosted, with the break-even volume (the advisor uses it too). Cached-input discounts apply only to API prices; self-hosting ignores them because
MLPerf does not measure prompt caching.

Section contract (what every section package provides): ``TABLES`` (the data/ tables it reads), ``Settings`` (a
frozen dataclass whose defaults are the page's; ``clean()`` turns bad values into defaults, ``label()`` words the
non-default ones) and ``cards(tables, settings) -> dict[str, ChartCard]`` keyed by ``card.key``, in page order.
Modules, one part each: primitives (the arithmetic above, shared with the advisor), market (price against
capability, price rows), price_history (OpenRouter's step function), calculator (self-host or API at one volume),
uncertainty (tornado, Monte Carlo), sizing (parameter counts, the serving setup for a reader), model (Settings and
the analysis the cards draw), charts (chart builders), section (headlines, cards); robust, match and serving as
described above. Their public names are re-exported here, so ``cost.X`` works for all of them.
"""
from __future__ import annotations

from openclosed.cost.primitives import *  # noqa: F401,F403
from openclosed.cost.market import *  # noqa: F401,F403
from openclosed.cost.price_history import *  # noqa: F401,F403
from openclosed.cost.calculator import *  # noqa: F401,F403
from openclosed.cost.uncertainty import *  # noqa: F401,F403
from openclosed.cost.sizing import *  # noqa: F401,F403
from openclosed.cost.model import *  # noqa: F401,F403
from openclosed.cost.charts import *  # noqa: F401,F403
from openclosed.cost.section import *  # noqa: F401,F403
from openclosed.cost import match  # noqa: F401  (your closed model, its open match: cost.match.open_matches)
