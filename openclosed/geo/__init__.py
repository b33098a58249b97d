"""Geopolitics: who releases open and who releases closed models, and how far apart are the US and China.

Pure core (no streamlit). Everything is computed from DataFrames passed in:
``epoch_models`` (Epoch's notable and large-scale lists), ``models`` (the catalog, for country and openness
of scored models), ``scores`` (ECI, Artificial Analysis index, LMArena), ``events`` and
``published_estimates``.

Country rules (stated on the page):

- Epoch's ``Country (of organization)`` lists one country per organization, comma-joined, so a string can
  repeat a country ("China,China") or list several. A string is split on commas, each name is normalized
  (``United States of America`` -> ``United States``...) and duplicates are dropped: "China,China" is one
  Chinese model. Hong Kong counts as China. "Multinational" counts as Other. A model with no country is
  left out of the region charts.
- Region groupings: ``europe`` (US, China, Europe, Other; Europe = EU members plus the UK, Switzerland,
  Norway, Iceland and other European states, not Russia), ``eu`` (US, China, EU, Other; EU = the 27
  current members, counted as one bloc, so the UK and Switzerland fall into Other) and ``uk_fr`` (US,
  China, United Kingdom, France, Rest of Europe, Other).
- Counting rules for models from several regions: ``full`` counts the model once in *each* region it
  lists (a US-UK model is one US model and one European model; totals can exceed the number of models);
  ``fractional`` splits one model equally among its distinct countries (a US-UK model is half US and half
  UK; totals equal the number of models). Under both rules "China,China" is one Chinese model.
- Open: ``any`` counts every Epoch "Open weights" class as open; ``unrestricted`` only "Open weights
  (unrestricted)". Everything else with a known accessibility (API, hosted, unreleased, and restricted
  weights under ``unrestricted``) is "Closed". Models whose accessibility Epoch left empty are "Unknown":
  shown in the release counts, left out of share-open denominators.

The US-China capability gap uses the Performance page's lag code, ``openclosed.frontier``, with China as
the trailing side and the US as the leading side.

Section contract (what every section package provides): ``TABLES`` (the data/ tables it reads), ``Settings`` (a
frozen dataclass whose defaults are the page's; ``clean()`` turns bad values into defaults, ``label()`` words the
non-default ones) and ``cards(tables, settings) -> dict[str, ChartCard]`` keyed by ``card.key``, in page order.
Modules: model (analysis, Settings), charts (chart builders), section (headlines, cards).
Their public names are re-exported here, so ``geo.X`` works for all of them.
"""
from __future__ import annotations

from openclosed.geo.model import *  # noqa: F401,F403
from openclosed.geo.charts import *  # noqa: F401,F403
from openclosed.geo.section import *  # noqa: F401,F403
