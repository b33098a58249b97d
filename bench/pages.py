"""How the benchmark exercises each page: the page file, its URL path, and one control to change.

`control` is (AppTest widget kind, key, values to cycle through) for the warm-rerun measure;
`browser` is (the visible label of a selectbox, option texts to alternate) for the load test.
"""
from openclosed import report

# one control per section to exercise (sections not listed get none)
EXERCISE = {
    "performance": {"control": ("selectbox", "perf_metric", ["lmarena_text", "eci", "aa_intelligence_index"]),
                    "browser": ("Yardstick", ["LMArena rating", "Epoch Capabilities Index", "AA Intelligence Index"])},
    "cost": {"control": ("slider", "cost_threshold", [35.0, 45.0, 40.0])},
    "risk": {"control": ("toggle", "risk_ctx_personal_data", [True, False])},
    "geo": {"control": ("radio", "geo_counting", ["fractional", "full"])},
    "advisor": {"control": ("toggle", "adv_audit", [True, False]), "has_chart": False},  # charts only on the result step
}

# every page of the registry, in reading order
PAGES = [{"page": s.page, "url": s.url_path, "control": None, "browser": None, "has_chart": s.has_cards,
          **EXERCISE.get(s.key, {})} for s in report.SECTIONS]
