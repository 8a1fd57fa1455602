r"""A small training loop with a progress bar and a loss history.

Taught on the book page *Your first RNN* (``book/first_rnn``).

One step: zero the gradients, forward, loss, BPTT (full or truncated), clip,
update. That is all :func:`fit` does, batch after batch, epoch after epoch; the
loop stays short so that readers can write it themselves.
"""
from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass, field

import numpy as np

with warnings.catch_warnings():
    # In a Jupyter kernel without ipywidgets (a student's environment: the wheel and JupyterLab),
    # tqdm.auto warns "IProgress not found" on import and uses its text bar, which serves as well.
    warnings.filterwarnings("ignore", message="IProgress not found")
    from tqdm.auto import tqdm

from .checks import check_instance, check_positive_float, check_positive_int
from .bptt import bptt, get_loss
from .clipping import clip_grads_by_global_norm, clip_grads_by_value, global_norm
from .module import Module
from .optim import Optimizer


@dataclass
class History:
    """What :func:`fit` records: losses measured *during* training, before each update.

    Every loss is the one the forward pass of a training step computed, so it belongs
    to the weights *before* that step's update. None of them is the loss of the model
    that :func:`fit` returns: to know how good the trained model is, evaluate it
    afterwards (``model.forward`` on the data, then the loss).

    Attributes
    ----------
    step_losses : list of float
        Loss of every batch, in order, computed before that batch's update.
    epoch_losses : list of float
        Mean of an epoch's ``step_losses``: each batch's loss before its own update,
        so the weights change while the epoch's mean is being collected. With a
        single batch per epoch, entry ``k`` is the loss of the weights after
        ``k`` updates (entry 0: the initial weights), and the last entry is the
        loss *before* the last update, not the loss of the returned model.
    grad_norms : list of float
        Global gradient norm of every batch, before clipping.
    """

    step_losses: list = field(default_factory=list)
    epoch_losses: list = field(default_factory=list)
    grad_norms: list = field(default_factory=list)


class TrainingDiverged(ValueError):
    """Raised by :func:`fit` when the loss, a gradient or a parameter stops being finite.

    The run cannot continue (every later step would compute with NaN), but what it
    recorded up to that point is kept: ``err.history`` is the :class:`History` of
    every completed batch, so the losses and gradient norms that led to the failure
    can still be plotted.

    Attributes
    ----------
    history : History
        Everything recorded before the failing batch.
    epoch : int
        The failing epoch, counting from 1.
    batch : int
        The failing batch within that epoch, counting from 1.

    Book page: ``book/bptt``.
    """

    def __init__(self, message, history, epoch, batch):
        super().__init__(message)
        self.history, self.epoch, self.batch = history, epoch, batch


def _all_finite(arrays) -> bool:
    return all(np.isfinite(a).all() for a in arrays)


def _diverged(history, epoch, batch, what):
    return TrainingDiverged(
        f"training diverged in epoch {epoch}, batch {batch}: {what}. The previous updates were too "
        "large: lower the learning rate or clip the gradients (e.g. fit(..., clip_norm=1.0)). "
        f"The {len(history.step_losses)} batch losses recorded so far are in this error's .history.",
        history, epoch, batch)


def _unpack(batch, i):
    if not isinstance(batch, (tuple, list)):
        raise TypeError(f"batches[{i}] must be a tuple (x, y) or (x, y, mask), got {type(batch).__name__}")
    if len(batch) not in (2, 3):
        raise ValueError(f"batches[{i}] must be a tuple (x, y) or (x, y, mask), got {type(batch).__name__} "
                         f"of length {len(batch)}")
    return (batch[0], batch[1], batch[2] if len(batch) == 3 else None)


def fit(model: Module, optimizer: Optimizer, batches, *, loss="mse", epochs=1, truncation=None,
        clip_norm=None, clip_value=None, progress=None, desc="training") -> History:
    """Train ``model`` on ``batches`` for ``epochs`` epochs.

    Parameters
    ----------
    model : Module
        Maps (N, T, D) to per-step outputs.
    optimizer : Optimizer
        Built on ``model``.
    batches : list of tuples, or callable
        Each batch is ``(x, y)`` or ``(x, y, mask)``; or a function
        ``epoch -> iterable of batches`` (to reshuffle with your own rng).
    loss : {"mse", "cross_entropy"} or callable
    epochs : int
    truncation : int, optional
        Truncated-BPTT chunk length (see :func:`rnncourse.core.bptt.bptt`).
    clip_norm : float, optional
        Clip by global norm to this value.
    clip_value : float, optional
        Clip every gradient entry to [-clip_value, clip_value].
    progress : bool, optional
        Show a tqdm progress bar; by default only when stderr is a terminal.
    desc : str
        Label of the progress bar.

    Returns
    -------
    History
        The losses and gradient norms of the training steps, each measured before its
        update (see :class:`History`); evaluate the returned model for its final loss.

    Raises
    ------
    TrainingDiverged
        When the loss, a gradient or a parameter stops being finite (an exploding run); its
        ``history`` attribute holds what was recorded before.

    Book page: ``book/first_rnn``.
    """
    check_instance("model", model, Module, "an rnncourse Module (a layer or a Sequential)")
    check_instance("optimizer", optimizer, Optimizer, "an rnncourse optimizer built on this model, "
                   "e.g. Adam(model, lr=1e-2)")
    if optimizer.module is not model:
        raise ValueError("optimizer must be an rnncourse optimizer built on this model, "
                         "e.g. Adam(model, lr=1e-2); this one updates another module")
    if not (callable(batches) or isinstance(batches, (list, tuple))):
        raise TypeError("batches must be a list of (x, y) or (x, y, mask) tuples, or a function "
                        f"epoch -> batches; got {type(batches).__name__}")
    get_loss(loss)
    epochs = check_positive_int("epochs", epochs)
    if truncation is not None:
        check_positive_int("truncation", truncation)
    if clip_norm is not None:
        check_positive_float("clip_norm", clip_norm)
    if clip_value is not None:
        check_positive_float("clip_value", clip_value)
    if progress is not None and not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"progress must be True, False or None, got {progress!r} ({type(progress).__name__})")
    check_instance("desc", desc, str, "a str (the label of the progress bar)")
    if progress is None:
        progress = sys.stderr.isatty()
    history = History()
    model.train()
    bar = tqdm(range(epochs), desc=desc, disable=not progress, unit="epoch")
    for epoch in bar:
        epoch_batches = batches(epoch) if callable(batches) else batches
        losses = []
        for i, batch in enumerate(epoch_batches):
            x, y, mask = _unpack(batch, i)
            model.zero_grad()
            try:
                value, _ = bptt(model, x, y, loss=loss, mask=mask, truncation=truncation)
            except (ValueError, FloatingPointError) as err:
                if not _all_finite(model.params.values()):
                    raise _diverged(history, epoch + 1, i + 1, "a parameter is no longer finite") from err
                if "NaN or infinite" in str(err) and _all_finite(a for a in (x, y) if isinstance(a, np.ndarray)):
                    raise _diverged(history, epoch + 1, i + 1,
                                    "the activations overflowed although the batch is finite") from err
                raise                                        # a genuine input error: report it as it is
            if not np.isfinite(value):
                raise _diverged(history, epoch + 1, i + 1, f"the loss is {value}")
            grads = model.grads
            if not _all_finite(grads.values()):
                raise _diverged(history, epoch + 1, i + 1, "a gradient is no longer finite")
            history.grad_norms.append(global_norm(grads))
            if clip_value is not None:
                clip_grads_by_value(grads, clip_value)
            if clip_norm is not None:
                clip_grads_by_global_norm(grads, clip_norm)
            optimizer.step()
            losses.append(value)
            history.step_losses.append(value)
        if not losses:
            raise ValueError("batches produced no batch in epoch "
                             f"{epoch}; pass a non-empty list of (x, y) tuples")
        history.epoch_losses.append(float(np.mean(losses)))
        bar.set_postfix(loss=f"{history.epoch_losses[-1]:.4g}")
    bar.close()
    return history
