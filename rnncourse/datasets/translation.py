r"""Translation: English number words to digit strings, a tiny sequence-to-sequence task.

Taught on the book page *Translating with an encoder and a decoder* (``book/applications/translation``).

"three hundred and twelve" -> "3 1 2". Small as it is, the task has what makes
translation hard for a fixed-window model: source and target lengths differ,
some words have no counterpart (*and*, *hundred*), and some targets have no word
(the 0 of "three hundred and five" -> "305") so the model must *infer* them.
"""
from __future__ import annotations

from ..core.checks import check_positive_int, check_rng
from ._validate import check_int
from .text import WordVocab, pad_sequences

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
#: The largest number :func:`number_to_words` spells.
MAX_NUMBER = 999_999
#: Special tokens of both translation vocabularies, in id order.
SPECIALS = ("<pad>", "<bos>", "<eos>")


def _below_100(k):
    if k < 20:
        return [_ONES[k]]
    return [_TENS[k // 10]] + ([_ONES[k % 10]] if k % 10 else [])


def _below_1000(k):
    if k < 100:
        return _below_100(k)
    rest = k % 100
    return [_ONES[k // 100], "hundred"] + (["and"] + _below_100(rest) if rest else [])


def number_to_words(value):
    r"""Spell a whole number in British English words: 312 -> ``"three hundred and twelve"``.

    Tens and units are separate words (``"forty two"``, not ``"forty-two"``), and
    *and* follows *hundred* or *thousand* when smaller parts follow
    (``"two thousand and five"``, ``"one hundred and one"``).

    Parameters
    ----------
    value : int
        In ``[0, 999999]``.

    Returns
    -------
    words : str
        Lower-case words separated by single spaces.

    Book page: ``book/applications/translation``.
    """
    k = check_int("value", value, 0, MAX_NUMBER)
    if k < 1000:
        return " ".join(_below_1000(k))
    thousands, rest = divmod(k, 1000)
    words = _below_1000(thousands) + ["thousand"]
    if rest:
        words += (["and"] if rest < 100 else []) + _below_1000(rest)
    return " ".join(words)


def number_translation_pairs(n, *, rng, max_value=999):
    r"""Pairs (English number words, digits) for a sequence-to-sequence model.

    Numbers are drawn uniformly from ``[0, max_value]``; the source is the list of
    words of :func:`number_to_words`, the target the list of its digits
    (``["three", "hundred", "and", "twelve"]`` -> ``["3", "1", "2"]``).

    It stands in for sentence pairs of two languages (such as the English-French
    pairs of the WMT benchmarks); here the mapping is exact and the vocabularies
    have about 30 and 10 words, where real ones have tens of thousands and the
    same sentence has many correct translations.

    Parameters
    ----------
    n : int
        N, the number of pairs.
    rng : numpy.random.Generator
    max_value : int
        In ``[1, 999999]``.

    Returns
    -------
    sources : list of N lists of str
        English words (1 to 5 words for ``max_value <= 999``).
    targets : list of N lists of str
        Digits, one character per token, no leading zeros.

    See Also
    --------
    number_vocabularies : the source and target vocabularies (with ``<pad>``, ``<bos>``, ``<eos>``).
    encode_translation_pairs : padded id arrays for teacher forcing.

    Book page: ``book/applications/translation``.
    """
    N = check_positive_int("n", n)
    check_rng("rng", rng)
    m = check_int("max_value", max_value, 1, MAX_NUMBER)
    values = rng.integers(0, m + 1, size=N)
    sources = [number_to_words(int(v)).split() for v in values]
    targets = [list(str(int(v))) for v in values]
    return sources, targets


def number_vocabularies(max_value=999):
    r"""The vocabularies of :func:`number_translation_pairs` for numbers up to ``max_value``.

    They depend only on ``max_value``, so training and test sets drawn
    separately share them. Ids 0, 1, 2 are ``<pad>``, ``<bos>``, ``<eos>`` in both;
    there is no ``<unk>`` (an unknown word raises).

    Parameters
    ----------
    max_value : int
        In ``[1, 999999]``.

    Returns
    -------
    source_vocab : WordVocab
        The English words that occur in numbers ``0 .. max_value`` (30 words plus
        3 specials for ``max_value >= 999``).
    target_vocab : WordVocab
        The digits that occur (``"0"`` .. ``"9"`` for ``max_value >= 9``) plus 3 specials.

    Book page: ``book/applications/translation``.
    """
    m = check_int("max_value", max_value, 1, MAX_NUMBER)
    upto = range(min(m, 999) + 1)
    words = [number_to_words(k).split() for k in upto] + ([["thousand"]] if m >= 1000 else [])
    digits = [list(str(k)) for k in upto]
    return WordVocab(words, specials=SPECIALS), WordVocab(digits, specials=SPECIALS)


def encode_translation_pairs(sources, targets, source_vocab, target_vocab):
    r"""Padded id arrays for training an encoder-decoder with teacher forcing.

    The decoder reads ``<bos> y_1 .. y_U`` and must output ``y_1 .. y_U <eos>``:
    at step ``t`` its input is the previous correct token.

    Parameters
    ----------
    sources, targets : lists of N lists of str
        As returned by :func:`number_translation_pairs` (or any token lists).
    source_vocab, target_vocab : WordVocab
        Their vocabularies; ``target_vocab`` must contain ``<bos>`` and ``<eos>``.

    Returns
    -------
    src : ndarray, shape (N, S), int64
        Source ids, padded with 0; S is the longest source.
    src_mask : ndarray, shape (N, S), bool
    tgt_in : ndarray, shape (N, U + 1), int64
        ``<bos>`` followed by the target ids (decoder inputs); U is the longest target.
    tgt_out : ndarray, shape (N, U + 1), int64
        The target ids followed by ``<eos>`` (decoder outputs to predict).
    tgt_mask : ndarray, shape (N, U + 1), bool
        True on the real positions of ``tgt_out`` (its ``<eos>`` included).

    Book page: ``book/applications/translation``.
    """
    for name, v in (("source_vocab", source_vocab), ("target_vocab", target_vocab)):
        if not isinstance(v, WordVocab):
            raise TypeError(f"{name} must be a WordVocab, got {type(v).__name__}")
    for tok in ("<bos>", "<eos>"):
        if tok not in target_vocab:
            raise ValueError(f"target_vocab must contain {tok!r}; build it with specials={SPECIALS}")
    for name, v in (("sources", sources), ("targets", targets)):
        if not isinstance(v, list):
            raise TypeError(f"{name} must be a non-empty list of token lists, got {type(v).__name__}")
    if len(sources) != len(targets):
        raise ValueError(f"sources and targets must have the same length, got {len(sources)} and {len(targets)}")
    if not sources:
        raise ValueError("sources and targets must not be empty: one pair at least")
    bos, eos = target_vocab.token_to_id["<bos>"], target_vocab.token_to_id["<eos>"]
    src, src_mask = pad_sequences([source_vocab._encode(s, f"sources[{i}]") for i, s in enumerate(sources)])
    encoded = [target_vocab._encode(t, f"targets[{i}]") for i, t in enumerate(targets)]
    tgt_in, _ = pad_sequences([[bos] + t for t in encoded])
    tgt_out, tgt_mask = pad_sequences([t + [eos] for t in encoded])
    return src, src_mask, tgt_in, tgt_out, tgt_mask
