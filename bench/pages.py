"""How the benchmark exercises each page: the page file, its URL path, and one control to change.

`control` is (AppTest widget kind, key, values to cycle through) for the warm-rerun measure;
`browser` is (the visible label of a selectbox, option texts to alternate) for the load test.
"""
PAGES = [
    {"page": "pages/overview.py", "url": "overview", "control": None, "browser": None, "has_chart": False},
    {"page": "pages/performance.py", "url": "performance",
     "control": ("selectbox", "perf_metric", ["lmarena_text", "eci", "aa_intelligence_index"]),
     "browser": ("Yardstick", ["LMArena rating", "Epoch Capabilities Index", "AA Intelligence Index"])},
    {"page": "pages/cost.py", "url": "cost", "control": ("slider", "cost_threshold", [35.0, 45.0, 40.0]),
     "browser": None},
    {"page": "pages/risk.py", "url": "risk", "control": ("toggle", "risk_ctx_personal_data", [True, False]),
     "browser": None},
    {"page": "pages/geopolitics.py", "url": "geopolitics",
     "control": ("radio", "geo_counting", ["fractional", "full"]), "browser": None},
    {"page": "pages/advisor.py", "url": "advisor", "has_chart": False,  # charts only on the result step
     "control": ("toggle", "adv_audit", [True, False]),
     "browser": None},
    {"page": "pages/data.py", "url": "data", "control": None, "browser": None},
]
