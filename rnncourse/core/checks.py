"""The input contract of ``rnncourse``, and the checks that keep it.

Taught on the book page *API reference* (``book/api``), where this contract is shown.

Every public function and layer method of the package keeps these promises; the
property-based tests (``tests/test_contract_*.py``) sweep the whole API with generated
shapes, dtypes, special values and bad hyperparameters to hold it to them.

**Errors.** Bad input raises before anything is computed:

* ``TypeError`` when an argument is of the wrong kind: not an array where one is needed,
  an integer, boolean, complex or float16 array where floats are needed, a float dtype that
  differs from the parameters', a hyperparameter of the wrong Python type (``bool`` is never
  accepted as a number), a cache that is not the one the forward function returned;
* ``ValueError`` when it is of the right kind with a wrong value: shape, number of
  dimensions, NaN or infinity, an empty axis, a number out of range;
* ``RuntimeError`` when methods are called in the wrong order (``backward`` before
  ``forward``, or twice for one ``forward``).

The message names the argument as the caller wrote it (a layer method's ``d_outputs``,
not the ``dh`` of the function it calls), says what was expected and what arrived.
Nothing is broadcast, nothing is cast silently, nothing is dropped.

**Dtypes.** Floating-point arrays are ``float32`` or ``float64``. All float arrays of one
call share one dtype, the parameters' (a layer's ``dtype``): a mixed call is refused with a
``TypeError`` naming the odd argument, on the teaching and the fast path alike. Outputs,
gradients and caches keep that dtype end to end. Losses take predictions and float targets
of one dtype; class labels and token ids are integer arrays. A padding mask is a bool array,
or a numeric one holding exactly 0 and 1, with at least one real position (:func:`as_mask`).

**Aliasing.** Outputs are fresh arrays, and caches keep copies of the caller's inputs and
states: editing an input or an output in place after ``forward`` changes no gradient.

**Backward once.** A layer's ``backward`` uses the cache of its last ``forward`` once; a
second ``backward`` without a new ``forward`` raises ``RuntimeError``. Gradients in
``grads`` accumulate over forward/backward pairs until ``zero_grad`` (as PyTorch's ``.grad``
does over backward passes), which truncated BPTT over several chunks needs.

**Sizes.** Batch size N, length T and feature sizes are at least 1: an array with an empty
axis is refused with a ``ValueError`` naming it, and sizes given as numbers must be
positive ints.

**Modules.** A module object appears at most once in a container (``Sequential``,
``Stacked``, ``Bidirectional``, ``Hierarchical``, ...): it keeps the cache of one forward,
so a second position would overwrite it. The container refuses it, naming both positions.
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
                   dtype=None, allow_nonfinite: bool = False, allow_empty: bool = False,
                   copy: bool = False, dtype_of: str = "the layer's parameters") -> np.ndarray:
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
    allow_empty : bool
        Accept an array with an axis of size 0 (refused by default: see the contract).
    copy : bool
        Return a copy, never the caller's array: for values a forward function keeps in its cache.
    dtype_of : str
        What ``dtype`` comes from, for the message (``"pred"``, ``"the model's output"``).

    Raises
    ------
    TypeError
        ``value`` is not array-like, holds no floating-point numbers (an integer
        or boolean array), or has a float dtype other than ``dtype``.
    ValueError
        Wrong number of dimensions, wrong shape, an empty axis, or NaN / inf entries.

    Book page: ``book/api``.
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
        raise TypeError(f"{name} must have dtype {np.dtype(dtype)} to match {dtype_of}, got {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        want = f" {_fmt_shape(shape)}" if shape is not None else ""
        raise ValueError(f"{name} must be a {ndim}-D array{want}, got {arr.ndim}-D with shape {arr.shape}")
    if shape is not None:
        if len(shape) != arr.ndim or any(s is not None and s != a for s, a in zip(shape, arr.shape)):
            raise ValueError(f"{name} must have shape {_fmt_shape(shape)}, got {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty: every axis needs at least one entry, got shape {arr.shape}")
    if not allow_nonfinite and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); every entry must be finite")
    return arr.copy() if copy else arr


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
    """Return ``value`` if it is one of ``choices``, else raise listing them.

    A value of another type than every choice (a number or a list where a name is expected,
    ``True`` among ints) raises ``TypeError``, a value of the right type that is not a choice
    ``ValueError``.
    """
    kinds = tuple({type(c) for c in choices})
    listed = ", ".join(repr(c) for c in choices)
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        raise TypeError(f"{name} must be one of {listed}; got {value!r} ({type(value).__name__})")
    if value not in choices:
        raise ValueError(f"{name} must be one of {listed}; got {value!r}")
    return value


def check_rng(name: str, rng) -> np.random.Generator:
    """Require a ``numpy.random.Generator``: all randomness flows through one that the caller passes."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{name} must be a numpy.random.Generator (e.g. np.random.default_rng(0)), "
                        f"got {type(rng).__name__}")
    return rng


def check_float_dtype(name: str, dtype) -> np.dtype:
    """Return ``numpy.dtype(dtype)`` if it is float32 or float64, else raise a TypeError naming ``name``.

    Book page: ``book/api``.
    """
    if dtype is None:                                # np.dtype(None) would be float64, silently
        raise TypeError(f"{name} must be numpy.float64 or numpy.float32, got None")
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name} must be numpy.float64 or numpy.float32, got {dtype!r}") from None
    if dt.type not in FLOAT_DTYPES:
        raise TypeError(f"{name} must be numpy.float64 or numpy.float32, got {dt}")
    return dt


def check_like(name: str, value, like: np.ndarray, like_name: str | None = None) -> np.ndarray:
    """Validate a gradient ``value`` against the array it belongs to: same shape and dtype, finite.

    ``like_name`` names that array in a dtype error (``"dout must have dtype float32 to match
    out"``); without it, the array is the layer's parameters.

    Book page: ``book/api``.
    """
    if like_name is None:
        return as_float_array(name, value, shape=like.shape, dtype=like.dtype)
    return as_float_array(name, value, shape=like.shape, dtype=like.dtype, dtype_of=like_name)


def check_int(name: str, value, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` if it is an int in ``[low, high]`` (bool refused; None: no bound), else raise.

    Book page: ``book/api``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r} ({type(value).__name__})")
    v = int(value)
    if (low is not None and v < low) or (high is not None and v > high):
        want = (f"in [{low}, {high}]" if low is not None and high is not None
                else f">= {low}" if low is not None else f"<= {high}")
        raise ValueError(f"{name} must be an int {want}, got {v}")
    return v


def check_real(name: str, value, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a float if it is a finite number within the given bounds, else raise.

    Book page: ``book/api``.
    """
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


def as_int_array(name: str, value, ndim: int | None = None, shape=None, low: int | None = None,
                 high: int | None = None, allow_empty: bool = False) -> np.ndarray:
    """Return ``value`` as an integer ndarray (ids, labels) after checking kind, shape and range.

    ``high`` is exclusive (e.g. the vocabulary size). Booleans and floats are refused,
    even float arrays holding whole numbers; an empty list is an empty int array, accepted
    with ``allow_empty`` only (a decoded sequence may be empty, a batch may not).

    Book page: ``book/api``.
    """
    arr = value if isinstance(value, np.ndarray) else None
    if arr is None:
        if isinstance(value, (list, tuple)):
            try:
                arr = np.asarray(value)
            except ValueError as err:
                raise ValueError(f"{name} must be a rectangular array of ints; could not convert it: {err}") from None
            if arr.size == 0:
                arr = arr.astype(np.int64)            # [] has no dtype of its own
        else:
            raise TypeError(f"{name} must be a numpy array of ints, got {_describe(value)}")
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must hold integers (ids or labels), got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got {arr.ndim}-D with shape {arr.shape}")
    if shape is not None and (len(shape) != arr.ndim
                              or any(s is not None and s != a for s, a in zip(shape, arr.shape))):
        raise ValueError(f"{name} must have shape {_fmt_shape(shape)}, got {arr.shape}")
    if arr.size == 0:
        if allow_empty:
            return arr
        raise ValueError(f"{name} must not be empty: every axis needs at least one entry, got shape {arr.shape}")
    if low is not None and arr.min() < low or high is not None and arr.max() >= high:
        raise ValueError(f"{name} must hold ids in [{low if low is not None else '-inf'}, "
                         f"{high if high is not None else 'inf'}), got values from {arr.min()} to {arr.max()}")
    return arr


def as_mask(name: str, value, shape) -> np.ndarray:
    """Return a padding mask as a bool array of ``shape``: True (or 1) at real positions, False (0) at padding.

    ``shape`` is a pattern as in :func:`as_float_array` (``None``: any size on that axis).

    Accepted: a bool array, or a numeric array holding exactly 0 and 1. Refused: another
    kind (``TypeError``), another shape, a value such as 2, 0.5 or NaN, or no real position
    at all (``ValueError``: a mean over no position is 0/0). Every function that takes a
    mask (the losses, full and truncated BPTT, padding helpers) checks it here.

    Book page: ``book/api``.
    """
    if isinstance(value, (list, tuple)):
        try:
            value = np.asarray(value)
        except ValueError as err:
            raise ValueError(f"{name} must be a rectangular array; could not convert it: {err}") from None
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be an array of bool or 0/1 of shape {_fmt_shape(shape)}, got {_describe(value)}")
    if value.dtype != bool and not (np.issubdtype(value.dtype, np.integer)
                                    or np.issubdtype(value.dtype, np.floating)):
        raise TypeError(f"{name} must hold bool or 0/1 values, got dtype {value.dtype}")
    if len(shape) != value.ndim or any(s is not None and s != a for s, a in zip(shape, value.shape)):
        raise ValueError(f"{name} must have shape {_fmt_shape(shape)} (one entry per position), got {value.shape}")
    if value.size == 0:
        raise ValueError(f"{name} must not be empty: every axis needs at least one entry, got shape {value.shape}")
    m = value
    if m.dtype != bool:
        if not np.all((m == 0) | (m == 1)):                # NaN fails both
            raise ValueError(f"{name} must hold only 0/1 or True/False, got dtype {m.dtype} with other "
                             f"values such as {m[~((m == 0) | (m == 1))].flat[0]!r}")
        m = m != 0
    if not m.any():
        raise ValueError(f"{name} marks no position as real (all zeros): a mean over it would be 0/0")
    return m


def check_instance(name: str, value, cls, what: str):
    """Return ``value`` if it is an instance of ``cls``, else a ``TypeError`` saying it must be ``what``.

    Example: ``check_instance("model", model, Module, "an rnncourse Module (a layer or a Sequential)")``.

    Book page: ``book/api``.
    """
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be {what}, got {_describe(value)}")
    return value


def check_callable(name: str, value):
    """Return ``value`` if it can be called (a function, a lambda), else raise a ``TypeError``.

    Book page: ``book/api``.
    """
    if not callable(value):
        raise TypeError(f"{name} must be a function (a callable), got {_describe(value)}")
    return value


def check_sequence(name: str, value, length: int | None = None) -> list:
    """Return the entries of a list, tuple or 1-D array (not a string) as a list, after checking their number.

    With ``length`` the sequence must have exactly that many entries (``betas``, a
    ``(low, high)`` range), without it at least one. The entries themselves are checked by
    the caller, each named ``name[i]``.

    Book page: ``book/api``.
    """
    if isinstance(value, np.ndarray) and value.ndim == 1:
        items = value.tolist()
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        want = f"a pair (a list or tuple of {length} entries)" if length == 2 else \
            f"a list or tuple of {length} entries" if length else "a non-empty list or tuple"
        raise TypeError(f"{name} must be {want}, got {value!r} ({type(value).__name__})")
    if length is not None and len(items) != length:
        raise ValueError(f"{name} must have {length} entries, got {len(items)}: {value!r}")
    if not items:
        raise ValueError(f"{name} must not be empty")
    return items


def check_array_dict(name: str, arrays) -> dict:
    """Check a dict of float arrays that is updated in place (a module's ``params`` or ``grads``).

    Every entry must be a numpy array of float32 or float64, not empty and finite; an error
    names the entry as ``name[key]`` (``grads['W_xh'] contains 1 NaN ...``).

    Book page: ``book/api``.
    """
    if not isinstance(arrays, dict):
        raise TypeError(f"{name} must be a dict of numpy arrays, such as model.{name}, got {_describe(arrays)}")
    for key, a in arrays.items():
        if not isinstance(a, np.ndarray):
            raise TypeError(f"{name} must be a dict of numpy arrays, such as model.{name}: "
                            f"{name}[{key!r}] is {_describe(a)}")
        as_float_array(f"{name}[{key!r}]", a)
    return arrays


def check_cache(cache, kind, where: str):
    """Require the cache a forward function returned: an instance of ``kind``, else a TypeError.

    Parameters
    ----------
    cache : object
    kind : type or tuple of types
    where : str
        The forward function that makes it, named in the message.

    Book page: ``book/api``.
    """
    if not isinstance(cache, kind):
        raise TypeError(f"cache must be the cache returned by {where}, got {_describe(cache)}")
    return cache
