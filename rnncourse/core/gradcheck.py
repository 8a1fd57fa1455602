r"""Numerical gradient checking by central differences.

Taught on the book page *Training with backpropagation through time* (``book/bptt``).

A hand-written backward pass is trusted only after it agrees with the slope the
function really has. For every entry :math:`\theta_i`,

.. math::

    \frac{\partial L}{\partial \theta_i} \approx
    \frac{L(\theta + \epsilon e_i) - L(\theta - \epsilon e_i)}{2\epsilon},

whose truncation error shrinks like :math:`\epsilon^2` while the rounding error of
the two evaluations grows like :math:`10^{-16}|L|/\epsilon`; :math:`\epsilon = 10^{-5}`
balances the two in float64. The checkers below use a four-point version of the
same idea (error :math:`\epsilon^4`), which stays accurate for gradient entries
close to zero. Agreement is measured by the
relative error :math:`\max_i |a_i - b_i| / \max(10^{-8}, |a_i| + |b_i|)`; in
float64 a correct backward gives about :math:`10^{-8}` or less. Checks must run
in float64: float32 rounding alone gives errors near :math:`10^{-3}`.
"""
from __future__ import annotations

import numpy as np

from .checks import (as_float_array, check_callable, check_choice, check_instance, check_int, check_positive_float,
                     check_rng, check_same_dtype)
from .module import Module


#: What a float array of a gradient check must match (the dtype error says so).
_FLOAT64_ONLY = "a gradient check, which runs in float64,"


def rel_error(a, b) -> float:
    r"""Largest elementwise relative error :math:`|a-b| / \max(10^{-8}, |a|+|b|)`.

    Parameters
    ----------
    a, b : ndarray, same shape

    Returns
    -------
    float

    Book page: ``book/bptt``.
    """
    a = as_float_array("a", a)
    b = as_float_array("b", b, shape=a.shape)
    check_same_dtype(a=a, b=b)
    # halved in float64: the same ratio, and |a| + |b| cannot overflow even near the float64 maximum
    a, b = 0.5 * a.astype(np.float64), 0.5 * b.astype(np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(0.5e-8, np.abs(a) + np.abs(b))))


def _check_step(eps, order):
    """``(eps, order)`` of the finite differences, checked; ``eps=None`` picks the default of ``order``."""
    order = check_choice("order", check_int("order", order), (2, 4))
    if eps is None:
        return (1e-5 if order == 2 else 1e-3), order
    return check_positive_float("eps", eps), order


def numerical_gradient(f, x, dout=None, eps=None, order=4):
    r"""Gradient of ``sum(f() * dout)`` with respect to the array ``x``, by central differences.

    ``x`` is perturbed *in place*, one entry at a time, and restored; ``f``
    takes no arguments and reads ``x`` (so it can be a closure over the
    parameters of a module).

    ``order=2`` is the two-point formula :math:`(L(\theta+\epsilon) - L(\theta-\epsilon))/2\epsilon`
    (error :math:`O(\epsilon^2)`, best near :math:`\epsilon = 10^{-5}`). ``order=4`` (the
    default) combines four points,

    .. math::

        \frac{8\,[L(\theta+\epsilon) - L(\theta-\epsilon)] - [L(\theta+2\epsilon) - L(\theta-2\epsilon)]}{12\,\epsilon},

    with error :math:`O(\epsilon^4)`, so a larger step (:math:`10^{-3}`) can be
    used and rounding matters a hundred times less; gradient entries close to
    zero are then checked as reliably as large ones.

    Parameters
    ----------
    f : callable () -> float or ndarray
        The function to differentiate.
    x : ndarray, float64, any shape
        The array to perturb (modified and restored).
    dout : ndarray, optional
        Upstream gradient with the shape of ``f()``'s output; required when
        ``f`` returns an array.
    eps : float, optional
        Step size; ``1e-5`` for ``order=2``, ``1e-3`` for ``order=4`` by default.
    order : {2, 4}

    Returns
    -------
    ndarray, shape of ``x``

    Book page: ``book/bptt``.
    """
    check_callable("f", f)
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError("x must be a float64 numpy array: gradient checks in float32 are swamped by "
                        f"rounding, got {getattr(x, 'dtype', type(x).__name__)}")
    as_float_array("x", x)
    eps, order = _check_step(eps, order)
    value = np.asarray(f())
    if dout is None:
        if value.ndim != 0:
            raise ValueError(f"f returns an array of shape {value.shape}; pass dout with its shape")
    else:
        dout = as_float_array("dout", dout, shape=value.shape, dtype=np.float64, dtype_of="x")

    def scalar(value):
        return value if dout is None else np.asarray(value) * dout

    def diff(i, old, h):
        x[i] = old + h
        fp = f()
        x[i] = old - h
        fm = f()
        x[i] = old
        # difference the outputs first, then weight and sum: less cancellation
        return np.sum(scalar(np.asarray(fp) - np.asarray(fm)))

    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    for _ in it:
        i = it.multi_index
        old = x[i].copy()
        if order == 2:
            grad[i] = diff(i, old, eps) / (2 * eps)
        else:
            grad[i] = (8 * diff(i, old, eps) - diff(i, old, 2 * eps)) / (12 * eps)
    return grad


def _flatten_state(state):
    if state is None:
        return []
    if isinstance(state, np.ndarray):
        return [state]
    out = []
    for s in state:
        out.extend(_flatten_state(s))
    return out


def check_module_gradients(module: Module, x, state=None, *, rng, eps=None, order=4) -> dict:
    r"""Check every gradient a module computes: its input, initial state and parameters.

    A random upstream gradient :math:`g` (and :math:`g_T` on the final state) turns
    the module into the scalar :math:`L = \sum g \odot \text{outputs} + \sum g_T
    \odot \text{final\_state}`; the analytic gradients from :meth:`rnncourse.core.module.Module.backward`
    are compared with central differences of :math:`L`. The module is put in eval
    mode so that dropout does not change between evaluations.

    Parameters
    ----------
    module : Module
        A float64 module.
    x : ndarray, float64
        An input batch, e.g. shape (N, T, D).
    state : optional
        Initial state (array or tuple of arrays); its gradient is checked too.
    rng : numpy.random.Generator
        Draws the upstream gradients.
    eps : float, optional
        Step of :func:`numerical_gradient` (its default when None).
    order : {4, 2}
        Stencil of :func:`numerical_gradient`. Use 2 for functions with kinks
        (relu, max-pooling): the wider four-point stencil is more likely to
        straddle a kink.

    Returns
    -------
    dict
        Relative error per name: ``"x"``, ``"state"`` (or ``"state.0"``, ...),
        and every parameter name.

    Book page: ``book/bptt``.
    """
    check_instance("module", module, Module, "an rnncourse Module (a layer or a Sequential)")
    check_rng("rng", rng)
    x = as_float_array("x", x, dtype=np.float64, dtype_of=_FLOAT64_ONLY)
    x = x.copy()
    eps, order = _check_step(eps, order)
    for name, p in module.params.items():
        if p.dtype != np.float64:
            raise TypeError(f"parameter {name} is {p.dtype}; gradient checks need a float64 module")
    module.eval()
    out, final = module.forward(x, state)
    g = rng.standard_normal(out.shape)
    finals = _flatten_state(final)
    g_final = [rng.standard_normal(s.shape) for s in finals]

    def unflatten_like(final_struct, arrays):
        it = iter(arrays)

        def build(s):
            if s is None:
                return None
            if isinstance(s, np.ndarray):
                return next(it)
            return type(s)(build(v) for v in s)
        return build(final_struct)

    d_final = unflatten_like(final, g_final) if finals else None
    module.zero_grad()
    module.forward(x, state)
    dx = module.backward(g, d_final)
    analytic = {"x": dx}
    states = _flatten_state(state)
    d_states = _flatten_state(module.d_state)
    if states:
        if len(states) == 1:
            analytic["state"] = d_states[0]
        else:
            analytic.update({f"state.{i}": d for i, d in enumerate(d_states)})
    analytic.update({k: v.copy() for k, v in module.grads.items()})

    g_all = np.concatenate([g.ravel()] + [gs.ravel() for gs in g_final])

    def outputs():
        # every output, flattened; the numerical slope of sum(outputs * g_all) is taken
        # on differences of outputs (not of one big sum), which keeps rounding error low
        o, fs = module.forward(x, state)
        return np.concatenate([o.ravel()] + [s.ravel() for s in _flatten_state(fs)])

    numeric = {"x": numerical_gradient(outputs, x, g_all, eps, order)}
    if states:
        for i, s in enumerate(states):
            key = "state" if len(states) == 1 else f"state.{i}"
            numeric[key] = numerical_gradient(outputs, s, g_all, eps, order)
    for name, p in module.params.items():
        numeric[name] = numerical_gradient(outputs, p, g_all, eps, order)
    return {k: rel_error(analytic[k], numeric[k]) for k in analytic}


def check_function_gradients(forward, backward, inputs: dict, *, rng, eps=None, order=4) -> dict:
    r"""Check a pure ``forward``/``backward`` pair such as :func:`rnncourse.cells.rnn.rnn_step_forward`.

    Parameters
    ----------
    forward : callable
        ``forward(**inputs) -> (out, cache)``.
    backward : callable
        ``backward(dout, cache) -> tuple`` of gradients, in the order of ``inputs``
        (only the float arrays among them).
    inputs : dict of str -> ndarray or other
        Keyword arguments of ``forward``; float arrays are checked (they must be float64),
        anything else (integer ids, a nonlinearity name) is passed through.
    rng : numpy.random.Generator
        Draws the upstream gradient.

    Returns
    -------
    dict
        Relative error per checked input name.

    Book page: ``book/bptt``.
    """
    check_callable("forward", forward)
    check_callable("backward", backward)
    check_instance("inputs", inputs, dict, "a dict of the keyword arguments of forward")
    check_rng("rng", rng)
    eps, order = _check_step(eps, order)
    names = [k for k, v in inputs.items() if isinstance(v, np.ndarray) and np.issubdtype(v.dtype, np.floating)]
    for k in names:
        as_float_array(f"inputs[{k!r}]", inputs[k], dtype=np.float64, dtype_of=_FLOAT64_ONLY)
    inputs = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in inputs.items()}
    out, cache = forward(**inputs)
    dout = rng.standard_normal(out.shape)
    grads = backward(dout, cache)
    if len(grads) != len(names):
        raise ValueError(f"backward returned {len(grads)} gradients for {len(names)} array inputs {names}")
    result = {}
    for name, analytic in zip(names, grads):
        num = numerical_gradient(lambda: forward(**inputs)[0], inputs[name], dout, eps, order)
        result[name] = rel_error(analytic, num)
    return result
