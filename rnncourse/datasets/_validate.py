"""Argument checks used only by :mod:`rnncourse.datasets` (the shared ones live in ``_checks``)."""
from __future__ import annotations

import numbers

import numpy as np


def check_int(name: str, value, low: int, high: int | None = None) -> int:
    """Return ``value`` if it is an int in ``[low, high]`` (bool refused), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r} ({type(value).__name__})")
    v = int(value)
    if v < low or (high is not None and v > high):
        want = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be an int {want}, got {v}")
    return v


def check_real(name: str, value, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a float if it is a finite number within the given bounds, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    v = float(value)
    bad = not np.isfinite(v)
    if low is not None:
        bad |= v <= low if low_open else v < low
    if high is not None:
        bad |= v >= high if high_open else v > high
    if bad:
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        interval = ("(" if low_open or low is None else "[") + f"{lo}, {hi}" + \
                   (")" if high_open or high is None else "]")
        raise ValueError(f"{name} must be a finite number in {interval}, got {value}")
    return v


def check_int_range(name: str, value, low: int) -> tuple[int, int]:
    """Return ``value`` as ``(a, b)`` if it is a pair of ints with ``low <= a <= b``, else raise."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high) of ints, got {value!r}")
    a = check_int(f"{name}[0]", value[0], low)
    b = check_int(f"{name}[1]", value[1], low)
    if a > b:
        raise ValueError(f"{name} must be (low, high) with low <= high, got {tuple(value)}")
    return a, b
