"""Which should I use? The wizard's scoring model, as data, and everything it computes.

Pure Python (pandas, numpy, altair). No streamlit. Every function takes DataFrames or answers; none reads a file.

How a recommendation is made (the page shows all of this under "How the wizard decides")
------------------------------------------------------------------------------------------
1. **Candidates.** From Artificial Analysis (AA) scores and prices (``cost.price_capability``), the quality
   target is either the best AA Intelligence Index of any priced model ("frontier") or the level the reader
   picks. For each side, the model used is the cheapest that meets the target (``cost.cheapest_meeting``);
   when none does, the best-scoring one.
2. **Ratings.** Each of four options (closed API, open weights through a host, open weights self-hosted,
   hybrid) gets a rating from 0 to 1 on each criterion in ``CRITERIA``:
   - *cost*: the monthly cost from the cost model at the reader's volume, on a log scale (``cost_rating``);
   - *quality*: how far each side's model falls short of the target on each chosen workload's benchmark
     (``WORKLOAD_METRIC``), weighted by the workload mix;
   - *data control*: the share of requests that stay on infrastructure the reader controls (a fact of the
     option, not a judgment);
   - *team fit*: the reader's team and appetite for running GPUs (``TEAM_FIT``, ``GPU_FIT``);
   - *speed to ship*, *control* and *latency*: the judgment ratings in ``RATINGS``, each with its reason;
   - *other risks*: the risk register's weighted score (``risk.option_scores``), lower risk rating higher,
     over the categories no other criterion covers (``RISK_CATEGORIES``), with the register's "regulated" and
     "ML team" contexts from who the reader is and their team. Data sensitivity is left out of it on purpose:
     it enters the score once, through data control (the risks-to-watch list does use it).
   The hybrid's ratings blend its two legs by traffic share (``HYBRID_PENALTY`` for running both).
3. **Weights.** Each criterion's weight is the base weight for who the reader is (``BASE_WEIGHTS``) times
   the factor of every rule in ``WEIGHT_RULES`` that matches an answer.
4. **Score.** score(option) = 100 x sum(weight x rating) / sum(weight): 0-100, and each criterion's part of
   it is its contribution (the bar chart). ``HARD_RULES`` rule options out (ranked last) when an answer
   makes them impossible.
5. **Why** compares the top option with the runner-up criterion by criterion; **what would change it**
   re-runs ``evaluate`` over every single change the reader controls (``LEVERS``: volume, quality bar, data
   rules, team, time budget; never who they are or what the product does) and keeps those that change the top
   option, smallest first; volume thresholds are found by bisection. Options an answer rules out are listed
   apart (``Recommendation.ruled_out``) with the rule; ``one_sentence`` states the result for a manager.
6. **Self-hosting** is sized per reader (``cost.size_class``, ``cost.size_self_host``): the size class is the
   smallest open model of known size (Epoch's parameter count, else the one in its name) reaching the bar; the
   MLPerf-measured model at least that large and the GPU type and count that serve the volume most cheaply are
   assumed, with extra GPUs rented by the hour. When no model of known size reaches the bar, or it is bigger
   than any measured one, the largest measured model stands in and the cost is called a floor. The reader can
   fix the model and GPU (``Settings.sh_model`` / ``sh_gpu``).

Public API: ``Settings``, ``PERSONAS``, ``prepare(tables) -> Data``, ``evaluate(data, settings) ->
Evaluation``, ``recommend(data_or_tables, settings) -> Recommendation``, ``cards(tables, settings)``,
``to_markdown(rec)``, ``to_html(rec)``, and the decision tables ``criteria_table()``, ``weights_table()``,
``rules_table()``, ``ratings_table()``.

Section contract (what every section package provides): ``TABLES`` (the data/ tables it reads), ``Settings`` (a
frozen dataclass whose defaults are the page's; ``clean()`` turns bad values into defaults, ``label()`` words the
non-default ones) and ``cards(tables, settings) -> dict[str, ChartCard]`` keyed by ``card.key``, in page order.
Modules: model (questions, Settings, evaluate), recommend (why, what would change), charts, section (cards), summary (download).
Their public names are re-exported here, so ``advisor.X`` works for all of them.
"""
from __future__ import annotations

from openclosed.advisor.model import *  # noqa: F401,F403
from openclosed.advisor.recommend import *  # noqa: F401,F403
from openclosed.advisor.charts import *  # noqa: F401,F403
from openclosed.advisor.section import *  # noqa: F401,F403
from openclosed.advisor.summary import *  # noqa: F401,F403
