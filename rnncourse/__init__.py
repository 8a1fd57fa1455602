"""rnncourse: recurrent neural networks from scratch in numpy, the reference package of the course.

Every page of the book imports it, the assignments' hidden tests compare student
work with it. Modules, one per concept:

- :mod:`rnncourse.activations`: tanh, sigmoid, relu, softmax, log-softmax and derivatives.
- :mod:`rnncourse.module`: the layer protocol (``params``, ``grads``, ``forward``, ``backward``) and ``Sequential``.
- :mod:`rnncourse.rnn`: the Elman RNN, step and sequence functions and the ``RNN`` layer.
- :mod:`rnncourse.output`: the output layer ``y_t = W_hy h_t + b_y``.
- :mod:`rnncourse.losses`: softmax cross-entropy and MSE over time, with padding masks.
- :mod:`rnncourse.bptt`: full and truncated backpropagation through time.
- :mod:`rnncourse.clipping`: gradient clipping by value and by global norm.
- :mod:`rnncourse.gradcheck`: numerical gradient checks.
- :mod:`rnncourse.optim`: SGD (momentum), Adagrad, RMSProp, Adam.
- :mod:`rnncourse.train`: the training loop with a progress bar.
- :mod:`rnncourse.lstm`, :mod:`rnncourse.gru`: the gated cells.
- :mod:`rnncourse.bidirectional`, :mod:`rnncourse.stacked`: both directions, and deep RNNs.
- :mod:`rnncourse.conv`, :mod:`rnncourse.rcnn`, :mod:`rnncourse.hierarchical`: convolution over time, RCNN, two-level RNN.
- :mod:`rnncourse.embedding`, :mod:`rnncourse.dense`, :mod:`rnncourse.dropout`: the supporting layers.
- :mod:`rnncourse.language_model`, :mod:`rnncourse.classifier`, :mod:`rnncourse.seq2seq`,
  :mod:`rnncourse.forecasting`: the models of the applications.
- :mod:`rnncourse.applications`: every application trained end to end, for the book's pages.
- :mod:`rnncourse.vanishing`: measuring vanishing and exploding gradients.
- :mod:`rnncourse.worked_example`: the two-unit example of the seed article, computed.
- :mod:`rnncourse.datasets`: small generated datasets.
"""
from . import (activations, applications, bidirectional, bptt, classifier, clipping, conv, datasets, dense, dropout,
               embedding, forecasting, gradcheck, gru, hierarchical, language_model, losses, lstm, module,
               optim, output, rcnn, rnn, seq2seq, stacked, train, vanishing, worked_example)
from .activations import (log_softmax, log_softmax_backward, relu, relu_grad, sigmoid, sigmoid_grad,
                          softmax, softmax_backward, tanh, tanh_grad)
from .bptt import bptt as run_bptt
from .clipping import clip_grads_by_global_norm, clip_grads_by_value, global_norm
from .gradcheck import check_function_gradients, check_module_gradients, numerical_gradient, rel_error
from .losses import mse, softmax_cross_entropy
from .module import Module, Sequential
from .optim import SGD, Adagrad, Adam, RMSProp
from .output import LastStep, Output, output_backward, output_forward
from .rnn import RNN, rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward
from .train import History, TrainingDiverged, fit
from .lstm import LSTM, lstm_backward, lstm_forward, lstm_step_backward, lstm_step_forward
from .gru import GRU, gru_backward, gru_forward, gru_step_backward, gru_step_forward
from .bidirectional import Bidirectional
from .stacked import Stacked
from .conv import Conv1d, MaxPool1d, conv1d_backward, conv1d_forward
from .rcnn import RCNN
from .hierarchical import Hierarchical
from .embedding import Embedding, embedding_backward, embedding_forward
from .dense import Dense, dense_backward, dense_forward
from .dropout import Dropout
from .classifier import SequenceClassifier
from .seq2seq import Seq2Seq

__version__ = "0.1.0"

__all__ = [
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
    "SGD", "Adagrad", "RMSProp", "Adam", "fit", "History", "__version__",
    "LSTM", "lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward",
    "GRU", "gru_step_forward", "gru_step_backward", "gru_forward", "gru_backward",
    "Bidirectional", "Stacked", "Conv1d", "MaxPool1d", "conv1d_forward", "conv1d_backward", "RCNN",
    "Hierarchical", "Embedding", "embedding_forward", "embedding_backward", "Dense", "dense_forward",
    "dense_backward", "Dropout", "SequenceClassifier", "Seq2Seq",
]
