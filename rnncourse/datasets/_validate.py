"""Argument checks used only by :mod:`rnncourse.datasets` (the shared ones live in :mod:`rnncourse.core.checks`)."""
from __future__ import annotations

from ..core.checks import check_int, check_real, check_sequence  # noqa: F401  (re-exported for the dataset modules)


def check_int_range(name: str, value, low: int) -> tuple[int, int]:
    """Return ``value`` as ``(a, b)`` if it is a pair of ints with ``low <= a <= b``, else raise."""
    first, second = check_sequence(name, value, 2)
    a = check_int(f"{name}[0]", first, low)
    b = check_int(f"{name}[1]", second, low)
    if a > b:
        raise ValueError(f"{name} must be (low, high) with low <= high, got {tuple(value)}")
    return a, b


def check_real_range(name: str, value, low: float, low_open: bool = False) -> tuple[float, float]:
    """Return ``value`` as ``(a, b)`` if it is a pair of finite numbers with ``low <= a <= b``, else raise.

    With ``low_open`` the bound is strict: ``low < a``.
    """
    first, second = check_sequence(name, value, 2)
    a = check_real(f"{name}[0]", first, low, low_open=low_open)
    b = check_real(f"{name}[1]", second, low, low_open=low_open)
    if a > b:
        raise ValueError(f"{name} must be (low, high) with low <= high, got {tuple(value)}")
    return a, b
