"""Performance: how far behind are open models, in score and in months, and is the gap closing?

Pure analysis and chart builders (no streamlit). The page (pages/performance.py) reads the tables, builds
``Settings`` from its URL-bound widgets and renders ``cards(tables, settings)``; presenter mode and the deck
call the same function.

Data flow: ``metric_points`` turns data/scores.csv + data/models.csv into one point per model (best variant),
labelled open or closed; ``analyze`` computes the two frontiers (openclosed.frontier), the gap in points and
months over time, Epoch AI's average horizontal/vertical gap with a bootstrap interval, and a robust trend of
the lag; the ``*_card`` functions turn those into chart cards with headlines computed from the numbers.

Section contract (what every section package provides): ``TABLES`` (the data/ tables it reads), ``Settings`` (a
frozen dataclass whose defaults are the page's; ``clean()`` turns bad values into defaults, ``label()`` words the
non-default ones) and ``cards(tables, settings) -> dict[str, ChartCard]`` keyed by ``card.key``, in page order.
Modules: model (analysis, Settings), charts (chart primitives), section (cards).
Their public names are re-exported here, so ``performance.X`` works for all of them.
"""
from __future__ import annotations

from openclosed.performance.model import *  # noqa: F401,F403
from openclosed.performance.charts import *  # noqa: F401,F403
from openclosed.performance.section import *  # noqa: F401,F403
