r"""Optimizers that update a module's parameters in place from its gradients.

Taught on the book page *Your first RNN* (``book/first_rnn``).

Each optimizer is built on a module (``Adam(model, lr=1e-2)``) and reads
``model.params`` and ``model.grads`` at every :meth:`Optimizer.step`, keeping its
own per-parameter state (momentum, running averages) under the same names.

======== ==================================================================================
SGD      :math:`v \leftarrow \mu v + g,\; \theta \leftarrow \theta - \eta v`
Adagrad  :math:`G \leftarrow G + g^2,\; \theta \leftarrow \theta - \eta g / (\sqrt{G} + \epsilon)`
RMSProp  :math:`s \leftarrow \alpha s + (1-\alpha) g^2,\; \theta \leftarrow \theta - \eta g / (\sqrt{s} + \epsilon)`
Adam     :math:`m \leftarrow \beta_1 m + (1-\beta_1) g,\; v \leftarrow \beta_2 v + (1-\beta_2) g^2,\;
         \theta \leftarrow \theta - \eta \hat m / (\sqrt{\hat v} + \epsilon)` with bias-corrected
         :math:`\hat m = m/(1-\beta_1^t)`, :math:`\hat v = v/(1-\beta_2^t)`
======== ==================================================================================
"""
from __future__ import annotations

import numpy as np

from .checks import check_positive_float
from .module import Module


class Optimizer:
    """Base class: holds the module, the learning rate and per-parameter state.

    Book page: ``book/first_rnn``.
    """

    def __init__(self, module: Module, lr: float):
        if not isinstance(module, Module):
            raise TypeError(f"module must be an rnncourse Module (a layer or a Sequential), "
                            f"got {type(module).__name__}")
        self.module = module
        self.lr = check_positive_float("lr", lr)
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.steps = 0

    def zero_grad(self) -> None:
        """Zero the module's gradients."""
        self.module.zero_grad()

    def step(self) -> None:
        """Apply one update to every parameter."""
        self.steps += 1
        grads = self.module.grads
        for name, p in self.module.params.items():
            g = grads[name]
            if not np.all(np.isfinite(g)):
                raise FloatingPointError(f"gradient of {name} contains NaN or inf at step {self.steps}; "
                                         "lower the learning rate or clip the gradients")
            self._update(name, p, g, self.state.setdefault(name, {}))

    def _update(self, name, p, g, s):
        raise NotImplementedError


class SGD(Optimizer):
    r"""Stochastic gradient descent with optional (heavy-ball) momentum :math:`\mu`.

    Book page: ``book/first_rnn``.
    """

    def __init__(self, module, lr=0.01, momentum=0.0):
        super().__init__(module, lr)
        self.momentum = check_positive_float("momentum", momentum, allow_zero=True)
        if self.momentum >= 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")

    def _update(self, name, p, g, s):
        if self.momentum:
            v = s.setdefault("v", np.zeros_like(p))
            v *= self.momentum
            v += g
            p -= self.lr * v
        else:
            p -= self.lr * g


class Adagrad(Optimizer):
    """Adagrad: per-entry step sizes shrink with the sum of squared gradients (min-char-rnn's choice).

    Book page: ``book/first_rnn``.
    """

    def __init__(self, module, lr=0.1, eps=1e-8):
        super().__init__(module, lr)
        self.eps = check_positive_float("eps", eps)

    def _update(self, name, p, g, s):
        G = s.setdefault("G", np.zeros_like(p))
        G += g * g
        p -= self.lr * g / (np.sqrt(G) + self.eps)


class RMSProp(Optimizer):
    r"""RMSProp: divides by a running root-mean-square of recent gradients (decay :math:`\alpha`).

    Book page: ``book/first_rnn``.
    """

    def __init__(self, module, lr=0.01, alpha=0.99, eps=1e-8):
        super().__init__(module, lr)
        self.alpha = check_positive_float("alpha", alpha)
        if self.alpha >= 1:
            raise ValueError(f"alpha must be in (0, 1), got {alpha}")
        self.eps = check_positive_float("eps", eps)

    def _update(self, name, p, g, s):
        sq = s.setdefault("sq", np.zeros_like(p))
        sq *= self.alpha
        sq += (1 - self.alpha) * g * g
        p -= self.lr * g / (np.sqrt(sq) + self.eps)


class Adam(Optimizer):
    """Adam: momentum plus RMSProp-style scaling, with bias correction.

    Book page: ``book/first_rnn``.
    """

    def __init__(self, module, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(module, lr)
        if len(betas) != 2 or not all(0 <= b < 1 for b in betas):
            raise ValueError(f"betas must be two numbers in [0, 1), got {betas}")
        self.beta1, self.beta2 = float(betas[0]), float(betas[1])
        self.eps = check_positive_float("eps", eps)

    def _update(self, name, p, g, s):
        m = s.setdefault("m", np.zeros_like(p))
        v = s.setdefault("v", np.zeros_like(p))
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        m_hat = m / (1 - self.beta1 ** self.steps)
        v_hat = v / (1 - self.beta2 ** self.steps)
        p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
