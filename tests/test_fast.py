"""rnncourse.cells.fast, what is particular to the fused kernels: they saturate without warnings,
leave their inputs and caches untouched, and refuse what they cannot use.

That they agree with the teaching versions (1e-10 in float64), pass gradient checks and keep
float32 end to end is part of every cell's contract: test_cells_contract.py, which runs both
paths. Every test here runs over the cells of support.cells.CELLS, through the functions their
layer class declares (``kernels``).
"""
import warnings

import numpy as np
import pytest

from support.cells import CELLS, kernel_inputs

each_cell = pytest.mark.parametrize("cell", CELLS, ids=str)


def functions(cell):
    """(teaching forward, teaching backward, fast forward, fast backward) of the cell."""
    return (*cell.cls.kernels[False], *cell.cls.kernels[True])


@pytest.mark.parametrize("cell", [c for c in CELLS if not c.kink], ids=str)   # relu does not saturate
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_saturated_gates_are_exact_and_silent(cell, dtype, rng):
    """Pre-activations of +-1000: exp overflows to inf inside the kernel, which is the exact limit;
    no warning escapes, no NaN appears, and the result equals the teaching version."""
    fwd, _, fwd_fast, bwd_fast = functions(cell)
    inputs = kernel_inputs(cell, rng, 3, 5, 4, 4, scale=300.0, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h, cache = fwd_fast(**inputs)
        grads = bwd_fast(np.ones_like(h), cache)
    assert np.isfinite(h).all() and all(np.isfinite(g).all() for g in grads)
    with np.errstate(all="ignore"):
        h_ref, _ = fwd(**inputs)
    # Pre-activations near 1e3 carry a summation-order rounding of ~1e3 * eps; an unsaturated
    # gate passes a quarter of it on, hence the float32 bound.
    np.testing.assert_allclose(h, h_ref, rtol=0, atol=1e-4 if dtype == np.float32 else 1e-12)
    saturated = np.abs(h_ref) > 1 - np.finfo(dtype).eps
    np.testing.assert_array_equal(h[saturated], h_ref[saturated])


@each_cell
def test_inputs_and_cache_are_left_untouched(cell, rng):
    """Neither the arguments nor the cache change: a second backward gives the same gradients."""
    _, _, fwd_fast, bwd_fast = functions(cell)
    inputs = kernel_inputs(cell, rng, 2, 6, 3, 4)
    before = {k: v.copy() for k, v in inputs.items() if isinstance(v, np.ndarray)}
    h, cache = fwd_fast(**inputs)
    dh = rng.standard_normal(h.shape)
    dh_before = dh.copy()
    first = bwd_fast(dh, cache)
    second = bwd_fast(dh, cache)
    for k in before:
        np.testing.assert_array_equal(inputs[k], before[k], err_msg=k)
    np.testing.assert_array_equal(dh, dh_before)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


@each_cell
def test_errors_name_the_argument(cell, rng):
    fwd, _, fwd_fast, bwd_fast = functions(cell)
    inputs = kernel_inputs(cell, rng, 2, 3, 3, 4)
    _, teaching_cache = fwd(**inputs)
    with pytest.raises(TypeError, match=f"cache must be the cache returned by {fwd_fast.__name__}"):
        bwd_fast(np.zeros((2, 3, 4)), teaching_cache)
    h, cache = fwd_fast(**inputs)
    with pytest.raises(ValueError, match="dh"):
        bwd_fast(np.zeros((2, 4, 4)), cache)
    with pytest.raises(ValueError, match="x"):
        fwd_fast(**{**inputs, "x": np.zeros((2, 0, 3))})
    with pytest.raises(ValueError, match="h0"):
        fwd_fast(**{**inputs, "h0": np.zeros((3, 4))})
    with pytest.raises((TypeError, ValueError), match="dtype|float"):
        fwd_fast(**{**inputs, "x": inputs["x"].astype(np.float32)})
