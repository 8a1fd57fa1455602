import os

# Single-threaded BLAS: on a shared 2-core machine OpenBLAS's threads make small matrix
# products 8-30x slower (measured); set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# Profiles of the property-based contract tests (tests/test_contract_*.py). "ci", the default,
# is fixed (derandomize: the same examples on every run and machine) and small enough that the
# whole property suite stays well under a minute. HYPOTHESIS_PROFILE=thorough draws 10x the
# examples at random, new ones on every run; a failure prints the @reproduce_failure blob
# that replays it. No example database: nothing is written into the working tree.
_PROFILE = {"deadline": None, "print_blob": True, "database": None,
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("ci", max_examples=20, derandomize=True, **_PROFILE)
settings.register_profile("thorough", max_examples=200, derandomize=False, **_PROFILE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: Relative-error bound for float64 gradient checks (the issue's requirement).
GRAD_TOL = 1e-7


@pytest.fixture(scope="session", autouse=True)
def xdist_groups_applied(request):
    """Under ``--dist loadgroup`` xdist tags each grouped test's node id with its group; check it did.

    pytest 9.2 silently breaks this (pytest-dev/pytest-xdist#1386): every worker would
    then grade the course and build the book itself, doubling the run. Fail instead,
    before any expensive fixture runs (autouse session fixtures come first).
    """
    if not getattr(request.config.option, "loadgroup", False):       # set in xdist workers only
        return
    lost = [item.nodeid for item in request.session.items
            if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
    if lost:
        pytest.fail(f"pytest-xdist did not apply the xdist_group of {len(lost)} tests (e.g. {lost[0]}): "
                    "this pytest/pytest-xdist pair is incompatible, see requirements.txt; "
                    "or run the tests in one process with -n 0", pytrace=False)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
