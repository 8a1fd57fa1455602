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

from .checks import check_array_dict, check_instance, check_positive_float, check_real, check_sequence
from .module import Module


class Optimizer:
    r"""Base class: holds the module, the learning rate and per-parameter state.

    Parameters
    ----------
    module : Module
        The layer or model whose ``params`` are updated from its ``grads``.
    lr : float > 0
        The learning rate :math:`\eta`. Every hyperparameter is checked when the
        optimizer is built: a number of the wrong type (``bool`` included) raises
        ``TypeError``, one out of its range ``ValueError``, each naming it.

    Book page: ``book/first_rnn``.
    """

    def __init__(self, module: Module, lr: float):
        self.module = check_instance("module", module, Module, "an rnncourse Module (a layer or a Sequential)")
        self.lr = check_positive_float("lr", lr)
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.steps = 0

    def zero_grad(self) -> None:
        """Zero the module's gradients."""
        self.module.zero_grad()

    def step(self) -> None:
        """Apply one update to every parameter."""
        grads = self.module.grads
        try:
            check_array_dict("grads", grads)
        except ValueError as err:
            raise ValueError(f"{err} (step {self.steps + 1}): lower the learning rate or clip the "
                             "gradients") from None
        self.steps += 1
        for name, p in self.module.params.items():
            self._update(name, p, grads[name], self.state.setdefault(name, {}))

    def _update(self, name, p, g, s):
        raise NotImplementedError


class SGD(Optimizer):
    r"""Stochastic gradient descent with optional (heavy-ball) momentum :math:`\mu \in [0, 1)`.

    Book page: ``book/first_rnn``.
    """

    def __init__(self, module, lr=0.01, momentum=0.0):
        super().__init__(module, lr)
        self.momentum = check_real("momentum", momentum, 0.0, 1.0, high_open=True)

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
    r"""RMSProp: divides by a running root-mean-square of recent gradients (decay :math:`\alpha \in (0, 1)`).

    ``eps > 0`` keeps the division finite.

    Book page: ``book/first_rnn``.
    """

    def __init__(self, module, lr=0.01, alpha=0.99, eps=1e-8):
        super().__init__(module, lr)
        self.alpha = check_real("alpha", alpha, 0.0, 1.0, low_open=True, high_open=True)
        self.eps = check_positive_float("eps", eps)

    def _update(self, name, p, g, s):
        sq = s.setdefault("sq", np.zeros_like(p))
        sq *= self.alpha
        sq += (1 - self.alpha) * g * g
        p -= self.lr * g / (np.sqrt(sq) + self.eps)


class Adam(Optimizer):
    r"""Adam: momentum plus RMSProp-style scaling, with bias correction.

    ``betas`` is the pair :math:`(\beta_1, \beta_2)`, each in :math:`[0, 1)`; ``eps > 0``.

    Book page: ``book/first_rnn``.
    """

    def __init__(self, module, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(module, lr)
        self.beta1, self.beta2 = (check_real(f"betas[{i}]", b, 0.0, 1.0, high_open=True)
                                  for i, b in enumerate(check_sequence("betas", betas, 2)))
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
