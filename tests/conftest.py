import os

# Single-threaded BLAS: on a shared 2-core machine OpenBLAS's threads make small matrix
# products 8-30x slower (measured); set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pytest

#: Relative-error bound for float64 gradient checks (the issue's requirement).
GRAD_TOL = 1e-7


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
