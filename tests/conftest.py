"""Shared test settings: hypothesis profiles sized for a small machine.

The ``dpup`` profile (the default) keeps property tests quick; set ``HYPOTHESIS_PROFILE=ci``
for a longer run. ``tests`` is a package, so strategies import as
``from tests.strategies import agreements``.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dpup",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dpup"))
