"""Suite-wide test settings."""
from hypothesis import settings

# Property tests check values, not speed: on a shared 2-core machine a first example can take longer than
# Hypothesis' 200 ms default deadline, which made runs flaky. Speed is measured in bench/, not here.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")
