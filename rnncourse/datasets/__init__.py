r"""Small datasets made by code: deterministic given a ``numpy.random.Generator``, no download.

Taught on the book page *Your first RNN* (``book/first_rnn``) and on the pages of
the applications. Every generator takes the random generator as the keyword
``rng``, validates its arguments, documents every shape and dtype, and says which
real data it stands in for. One module per family:

- :mod:`~rnncourse.datasets.series`: sine waves, noisy periodic and price-like
  series, sliding windows, a chronological train/test split, and rising or
  falling lines to classify.
- :mod:`~rnncourse.datasets.memory`: the adding problem and the copy task.
- :mod:`~rnncourse.datasets.text`: a tiny corpus, character and word vocabularies,
  one-hot vectors, padding, character-LM batches, sentiment sentences and reviews whose
  last clause decides.
- :mod:`~rnncourse.datasets.translation`: English number words to digits.
- :mod:`~rnncourse.datasets.toy_perception`: toy speech, handwriting, captioning
  (with a fixed image feature extractor), music and bed-exit data.
"""
from .memory import adding_problem, copy_task
from .series import (make_windows, noisy_periodic_series, price_like_series, rising_or_falling, sine_next_value,
                     train_test_split_series)
from .text import (CharVocab, WordVocab, char_lm_batches, one_hot, pad_sequences, review_sentences,
                   sentiment_sentences, tiny_corpus)
from .toy_perception import (CAPTION_COLOURS, CAPTION_SHAPES, DIGIT_TEMPLATES, FEATURE_FILTERS,
                             MUSIC_SCALE, bed_exit_toy, caption_vocabulary, captioning_toy,
                             handwriting_toy, image_features, music_toy, speech_toy)
from .translation import (encode_translation_pairs, number_to_words, number_translation_pairs,
                          number_vocabularies)

__all__ = [
    "sine_next_value", "noisy_periodic_series", "price_like_series", "make_windows",
    "train_test_split_series", "rising_or_falling",
    "adding_problem", "copy_task",
    "tiny_corpus", "CharVocab", "WordVocab", "one_hot", "pad_sequences", "char_lm_batches",
    "sentiment_sentences", "review_sentences",
    "number_to_words", "number_translation_pairs", "number_vocabularies", "encode_translation_pairs",
    "speech_toy", "handwriting_toy", "captioning_toy", "caption_vocabulary", "image_features",
    "music_toy", "bed_exit_toy",
    "CAPTION_COLOURS", "CAPTION_SHAPES", "DIGIT_TEMPLATES", "FEATURE_FILTERS", "MUSIC_SCALE",
]
