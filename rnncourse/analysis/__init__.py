"""Measurements the book makes on trained or random networks.

- :mod:`~rnncourse.analysis.vanishing`: how gradients shrink or grow with the time lag.
- :mod:`~rnncourse.analysis.memory`: how many bytes a layer keeps for its backward pass.
- :mod:`~rnncourse.analysis.worked_example`: the two-unit example of the math chapter, computed.

A new measurement that a page plots (and that is not a layer or a model) goes here.
"""
