"""rnncourse: recurrent neural networks from scratch in numpy, the reference package of the course.

Every page of the book imports it; the assignments' tests compare student work with it.
The subpackages show the architecture, from the bottom up:

- :mod:`rnncourse.core`: the module protocol, activations, losses, BPTT, clipping,
  gradient checks, optimisers, the training loop, argument checks.
- :mod:`rnncourse.cells`: the recurrent cells (Elman RNN, LSTM, GRU), each with its own
  equations on a shared base, and their fast kernels.
- :mod:`rnncourse.layers`: the other layers (output, dense, embedding, dropout, convolution).
- :mod:`rnncourse.models`: architectures built from them (stacked, bidirectional, RCNN,
  hierarchical, classifier, language model, seq2seq, forecaster).
- :mod:`rnncourse.applications`: every application trained end to end, one module each.
- :mod:`rnncourse.analysis`: measurements the pages make (vanishing gradients, the worked example).
- :mod:`rnncourse.datasets`: small generated datasets.
- :mod:`rnncourse.viz`: the book's figures; :mod:`rnncourse.pages`: helpers of the book's pages.
- :mod:`rnncourse.grading`: the checks that the released assignment notebooks run.

The names below are re-exported, so ``import rnncourse as rc; rc.LSTM(...)`` works.
"""
from . import analysis, applications, cells, core, datasets, layers, models
from .analysis import vanishing, worked_example
from .cells import fast, gru, lstm, mingru, rnn
from .core import activations, bptt, clipping, gradcheck, losses, module, optim, train
from .core.activations import (log_softmax, log_softmax_backward, relu, relu_grad, sigmoid, sigmoid_grad,
                               softmax, softmax_backward, tanh, tanh_grad)
from .core.bptt import bptt as run_bptt
from .core.clipping import clip_grads_by_global_norm, clip_grads_by_value, global_norm
from .core.gradcheck import check_function_gradients, check_module_gradients, numerical_gradient, rel_error
from .core.losses import mse, softmax_cross_entropy
from .core.module import Module, Sequential
from .core.optim import SGD, Adagrad, Adam, RMSProp
from .core.train import History, TrainingDiverged, fit
from .cells.rnn import RNN, rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward
from .cells.lstm import LSTM, lstm_backward, lstm_forward, lstm_step_backward, lstm_step_forward
from .cells.gru import GRU, gru_backward, gru_forward, gru_step_backward, gru_step_forward
from .cells.mingru import MinGRU
from .layers import conv, dense, dropout, embedding, output
from .layers.output import LastStep, Output, output_backward, output_forward
from .layers.conv import Conv1d, MaxPool1d, conv1d_backward, conv1d_forward
from .layers.embedding import Embedding, embedding_backward, embedding_forward
from .layers.dense import Dense, dense_backward, dense_forward
from .layers.dropout import Dropout
from .models import bidirectional, classifier, forecasting, hierarchical, language_model, rcnn, seq2seq, stacked
from .models.bidirectional import Bidirectional
from .models.stacked import Stacked
from .models.rcnn import RCNN
from .models.hierarchical import Hierarchical
from .models.classifier import SequenceClassifier
from .models.seq2seq import Seq2Seq

__version__ = "0.1.0"

__all__ = [
    "core", "cells", "layers", "models", "analysis", "fast",
    "activations", "bptt", "clipping", "datasets", "gradcheck", "losses", "module", "optim", "output",
    "rnn", "train", "worked_example", "applications", "lstm", "gru", "bidirectional", "stacked", "conv", "rcnn",
    "hierarchical", "embedding", "dense", "dropout", "language_model", "classifier", "seq2seq",
    "forecasting", "vanishing",
    "tanh", "tanh_grad", "sigmoid", "sigmoid_grad", "relu", "relu_grad", "softmax", "softmax_backward",
    "log_softmax", "log_softmax_backward",
    "Module", "Sequential", "RNN", "rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward",
    "Output", "LastStep", "output_forward", "output_backward", "mse", "softmax_cross_entropy",
    "run_bptt", "clip_grads_by_value", "clip_grads_by_global_norm", "global_norm",
    "rel_error", "numerical_gradient", "check_module_gradients", "check_function_gradients",
    "SGD", "Adagrad", "RMSProp", "Adam", "fit", "History", "TrainingDiverged", "__version__",
    "LSTM", "lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward",
    "GRU", "gru_step_forward", "gru_step_backward", "gru_forward", "gru_backward",
    "Bidirectional", "Stacked", "Conv1d", "MaxPool1d", "conv1d_forward", "conv1d_backward", "RCNN",
    "Hierarchical", "Embedding", "embedding_forward", "embedding_backward", "Dense", "dense_forward",
    "dense_backward", "Dropout", "SequenceClassifier", "Seq2Seq", "MinGRU", "mingru",
]
