r"""Text: a small corpus for a character-level language model, and a sentiment task.

Taught on the book pages *A character-level language model* (``book/applications/language_model``) and
*Sentiment of a sentence* (``book/applications/sentiment``).

Text reaches a network as integer ids: a vocabulary maps every character
(:class:`CharVocab`) or word (:class:`WordVocab`) to an id, and :func:`one_hot`
turns ids into the float vectors an RNN reads. Sentences of different lengths
are padded to one length by :func:`pad_sequences`, which also returns the mask
the losses use to ignore the padding.
"""
from __future__ import annotations

from importlib import resources

import numpy as np

from ..core.checks import as_int_array, check_float_dtype, check_positive_int, check_rng, check_sequence
from ._validate import check_int, check_int_range, check_real

# ---------------------------------------------------------------------------
# ids and vectors
# ---------------------------------------------------------------------------


def _as_id_array(name, ids, ndim=None, allow_empty=False):
    """Integer ids as int64, checked by :func:`rnncourse.core.checks.as_int_array` (kind, rank, not empty)."""
    return as_int_array(name, ids, ndim=ndim, allow_empty=allow_empty).astype(np.int64, copy=False)


def one_hot(ids, depth, dtype=np.float64):
    r"""One-hot vectors: ``out[..., k] = 1`` where ``ids == k``, else 0.

    Parameters
    ----------
    ids : ndarray of int, any shape S
        Values in ``[0, depth)``.
    depth : int
        V, the vocabulary size.
    dtype : numpy dtype
        float64 (default) or float32.

    Returns
    -------
    out : ndarray, shape S + (V,), ``dtype``

    Book page: ``book/applications/language_model``.
    """
    ids = _as_id_array("ids", ids)
    V = check_positive_int("depth", depth)
    dtype = check_float_dtype("dtype", dtype)
    if ids.min() < 0 or ids.max() >= V:
        bad = ids[(ids < 0) | (ids >= V)].flat[0]
        raise ValueError(f"ids must lie in [0, depth={V}), found {int(bad)}")
    return np.eye(V, dtype=dtype)[ids]


def pad_sequences(sequences, *, length=None, pad_id=0):
    r"""Pad id sequences of different lengths on the right into one array, with a mask.

    Parameters
    ----------
    sequences : list of sequences of int
        N non-empty sequences of ids (lists, tuples or 1-D int arrays).
    length : int, optional
        T, the padded length; by default the longest sequence's length. A
        sequence longer than ``length`` raises (nothing is cut silently).
    pad_id : int
        The id written into padded positions (0, the ``<pad>`` of :class:`WordVocab`).

    Returns
    -------
    ids : ndarray, shape (N, T), int64
        ``ids[i, :len_i]`` is sequence i, the rest is ``pad_id``.
    mask : ndarray, shape (N, T), bool
        True on real tokens, False on padding (pass it to the losses).

    Book page: ``book/applications/sentiment``.
    """
    if not isinstance(sequences, (list, tuple)):
        raise TypeError(f"sequences must be a non-empty list of id sequences, got {type(sequences).__name__}")
    if not sequences:
        raise ValueError(f"sequences must be a non-empty list of id sequences, got {type(sequences).__name__} (empty)")
    pad_id = check_int("pad_id", pad_id, 0)
    rows = []
    for i, seq in enumerate(sequences):
        if isinstance(seq, (str, bytes)):
            raise TypeError(f"sequences[{i}] must be a sequence of integer ids, got a string; "
                            "encode it with a vocabulary first")
        arr = _as_id_array(f"sequences[{i}]", seq, ndim=1)
        if arr.min() < 0:
            raise ValueError(f"sequences[{i}] holds a negative id {int(arr.min())}")
        rows.append(arr)
    longest = max(len(r) for r in rows)
    if length is None:
        T = longest
    else:
        T = check_positive_int("length", length)
        if longest > T:
            i = next(i for i, r in enumerate(rows) if len(r) == longest)
            raise ValueError(f"sequences[{i}] has {longest} ids, more than length={T}")
    ids = np.full((len(rows), T), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), T), dtype=bool)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = r
        mask[i, :len(r)] = True
    return ids, mask


# ---------------------------------------------------------------------------
# vocabularies
# ---------------------------------------------------------------------------


class CharVocab:
    r"""The characters of a text, each mapped to an id (sorted order, so the same text gives the same ids).

    Parameters
    ----------
    text : str
        The (training) text; every distinct character becomes one id.

    Attributes
    ----------
    id_to_char : list of str
        V characters, sorted.
    char_to_id : dict
        The inverse map.

    Examples
    --------
    >>> v = CharVocab("hello")
    >>> v.encode("hole")
    array([1, 3, 2, 0])
    >>> v.decode([1, 3, 2, 0])
    'hole'

    Book page: ``book/applications/language_model``.
    """

    def __init__(self, text):
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if not text:
            raise ValueError("text is empty; a vocabulary needs at least one character")
        self.id_to_char = sorted(set(text))
        self.char_to_id = {c: i for i, c in enumerate(self.id_to_char)}

    def __len__(self):
        return len(self.id_to_char)

    @property
    def size(self):
        """V, the number of characters."""
        return len(self.id_to_char)

    def __repr__(self):
        return f"CharVocab(size={self.size})"

    def encode(self, text):
        """Map a string to an int64 array of ids, shape (L,); an unknown character raises ValueError."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        try:
            return np.fromiter((self.char_to_id[c] for c in text), dtype=np.int64, count=len(text))
        except KeyError as err:
            c = err.args[0]
            raise ValueError(f"character {c!r} at position {text.index(c)} is not in the vocabulary "
                             f"(it has {self.size} characters, taken from the text it was built on)") from None

    def decode(self, ids):
        """Map ids (any 1-D int sequence) back to a string; an id outside [0, V) raises ValueError."""
        arr = _as_id_array("ids", ids, ndim=1, allow_empty=True)
        if arr.size and (arr.min() < 0 or arr.max() >= self.size):
            bad = arr[(arr < 0) | (arr >= self.size)][0]
            raise ValueError(f"ids must be ids of this vocabulary: id {int(bad)} is outside the vocabulary "
                             f"[0, {self.size})")
        return "".join(self.id_to_char[i] for i in arr)


class WordVocab:
    r"""Word tokens mapped to ids; special tokens first, so ``<pad>`` is always id 0.

    Parameters
    ----------
    token_lists : iterable of lists of str
        Tokenised sentences; every distinct token becomes one id (sorted order
        after the specials, so the same data gives the same ids).
    specials : sequence of str
        Special tokens placed first, in this order; must start with ``"<pad>"``.
        If it contains ``"<unk>"``, unknown words encode to it; otherwise they raise.

    Attributes
    ----------
    id_to_token : list of str
    token_to_id : dict
    pad_id : int
        0.

    Book page: ``book/applications/sentiment``.
    """

    def __init__(self, token_lists, *, specials=("<pad>", "<unk>")):
        specials = check_sequence("specials", specials)
        for i, sp in enumerate(specials):
            if not isinstance(sp, str):
                raise TypeError(f"specials[{i}] must be a str, got {sp!r} ({type(sp).__name__})")
        if specials[0] != "<pad>":
            raise ValueError(f"specials must start with '<pad>' (id 0), got {specials}")
        if len(set(specials)) != len(specials):
            raise ValueError(f"specials must be distinct strings, got {specials}")
        if not isinstance(token_lists, (list, tuple)):
            raise TypeError(f"token_lists must be a list of token lists, got {type(token_lists).__name__}")
        words = set()
        for i, toks in enumerate(token_lists):
            if isinstance(toks, (str, bytes)) or not isinstance(toks, (list, tuple)):
                raise TypeError(f"token_lists[{i}] must be a list of str tokens, got {type(toks).__name__}")
            for t in toks:
                if not isinstance(t, str):
                    raise TypeError(f"token_lists[{i}] holds a {type(t).__name__}; tokens must be str")
            words.update(toks)
        self.id_to_token = specials + sorted(words - set(specials))
        self.token_to_id = {t: i for i, t in enumerate(self.id_to_token)}
        self.pad_id = 0
        self.unk_id = self.token_to_id.get("<unk>")

    def __len__(self):
        return len(self.id_to_token)

    @property
    def size(self):
        """V, the number of tokens, specials included."""
        return len(self.id_to_token)

    def __contains__(self, token):
        return token in self.token_to_id

    def __repr__(self):
        return f"WordVocab(size={self.size}, specials={self.id_to_token[:self._n_specials()]})"

    def _n_specials(self):
        return sum(1 for t in self.id_to_token if t.startswith("<") and t.endswith(">"))

    def encode(self, tokens):
        """Map a list of tokens to a list of int ids (unknown -> ``<unk>`` if present, else ValueError)."""
        return self._encode(tokens, "tokens")

    def _encode(self, tokens, name):
        """:meth:`encode`, naming the list ``name`` in errors (``sources[3]`` for a caller's batch)."""
        if not isinstance(tokens, (list, tuple)):
            raise TypeError(f"{name} must be a list of str, got {type(tokens).__name__}")
        out = []
        for i, t in enumerate(tokens):
            if not isinstance(t, str):
                raise TypeError(f"{name}[{i}] must be a str token, got {t!r} ({type(t).__name__})")
            k = self.token_to_id.get(t, self.unk_id)
            if k is None:
                raise ValueError(f"token {t!r} at position {i} is not in the vocabulary and it has no '<unk>' "
                                 f"({name}[{i}])")
            out.append(k)
        return out

    def decode(self, ids):
        """Map ids back to a list of tokens; an id outside [0, V) raises ValueError."""
        arr = _as_id_array("ids", ids, ndim=1, allow_empty=True)
        if arr.size and (arr.min() < 0 or arr.max() >= self.size):
            bad = arr[(arr < 0) | (arr >= self.size)][0]
            raise ValueError(f"ids must be ids of this vocabulary: id {int(bad)} is outside the vocabulary "
                             f"[0, {self.size})")
        return [self.id_to_token[i] for i in arr]

    def encode_batch(self, token_lists, *, length=None):
        """Encode and pad: ``pad_sequences([encode(t) for t in token_lists])`` -> (ids (N, T), mask (N, T))."""
        if not isinstance(token_lists, (list, tuple)):
            raise TypeError(f"token_lists must be a non-empty list of token lists, got {type(token_lists).__name__}")
        if not token_lists:
            raise ValueError("token_lists must be a non-empty list of token lists, got an empty one")
        return pad_sequences([self._encode(t, f"token_lists[{i}]") for i, t in enumerate(token_lists)],
                             length=length, pad_id=self.pad_id)


# ---------------------------------------------------------------------------
# character-level language model
# ---------------------------------------------------------------------------


def tiny_corpus():
    r"""About 4 KB of plain English prose for a character-level language model.

    A short story written for this course (*The Keeper of the Hill Station*:
    a weather keeper, her notebook of daily readings, and a clerk who learns to
    read a week of numbers as one sentence), ASCII, 42 distinct characters. It
    stands in for the large corpora (novels, Wikipedia, source code) a real
    character model is trained on; 4 KB is enough to learn spelling and common
    words in a minute of numpy, not enough for grammar that generalises.

    Returns
    -------
    text : str

    Book page: ``book/applications/language_model``.
    """
    return resources.files(__package__).joinpath("data", "hill_station.txt").read_text(encoding="ascii")


def char_lm_batches(text_ids, seq_len, batch_size, *, rng):
    r"""Chunks of a text for next-character prediction: ``y[i, t]`` is the character after ``x[i, t]``.

    The id stream is cut into non-overlapping chunks of ``T = seq_len`` ids,
    starting at a random offset in ``[0, T)`` (so each call sees different chunk
    boundaries); chunk ``i`` starting at position ``p_i`` gives
    ``x[i] = ids[p_i : p_i + T]`` and ``y[i] = ids[p_i + 1 : p_i + T + 1]``. The
    chunks are shuffled and the leftovers dropped, so that ``N`` is a multiple of
    ``batch_size`` and ``x[b * B:(b + 1) * B]`` is batch ``b``. Call it once per
    epoch with the same ``rng`` to reshuffle.

    Parameters
    ----------
    text_ids : ndarray of int, shape (L,)
        The encoded text (e.g. ``CharVocab(text).encode(text)``).
    seq_len : int
        T, the number of steps per chunk.
    batch_size : int
        B; the text must hold at least ``B * T + 1`` ids.
    rng : numpy.random.Generator

    Returns
    -------
    x : ndarray, shape (N, T), int64
        Input ids; turn them into vectors with :func:`one_hot`.
    y : ndarray, shape (N, T), int64
        Next-character targets.

    Book page: ``book/applications/language_model``.
    """
    ids = _as_id_array("text_ids", text_ids, ndim=1)
    T = check_positive_int("seq_len", seq_len)
    B = check_positive_int("batch_size", batch_size)
    check_rng("rng", rng)
    L = ids.shape[0]
    if L < B * T + 1:
        raise ValueError(f"text_ids has {L} ids; one batch of batch_size={B} chunks of seq_len={T} "
                         f"needs at least {B * T + 1}")
    offset = int(rng.integers(0, min(T - 1, L - 1 - B * T) + 1))
    n_chunks = (L - 1 - offset) // T
    N = (n_chunks // B) * B
    starts = offset + T * rng.permutation(n_chunks)[:N]
    cols = np.arange(T)
    x = ids[starts[:, None] + cols]
    y = ids[starts[:, None] + cols + 1]
    return x, y


# ---------------------------------------------------------------------------
# sentiment
# ---------------------------------------------------------------------------

#: Nouns the sentiment sentences talk about.
SENTIMENT_NOUNS = ("film", "food", "service", "room", "music", "book", "game", "coffee", "staff", "view")
#: Opinion adjectives.
POSITIVE_ADJECTIVES = ("good", "great", "excellent", "lovely", "fun", "nice", "wonderful")
NEGATIVE_ADJECTIVES = ("bad", "awful", "boring", "terrible", "poor", "dull", "horrible")
#: Opinion verbs as (plain form after "did not", past tense).
POSITIVE_VERBS = (("like", "liked"), ("love", "loved"), ("enjoy", "enjoyed"))
NEGATIVE_VERBS = (("hate", "hated"), ("dislike", "disliked"))
#: Every word that carries a polarity, in every form used.
POSITIVE_WORDS = frozenset(POSITIVE_ADJECTIVES) | {w for pair in POSITIVE_VERBS for w in pair}
NEGATIVE_WORDS = frozenset(NEGATIVE_ADJECTIVES) | {w for pair in NEGATIVE_VERBS for w in pair}
_INTENSIFIERS = ("very", "really", "quite")


def _sentiment_clause(rng, p_negation, label):
    """One clause with one opinion word whose meaning is ``label`` (True = positive); returns tokens."""
    negated = bool(rng.random() < p_negation)
    positive = label != negated                           # polarity of the opinion word itself
    noun = SENTIMENT_NOUNS[rng.integers(len(SENTIMENT_NOUNS))]
    kind = rng.integers(3)
    if kind == 2:                                         # i (did not) like the food
        verbs = POSITIVE_VERBS if positive else NEGATIVE_VERBS
        plain, past = verbs[rng.integers(len(verbs))]
        toks = ["i", "did", "not", plain] if negated else ["i", past]
        toks += ["the", noun]
    else:
        adjs = POSITIVE_ADJECTIVES if positive else NEGATIVE_ADJECTIVES
        adj = [adjs[rng.integers(len(adjs))]]
        if rng.random() < 0.3:
            adj = [_INTENSIFIERS[rng.integers(len(_INTENSIFIERS))]] + adj
        neg = ["not"] if negated else []
        if kind == 0:                                     # the food was (not) (very) good
            toks = ["the", noun, "was"] + neg + adj
        else:                                             # it was (not) a (very) good film
            article = "an" if adj[0][0] in "aeiou" else "a"
            toks = ["it", "was"] + neg + [article] + adj + [noun]
    return toks


def sentiment_sentences(n, *, rng, p_negation=0.4, p_contrast=0.3):
    r"""Short review-like sentences with a positive (1) or negative (0) label.

    Each sentence is one clause, or two joined by *but*. A clause has one opinion
    word (an adjective such as *good* or *boring*, or a verb such as *loved* or
    *hated*) and may be negated:

    - ``the food was [not] [very] good``
    - ``it was [not] a [really] boring film``
    - ``i liked the room`` / ``i did not like the room``

    **Label rule.** A clause is positive when its opinion word is positive and it
    is not negated, or its word is negative and it is negated (*not bad* is
    positive, *not good* is negative). In ``A but B`` the clause after *but*
    decides (and the clause before it always says the opposite, as *but* does in
    English). Both rules depend on word order, so a bag of words cannot solve the
    task: *the food was good but the staff was not good* and *the food was not
    good but the staff was good* have the same words and opposite labels.

    It stands in for short film or product reviews with a rating (such as the
    IMDb reviews or the Stanford Sentiment Treebank); real reviews add sarcasm,
    long contexts and tens of thousands of words, none of which are here.

    Parameters
    ----------
    n : int
        N, the number of sentences.
    rng : numpy.random.Generator
    p_negation : float
        Probability that a clause is negated, in [0, 1].
    p_contrast : float
        Probability that a sentence has two clauses joined by *but*, in [0, 1].

    Returns
    -------
    sentences : list of N lists of str
        Lower-case tokens (4 to 15 per sentence).
    labels : ndarray, shape (N,), int64
        1 positive, 0 negative.

    See Also
    --------
    WordVocab, pad_sequences : to turn the tokens into padded id arrays.

    Book page: ``book/applications/sentiment``.
    """
    N = check_positive_int("n", n)
    check_rng("rng", rng)
    p_negation = check_real("p_negation", p_negation, 0.0, 1.0)
    p_contrast = check_real("p_contrast", p_contrast, 0.0, 1.0)
    sentences, labels = [], np.empty(N, dtype=np.int64)
    for i in range(N):
        label = bool(rng.random() < 0.5)
        if rng.random() < p_contrast:                     # "A but B": B decides, A says the opposite
            toks = _sentiment_clause(rng, p_negation, not label) + ["but"] + \
                _sentiment_clause(rng, p_negation, label)
        else:
            toks = _sentiment_clause(rng, p_negation, label)
        sentences.append(toks)
        labels[i] = int(label)
    return sentences, labels


#: Neutral phrases that may follow "and" between the clauses of a review.
_REVIEW_LINKS = ((), (), ("then",), ("later",), ("after", "that"), ("on", "sunday"), ("the", "next", "day"))


def review_sentences(n, *, rng, clauses=(3, 5), p_negation=0.4):
    r"""Reviews of several clauses joined by *and*, whose **last** clause decides the label.

    Each clause is one of those of :func:`sentiment_sentences` (one opinion word, negated
    with probability ``p_negation``) and has its own, independent polarity; a neutral
    phrase (*then*, *after that*, ...) may follow each *and*:

    - ``the food was good and then i did not like the staff and it was a really dull film``
      (negative: the last clause decides)

    **Label rule.** The polarity of the last clause, as in :func:`sentiment_sentences`
    (*not bad* is positive). The clauses before it are as likely to agree with it as not,
    and nothing before the end of the review says which clause is the last one: a model
    that reads left to right only knows at the last word which of the clauses it has read
    decides, while one that also reads right to left has read the deciding clause at every
    position. It stands in for reviews whose verdict comes at the end.

    Parameters
    ----------
    n : int
        N, the number of reviews.
    rng : numpy.random.Generator
    clauses : (int, int)
        The fewest and the most clauses of a review (both included), at least 1.
    p_negation : float
        Probability that a clause is negated, in [0, 1].

    Returns
    -------
    sentences : list of N lists of str
        Lower-case tokens.
    labels : ndarray, shape (N,), int64
        1 positive, 0 negative.

    Book page: ``book/assignments``.
    """
    N = check_positive_int("n", n)
    check_rng("rng", rng)
    low, high = check_int_range("clauses", clauses, 1)
    p_negation = check_real("p_negation", p_negation, 0.0, 1.0)
    sentences, labels = [], np.empty(N, dtype=np.int64)
    for i in range(N):
        toks, label = [], False
        for k in range(int(rng.integers(low, high + 1))):
            if k:
                toks += ["and", *_REVIEW_LINKS[rng.integers(len(_REVIEW_LINKS))]]
            label = bool(rng.random() < 0.5)
            toks += _sentiment_clause(rng, p_negation, label)
        sentences.append(toks)
        labels[i] = int(label)
    return sentences, labels
