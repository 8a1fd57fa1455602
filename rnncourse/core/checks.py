"""Input validation shared by every public function of ``rnncourse``.

Every check names the argument, says what was expected and what arrived, so a
student reading the error knows which line of their code to look at. Nothing is
broadcast or cast silently: a shape that does not match raises, an integer array
where floats are needed raises, a NaN or an infinity raises.
"""
from __future__ import annotations

import numbers

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


def _fmt_shape(shape) -> str:
    """Format a shape pattern, ``None`` meaning any size: ``(None, 3)`` -> ``"(?, 3)"``."""
    parts = ["?" if s is None else str(s) for s in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def as_float_array(name: str, value, ndim: int | None = None, shape=None,
                   dtype=None, allow_nonfinite: bool = False) -> np.ndarray:
    """Return ``value`` as a floating-point ndarray after checking it.

    Parameters
    ----------
    name : str
        The argument's name, used in the error message.
    value : array_like
        A numpy array or a (nested) list of floats.
    ndim : int, optional
        Required number of dimensions.
    shape : tuple, optional
        Required shape; an entry ``None`` accepts any size on that axis.
    dtype : numpy dtype, optional
        Required floating dtype (float32 or float64). Without it any of the
        two is accepted.
    allow_nonfinite : bool
        Accept NaN and infinities (used only where they are meaningful).

    Raises
    ------
    TypeError
        ``value`` is not array-like, holds no floating-point numbers (an integer
        or boolean array), or has a float dtype other than ``dtype``.
    ValueError
        Wrong number of dimensions, wrong shape, or NaN / inf entries.
    """
    if isinstance(value, np.ndarray):
        arr = value
    elif isinstance(value, (list, tuple, numbers.Real)) and not isinstance(value, bool):
        try:
            arr = np.asarray(value)
        except ValueError as err:  # ragged nested lists
            raise ValueError(f"{name} must be a rectangular array; could not convert it: {err}") from None
    else:
        raise TypeError(f"{name} must be a numpy array of floats, got {_describe(value)}")
    if arr.dtype == object:
        raise TypeError(f"{name} must be a rectangular array of floats, got a ragged or object array")
    if arr.dtype.type not in FLOAT_DTYPES:
        raise TypeError(
            f"{name} must hold floating-point numbers (float64 or float32), got dtype {arr.dtype}; "
            f"convert it with {name}.astype(np.float64)")
    if dtype is not None and arr.dtype != np.dtype(dtype):
        raise TypeError(f"{name} must have dtype {np.dtype(dtype)} to match the layer's parameters, "
                        f"got {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        want = f" {_fmt_shape(shape)}" if shape is not None else ""
        raise ValueError(f"{name} must be a {ndim}-D array{want}, got {arr.ndim}-D with shape {arr.shape}")
    if shape is not None:
        if len(shape) != arr.ndim or any(s is not None and s != a for s, a in zip(shape, arr.shape)):
            raise ValueError(f"{name} must have shape {_fmt_shape(shape)}, got {arr.shape}")
    if not allow_nonfinite and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); every entry must be finite")
    return arr


def check_same_dtype(**arrays: np.ndarray) -> np.dtype:
    """Check that all given float arrays share one dtype (no silent float32 -> float64 upcast)."""
    names = list(arrays)
    first = arrays[names[0]].dtype
    for n in names[1:]:
        if arrays[n].dtype != first:
            raise TypeError(f"{n} has dtype {arrays[n].dtype} but {names[0]} has dtype {first}; "
                            "use one floating dtype for all arrays")
    return first


def check_positive_int(name: str, value) -> int:
    """Return ``value`` if it is a positive int (bool is refused), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be a positive int, got {value}")
    return int(value)


def check_positive_float(name: str, value, allow_zero: bool = False) -> float:
    """Return ``value`` as a float if it is a finite positive number, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    v = float(value)
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be a finite {kind} number, got {value}")
    return v


def check_choice(name: str, value, choices) -> str:
    """Return ``value`` if it is one of ``choices``, else raise listing them."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(repr(c) for c in choices)}; got {value!r}")
    return value


def check_rng(name: str, rng) -> np.random.Generator:
    """Require a ``numpy.random.Generator``: all randomness flows through one that the caller passes."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{name} must be a numpy.random.Generator (e.g. np.random.default_rng(0)), "
                        f"got {type(rng).__name__}")
    return rng
