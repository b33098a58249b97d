"""Performance: how far behind are open models, in score and in months, and is the gap closing?

Pure analysis and chart builders (no streamlit). The page (pages/performance.py) reads the tables, builds
``Settings`` from its URL-bound widgets and renders ``cards(tables, settings)``; presenter mode and the deck
call the same function.

Data flow: ``metric_points`` turns data/scores.csv + data/models.csv into one point per model (best variant),
labelled open or closed; ``analyze`` computes the two frontiers (openclosed.frontier), the gap in points and
months over time, Epoch AI's average horizontal/vertical gap with a bootstrap interval, and a robust trend of
the lag; the ``*_card`` functions turn those into chart cards with headlines computed from the numbers.
"""
from __future__ import annotations

from openclosed.performance.model import *  # noqa: F401,F403
from openclosed.performance.charts import *  # noqa: F401,F403
from openclosed.performance.section import *  # noqa: F401,F403
