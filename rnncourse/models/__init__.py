"""Models: containers that combine cells and layers into an architecture.

- :mod:`~rnncourse.models.stacked`, :mod:`~rnncourse.models.bidirectional`: deep and two-way RNNs.
- :mod:`~rnncourse.models.rcnn`, :mod:`~rnncourse.models.hierarchical`: convolution before the
  recurrence, and a two-level RNN.
- :mod:`~rnncourse.models.classifier`, :mod:`~rnncourse.models.language_model`,
  :mod:`~rnncourse.models.seq2seq`, :mod:`~rnncourse.models.forecasting`: the models of the
  applications, with their inference code (sampling, greedy and beam decoding, recursive forecasts);
  :mod:`~rnncourse.models.attention`: additive attention and the encoder-decoder that uses it.

A new way of wiring existing layers (a new architecture) goes here; an end-to-end task
that trains one goes in :mod:`rnncourse.applications`.
"""
