import numpy as np
import pytest

#: Relative-error bound for float64 gradient checks (the issue's requirement).
GRAD_TOL = 1e-7


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
