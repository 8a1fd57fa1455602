r"""The applications of the course, each trained end to end on its toy data set in seconds.

One module per application, all on :mod:`rnncourse.applications.base` (result types,
training with Adam, shared helpers). A new application is a new module here, exported below.

Taught on the application pages of the book (``book/applications/<name>``) and on
*Comparing RNN, LSTM and GRU* (``book/variants/comparison``).

Every function here does the whole job a book page shows, with parts of
``rnncourse`` only:

1. make training data *and separate held-out data* with :mod:`rnncourse.datasets`;
2. build the model (embeddings, recurrent layers, output layers, encoder-decoder);
3. train it with :func:`rnncourse.core.train.fit` and Adam, gradients clipped by
   global norm, the learning rate divided by 10 for the last quarter of the
   epochs (:func:`~rnncourse.applications.memory.memory_comparison` keeps it constant);
4. score it on the held-out data next to a simple baseline it has to beat;
5. return an :class:`~rnncourse.applications.base.AppResult`: the trained model, the loss history, the
   metrics, a few examples and the training time.

All arguments are keyword-only. Every application takes the training settings
``seed`` (int), ``batch_size`` and ``epochs`` (int), ``lr`` (float, Adam's learning
rate), ``cell`` (``"gru"``, ``"lstm"`` or ``"rnn"``: the recurrent layer) and
``progress`` (bool or None: the progress bar of :func:`rnncourse.core.train.fit`, shown
in notebooks by default). One ``numpy.random.default_rng(seed)`` feeds
everything (data, initial weights, shuffling, sampling), so a call is
reproducible. The default sizes are chosen so that each application trains in
about 2 to 10 seconds on one core. The toy data sets keep the *shape* of the
real problem and drop its difficulty: the numbers say that the model learnt the
toy task, nothing about the real one.

==================================================================  ======================================  =============================
function                                                            model                                   held-out metric (baseline)
==================================================================  ======================================  =============================
:func:`~rnncourse.applications.language_model.char_language_model`  one-hot -> LSTM -> output, every step   nats per character (unigram)
:func:`~rnncourse.applications.sentiment.sentiment`                 embedding -> bidirectional GRU -> pool  accuracy (bag of words)
:func:`~rnncourse.applications.translation.translation`             encoder GRU -> decoder GRU (seq2seq)    exact match on unseen numbers
:func:`~rnncourse.applications.forecasting.forecasting`             GRU -> last step -> one value           MSE at 1 and 10 steps (naive)
:func:`~rnncourse.applications.speech.speech`                       bidirectional GRU -> dense, per frame   frame, sequence accuracy
:func:`~rnncourse.applications.handwriting.handwriting`             GRU -> last step -> 10 digits           accuracy (chance)
:func:`~rnncourse.applications.captioning.captioning`               image features -> GRU decoder           exact caption (majority)
:func:`~rnncourse.applications.music.music`                         embedding -> GRU -> next note           accuracy, cadences (bigram)
:func:`~rnncourse.applications.monitoring.bed_exit`                 causal GRU -> alarm, every step         precision, recall, lead time
:func:`~rnncourse.applications.memory.memory_comparison`            RNN, LSTM, GRU on the adding problem    MSE / baseline against length
==================================================================  ======================================  =============================
"""

from .base import CELLS, AppResult, ComparisonResult, collapse_repeats, edit_distance
from .captioning import captioning
from .forecasting import forecasting
from .handwriting import handwriting
from .language_model import char_language_model
from .memory import memory_comparison
from .monitoring import alarm_fires_at, bed_exit, step_scores
from .music import music
from .sentiment import sentiment
from .speech import speech
from .translation import attention_comparison, translation

__all__ = ["AppResult", "ComparisonResult", "char_language_model", "sentiment", "translation",
           "forecasting", "speech", "handwriting", "captioning", "music", "bed_exit",
           "memory_comparison", "attention_comparison", "collapse_repeats", "edit_distance",
           "alarm_fires_at", "step_scores"]
