"""Suite-wide test settings, and the real data's default results that several test files read: computed once per
test process (pytest-xdist worker), not once per file. Read them, never change them."""
import pytest
from hypothesis import settings

# Property tests check values, not speed: on a shared 2-core machine a first example can take longer than
# Hypothesis' 200 ms default deadline, which made runs flaky. Speed is measured in bench/, not here.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


@pytest.fixture(scope="session")
def real_tables():
    """Every table in data/, validated, by name."""
    from openclosed.tables import TABLES
    from tests import factories
    return factories.real(*TABLES)


@pytest.fixture(scope="session")
def default_cards(real_tables):
    """Each section's chart cards at its default settings, by section key (openclosed.report.section_cards)."""
    from openclosed import report
    return {s.key: report.section_cards(s, real_tables) for s in report.with_cards()}


@pytest.fixture(scope="session")
def overview_defaults(real_tables):
    from openclosed import overview
    return overview.defaults(real_tables)


@pytest.fixture(scope="session")
def checked_claims(real_tables, overview_defaults):
    """The Overview's claims check at the defaults (openclosed.overview.check_claims)."""
    from openclosed import overview
    return overview.check_claims(real_tables["claims"], overview_defaults)
