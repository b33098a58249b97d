"""AppTest helpers: open the real app entry point at a page, optionally with URL query parameters."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def open_page(page: str, params: dict | None = None, timeout: float = 60) -> AppTest:
    """Run the app, switch to `page` (e.g. "pages/cost.py") with `params` in the URL, and return it."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    return at
