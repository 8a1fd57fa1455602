"""The generated datasets: shapes, determinism, and each task's rule checked independently.

Every rule is recomputed here from the returned arrays (never copied from the
implementation), so a generator that mislabels its data fails.
"""
import numpy as np
import pytest

from rnncourse.datasets import (CAPTION_COLOURS, MUSIC_SCALE, CharVocab, WordVocab, adding_problem,
                                bed_exit_toy, caption_vocabulary, captioning_toy, char_lm_batches,
                                copy_task, encode_translation_pairs, handwriting_toy, image_features,
                                make_windows, music_toy, noisy_periodic_series, number_to_words,
                                number_translation_pairs, number_vocabularies, one_hot, pad_sequences,
                                price_like_series, review_sentences, rising_or_falling, sentiment_sentences, sine_next_value,
                                speech_toy, tiny_corpus, train_test_split_series)
from rnncourse.datasets.text import NEGATIVE_WORDS, POSITIVE_WORDS


def gen(seed):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------------------
# determinism: same seed -> identical output, different seed -> different output
# ---------------------------------------------------------------------------
GENERATORS = {
    "sine_next_value": lambda rng: sine_next_value(3, 10, rng=rng, noise=0.1),
    "noisy_periodic_series": lambda rng: noisy_periodic_series(100, rng=rng),
    "price_like_series": lambda rng: price_like_series(100, rng=rng),
    "rising_or_falling": lambda rng: rising_or_falling(8, 12, rng=rng),
    "adding_problem": lambda rng: adding_problem(8, 20, rng=rng),
    "copy_task": lambda rng: copy_task(8, 5, 4, 3, rng=rng),
    "char_lm_batches": lambda rng: char_lm_batches(np.arange(500) % 7, 10, 4, rng=rng),
    "sentiment_sentences": lambda rng: sentiment_sentences(20, rng=rng),
    "review_sentences": lambda rng: review_sentences(20, rng=rng),
    "number_translation_pairs": lambda rng: number_translation_pairs(20, rng=rng),
    "speech_toy": lambda rng: speech_toy(6, rng=rng),
    "handwriting_toy": lambda rng: handwriting_toy(6, rng=rng),
    "captioning_toy": lambda rng: captioning_toy(6, rng=rng),
    "music_toy": lambda rng: music_toy(6, 24, rng=rng),
    "bed_exit_toy": lambda rng: bed_exit_toy(6, 40, rng=rng),
}


def _flatten(out):
    """Everything a generator returned, as a list of arrays and strings, for comparison."""
    if isinstance(out, np.ndarray):
        return [out]
    if isinstance(out, (list, tuple)):
        return [a for item in out for a in _flatten(item)]
    return [out]


def _equal(a, b):
    la, lb = _flatten(a), _flatten(b)
    return len(la) == len(lb) and all(
        (np.array_equal(x, y) and np.asarray(x).dtype == np.asarray(y).dtype) if isinstance(x, np.ndarray)
        else x == y for x, y in zip(la, lb))


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_same_seed_same_data_different_seed_different_data(name):
    make = GENERATORS[name]
    assert _equal(make(gen(7)), make(gen(7))), f"{name} is not deterministic given the rng"
    assert not _equal(make(gen(7)), make(gen(8))), f"{name} ignores the rng"


# ---------------------------------------------------------------------------
# forecasting series
# ---------------------------------------------------------------------------
def test_noisy_periodic_series_shape_and_period():
    s = noisy_periodic_series(300, rng=gen(0))
    assert s.shape == (300,) and s.dtype == np.float64
    # without noise and with one integer period, the series repeats exactly after P steps
    clean = noisy_periodic_series(100, rng=gen(1), periods=(10.0,), noise=0.0)
    np.testing.assert_allclose(clean[10:], clean[:-10], atol=1e-12)
    assert np.isclose(clean.max(), 1.0, atol=0.05)           # amplitude 1 by default
    # the noise term: its sample std is close to the requested one
    noisy = noisy_periodic_series(20000, rng=gen(1), periods=(10.0,), noise=0.5)
    clean_long = noisy_periodic_series(20000, rng=gen(1), periods=(10.0,), noise=0.0)
    assert abs(np.std(noisy - clean_long) - 0.5) < 0.02


def test_price_like_series_is_positive_and_has_the_drift():
    p = price_like_series(500, rng=gen(0), drift=0.001, volatility=0.02, start=50.0)
    assert p.shape == (500,) and p.dtype == np.float64 and np.all(p > 0) and p[0] == 50.0
    # without volatility it is pure exponential growth at the drift rate
    q = price_like_series(20, rng=gen(0), drift=0.01, volatility=0.0, start=2.0)
    np.testing.assert_allclose(q, 2.0 * np.exp(0.01 * np.arange(20)))
    # the log-returns have the requested mean and standard deviation
    r = np.diff(np.log(price_like_series(40000, rng=gen(2), drift=0.002, volatility=0.03)))
    assert abs(r.mean() - 0.002) < 0.001 and abs(r.std() - 0.03) < 0.001


@pytest.mark.parametrize("window, horizon", [(1, 1), (4, 1), (5, 3)])
def test_windows_targets_follow_the_inputs(window, horizon):
    s = np.arange(12, dtype=np.float64) ** 2                      # every value tells its position
    x, y = make_windows(s, window, horizon)
    N = 12 - window - horizon + 1
    assert x.shape == (N, window, 1) and y.shape == (N, horizon)
    for i in range(N):
        assert list(x[i, :, 0]) == [float(k * k) for k in range(i, i + window)]
        assert list(y[i]) == [float(k * k) for k in range(i + window, i + window + horizon)]


def test_windows_keep_float32():
    x, y = make_windows(np.zeros(10, np.float32), 3)
    assert x.dtype == y.dtype == np.float32


def test_chronological_split_leaks_nothing():
    """Positions as values: every training value comes before every test target."""
    s = np.arange(100, dtype=np.float64)
    train, test = train_test_split_series(s, 0.2, context=8)
    assert list(train) == list(range(80)) and list(test) == list(range(72, 100))
    x_tr, y_tr = make_windows(train, 8)
    x_te, y_te = make_windows(test, 8)
    assert list(y_te[:, 0]) == list(range(80, 100))               # one example per test value
    assert max(x_tr.max(), y_tr.max()) < y_te.min()              # no test target seen in training
    assert np.all(x_te.max(axis=(1, 2)) < y_te[:, 0])            # test inputs are the past only
    train0, test0 = train_test_split_series(s, 0.25)
    assert np.array_equal(np.concatenate([train0, test0]), s) and len(test0) == 25


def test_rising_or_falling_labels_follow_the_slope_and_only_the_order_differs():
    x, y = rising_or_falling(400, 12, rng=gen(0), noise=0.0, size_range=(0.5, 1.5))
    assert x.shape == (400, 12, 1) and x.dtype == np.float64
    assert y.shape == (400,) and y.dtype == np.int64 and set(np.unique(y)) == {0, 1}
    steps = np.diff(x[:, :, 0], axis=1)
    # without noise every sequence is a straight line: constant step, its sign is the label
    np.testing.assert_allclose(steps, steps[:, :1] * np.ones_like(steps), atol=1e-12)
    assert np.array_equal(steps[:, 0] > 0, y == 1)
    # slope sizes within the range: the line rises or falls by 2 * size over the sequence
    assert np.all((np.abs(x[:, -1, 0] - x[:, 0, 0]) >= 2 * 0.5 - 1e-12) & (np.abs(x[:, -1, 0] - x[:, 0, 0]) <= 3.0))
    # a falling line is a rising one reversed: the mean of the values does not tell the classes apart
    noisy, labels = rising_or_falling(4000, 12, rng=gen(1))
    assert abs(noisy[labels == 1].mean() - noisy[labels == 0].mean()) < 0.05


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(n_sequences=0, seq_len=5), ValueError, "n_sequences"),
    (dict(n_sequences=3, seq_len=1), ValueError, "seq_len"),
    (dict(n_sequences=3, seq_len=5, noise=-0.1), ValueError, "noise"),
    (dict(n_sequences=3, seq_len=5, size_range=(1.0, 0.5)), ValueError, "size_range"),
    (dict(n_sequences=3, seq_len=5, size_range=(1.0,)), ValueError, "size_range"),
    (dict(n_sequences=3, seq_len=5, size_range=0.5), TypeError, "size_range"),
])
def test_rising_or_falling_refuses_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        rising_or_falling(rng=gen(0), **kwargs)
    with pytest.raises(TypeError, match="rng"):
        rising_or_falling(3, 5, rng=0)


# ---------------------------------------------------------------------------
# memory tasks
# ---------------------------------------------------------------------------
def test_adding_problem_target_is_the_sum_of_the_marked_values():
    x, y = adding_problem(200, 30, rng=gen(0))
    assert x.shape == (200, 30, 2) and y.shape == (200, 1) and x.dtype == y.dtype == np.float64
    values, markers = x[..., 0], x[..., 1]
    assert np.all((values >= 0) & (values < 1))
    assert set(np.unique(markers)) == {0.0, 1.0}
    assert np.all(markers[:, :15].sum(axis=1) == 1), "one marker in the first half"
    assert np.all(markers[:, 15:].sum(axis=1) == 1), "one marker in the second half"
    expected = [sum(v for v, m in zip(values[i], markers[i]) if m == 1) for i in range(200)]
    np.testing.assert_allclose(y[:, 0], expected)
    first = np.argmax(markers, axis=1)
    assert len(set(first)) > 10, "marker positions should vary"


def test_adding_problem_odd_length_halves():
    x, _ = adding_problem(300, 5, rng=gen(1))
    assert np.all(x[:, :2, 1].sum(axis=1) == 1) and np.all(x[:, 2:, 1].sum(axis=1) == 1)


def test_copy_task_targets_after_the_delay_are_the_inputs():
    S, K, D = 6, 5, 4
    x, targets, mask = copy_task(50, S, K, D, rng=gen(0))
    T = 2 * S + D
    assert x.shape == (50, T, K + 2) and x.dtype == np.float64
    assert targets.shape == mask.shape == (50, T) and targets.dtype == np.int64 and mask.dtype == bool
    assert np.all(x.sum(axis=-1) == 1), "one-hot inputs"
    symbols_in = x.argmax(axis=-1)
    data = symbols_in[:, :S]
    assert np.all((data >= 1) & (data <= K)), "data symbols are 1..K"
    assert np.array_equal(targets[:, S + D:], data), "the answer repeats the data, delay steps later"
    assert np.all(targets[:, :S + D] == 0), "blank before the answer"
    assert np.all(symbols_in[:, S + D - 1] == K + 1), "go marker on the last delay step"
    assert np.all(symbols_in[:, S:S + D - 1] == 0) and np.all(symbols_in[:, S + D:] == 0)
    assert np.array_equal(mask, np.broadcast_to(np.arange(T) >= S + D, (50, T)))


# ---------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------
def test_tiny_corpus_is_small_plain_text():
    text = tiny_corpus()
    assert 3000 <= len(text.encode("utf-8")) <= 6000
    assert text.isascii() and "\t" not in text and text.count("\n") > 20


def test_char_vocab_round_trip_and_unknown_characters():
    text = tiny_corpus()
    v = CharVocab(text)
    ids = v.encode(text)
    assert ids.dtype == np.int64 and ids.shape == (len(text),) and len(v) == len(set(text))
    assert v.decode(ids) == text
    assert v.decode(list(ids[:10])) == text[:10]
    assert v.id_to_char == sorted(v.id_to_char), "ids in sorted character order"
    with pytest.raises(ValueError, match=r"character '\$' at position 3 is not in the vocabulary"):
        v.encode("the$")
    with pytest.raises(ValueError, match=r"id 42 is outside the vocabulary \[0, 42\)"):
        v.decode([0, 42])
    with pytest.raises(ValueError, match="text is empty"):
        CharVocab("")


def test_char_lm_batches_targets_are_the_next_characters():
    text = tiny_corpus()
    ids = CharVocab(text).encode(text)
    T, B = 25, 16
    x, y = char_lm_batches(ids, T, B, rng=gen(0))
    assert x.shape == y.shape and x.shape[1] == T and x.dtype == y.dtype == np.int64
    assert x.shape[0] % B == 0 and x.shape[0] >= B
    assert np.array_equal(y[:, :-1], x[:, 1:])
    # every row is a real piece of the text, its target shifted by one character
    windows = np.lib.stride_tricks.sliding_window_view(ids, T + 1)
    for row in range(x.shape[0]):
        chunk = np.concatenate([x[row], y[row, -1:]])
        assert np.any(np.all(windows == chunk, axis=1)), f"row {row} is not in the text"
    # chunks do not overlap and are shuffled
    starts = [np.flatnonzero(np.all(windows == np.concatenate([x[r], y[r, -1:]]), axis=1))[0]
              for r in range(x.shape[0])]
    assert len(set(np.array(starts) % T)) == 1 and list(starts) != sorted(starts)


def test_one_hot():
    out = one_hot(np.array([[0, 2], [1, 1]]), 3)
    assert out.shape == (2, 2, 3) and out.dtype == np.float64
    assert np.array_equal(out.argmax(-1), [[0, 2], [1, 1]]) and np.all(out.sum(-1) == 1)
    assert one_hot([1], 2, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match=r"ids must lie in \[0, depth=3\), found 3"):
        one_hot([0, 3], 3)


def _rule_label(tokens):
    """Independent statement of the template rule: the clause after 'but' decides;
    its opinion word's polarity, flipped if the clause contains 'not'."""
    clause = tokens[tokens.index("but") + 1:] if "but" in tokens else tokens
    pos = [t for t in clause if t in POSITIVE_WORDS]
    neg = [t for t in clause if t in NEGATIVE_WORDS]
    assert len(pos) + len(neg) == 1, f"one opinion word per clause: {tokens}"
    return int(bool(pos) != ("not" in clause))


def test_sentiment_labels_follow_the_rule_and_need_word_order():
    sents, labels = sentiment_sentences(3000, rng=gen(0))
    assert len(sents) == 3000 and labels.shape == (3000,) and labels.dtype == np.int64
    assert all(isinstance(t, str) for s in sents for t in s)
    assert [_rule_label(s) for s in sents] == list(labels)
    negated = np.array(["not" in s for s in sents])
    assert 0.3 < negated.mean() < 0.7, "negation is common"
    # negation flips: "not <positive word>" occurs with label 0 and "not <negative word>" with label 1
    single = [(s, lab) for s, lab in zip(sents, labels) if "but" not in s]
    assert any("not" in s and set(s) & POSITIVE_WORDS and lab == 0 for s, lab in single)
    assert any("not" in s and set(s) & NEGATIVE_WORDS and lab == 1 for s, lab in single)
    assert 0.4 < labels.mean() < 0.6
    # a bag of words is not enough: some sentences with the same words have opposite labels
    bags = {}
    for s, lab in zip(sents, labels):
        bags.setdefault(tuple(sorted(s)), set()).add(int(lab))
    assert any(len(v) == 2 for v in bags.values())


def test_review_labels_follow_the_last_clause():
    """The last clause decides; the clauses before it are independent of the label."""
    sents, labels = review_sentences(3000, rng=gen(2))
    assert len(sents) == 3000 and labels.shape == (3000,) and labels.dtype == np.int64
    clauses = []
    for s in sents:
        text = " ".join(s)
        for link in (" and then ", " and later ", " and after that ", " and on sunday ", " and the next day "):
            text = text.replace(link, " and ")
        parts = [p.split() for p in text.split(" and ")]
        assert 3 <= len(parts) <= 5, text
        clauses.append([_rule_label(p) for p in parts])
    assert [c[-1] for c in clauses] == list(labels)
    first = np.array([c[0] for c in clauses])
    assert abs(np.mean(first == labels) - 0.5) < 0.05, "the first clause says nothing about the label"
    assert 0.4 < labels.mean() < 0.6


def test_word_vocab_and_padding():
    sents, _ = sentiment_sentences(50, rng=gen(1))
    v = WordVocab(sents)
    assert v.pad_id == 0 and v.id_to_token[:2] == ["<pad>", "<unk>"]
    assert v.decode(v.encode(sents[0])) == sents[0]
    assert v.encode(["zebra"]) == [v.unk_id]
    ids, mask = v.encode_batch(sents[:4])
    lengths = [len(s) for s in sents[:4]]
    assert ids.shape == mask.shape == (4, max(lengths)) and ids.dtype == np.int64 and mask.dtype == bool
    assert list(mask.sum(axis=1)) == lengths and np.all(ids[~mask] == 0)
    strict = WordVocab(sents, specials=("<pad>",))
    with pytest.raises(ValueError, match="token 'zebra' at position 1 is not in the vocabulary"):
        strict.encode(["the", "zebra"])


def test_pad_sequences():
    ids, mask = pad_sequences([[5, 6, 7], [8], np.array([1, 2])])
    assert np.array_equal(ids, [[5, 6, 7], [8, 0, 0], [1, 2, 0]])
    assert np.array_equal(mask, [[1, 1, 1], [1, 0, 0], [1, 1, 0]])
    ids, mask = pad_sequences([[1]], length=4)
    assert ids.shape == (1, 4) and mask.sum() == 1
    with pytest.raises(ValueError, match=r"sequences\[0\] has 3 ids, more than length=2"):
        pad_sequences([[1, 2, 3]], length=2)
    with pytest.raises(ValueError, match=r"sequences\[1\] must not be empty"):
        pad_sequences([[1], []])
    with pytest.raises(TypeError, match=r"sequences\[0\] must be a sequence of integer ids, got a string"):
        pad_sequences(["abc"])
    with pytest.raises(TypeError, match=r"sequences\[0\] must hold integers \(ids or labels\), got dtype float64"):
        pad_sequences([[1.5]])


# ---------------------------------------------------------------------------
# translation
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("value, words", [
    (0, "zero"), (7, "seven"), (13, "thirteen"), (40, "forty"), (42, "forty two"),
    (100, "one hundred"), (105, "one hundred and five"), (312, "three hundred and twelve"),
    (999, "nine hundred and ninety nine"), (2005, "two thousand and five"),
    (12345, "twelve thousand three hundred and forty five"),
])
def test_number_words_by_hand(value, words):
    assert number_to_words(value) == words


_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                     "thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}


def _parse(words):
    """A small independent parser of number words (up to 999)."""
    total = 0
    for w in words:
        if w == "hundred":
            total *= 100
        elif w != "and":
            total += _UNITS.get(w, 0) + _TENS.get(w, 0)
    return total


def test_translation_pairs_match_and_vocabularies():
    src, tgt = number_translation_pairs(300, rng=gen(0))
    assert len(src) == len(tgt) == 300
    for s, t in zip(src, tgt):
        assert all(len(d) == 1 and d.isdigit() for d in t) and (t == ["0"] or t[0] != "0")
        assert _parse(s) == int("".join(t)), (s, t)
    assert len({"".join(t) for t in tgt}) > 200, "values spread over 0..999"
    sv, tv = number_vocabularies()
    for v in (sv, tv):
        assert v.id_to_token[:3] == ["<pad>", "<bos>", "<eos>"] and v.unk_id is None
    assert len(tv) == 13 and len(sv) == 33 and "thousand" not in sv
    assert "thousand" in number_vocabularies(5000)[0]
    s_ids, s_mask, t_in, t_out, t_mask = encode_translation_pairs(src, tgt, sv, tv)
    U = max(len(t) for t in tgt)
    assert s_ids.shape == s_mask.shape == (300, max(len(s) for s in src))
    assert t_in.shape == t_out.shape == t_mask.shape == (300, U + 1)
    assert np.all(t_in[:, 0] == 1), "decoder input starts with <bos>"
    for i in range(5):
        n = len(tgt[i])
        assert tv.decode(t_out[i, :n]) == tgt[i] and t_out[i, n] == 2 and t_mask[i].sum() == n + 1
        assert np.array_equal(t_in[i, 1:n + 1], t_out[i, :n]), "teacher forcing: inputs shifted by one"
        assert sv.decode(s_ids[i][s_mask[i]]) == src[i]


# ---------------------------------------------------------------------------
# toy stand-ins
# ---------------------------------------------------------------------------
def test_speech_collapsed_labels_are_frame_labels_without_repeats():
    frames, labels, mask, seqs = speech_toy(40, rng=gen(0), n_phonemes=5, n_freq=12, duration=(2, 6))
    N, T, F = frames.shape
    assert (N, F) == (40, 12) and labels.shape == mask.shape == (N, T)
    assert frames.dtype == np.float64 and labels.dtype == np.int64 and mask.dtype == bool
    assert np.all(labels[~mask] == -1) and np.all(frames[~mask] == 0)
    assert np.all((labels[mask] >= 0) & (labels[mask] < 5))
    for i in range(N):
        lab = labels[i, mask[i]]
        collapsed = [int(lab[0])] + [int(b) for a, b in zip(lab[:-1], lab[1:]) if b != a]
        assert list(seqs[i]) == collapsed and seqs[i].dtype == np.int64
        assert 2 <= len(seqs[i]) <= 6
        runs = np.diff(np.flatnonzero(np.diff(np.concatenate([[-2], lab, [-2]]))))
        assert runs.min() >= 2 and runs.max() <= 6, "durations within range"
    assert mask.all(axis=1).any() and not mask.all(), "lengths vary, the longest fills T"
    # the frames carry the phoneme: noise-free frames of the same phoneme peak at the same bin
    clean, lab0, m0, _ = speech_toy(20, rng=gen(1), noise=0.0)
    peaks = {}
    for f, lab in zip(clean[m0], lab0[m0]):
        peaks.setdefault(int(lab), set()).add(int(np.argmax(f[:8])))
    assert all(len(p) <= 2 for p in peaks.values()), peaks


def test_handwriting_strokes():
    strokes, labels, mask = handwriting_toy(60, rng=gen(0))
    N, T, _ = strokes.shape
    assert strokes.shape == (60, T, 3) and labels.shape == (60,) and mask.shape == (60, T)
    assert strokes.dtype == np.float64 and labels.dtype == np.int64 and mask.dtype == bool
    assert set(labels) <= set(range(10)) and len(set(labels)) >= 8
    assert np.all(strokes[~mask] == 0) and np.all(strokes[:, 0] == 0)
    for i in range(N):
        s = strokes[i, mask[i]]
        assert set(np.unique(s[:, 2])) <= {0.0, 1.0} and s[-1, 2] == 1, "the pen lifts at the end"
        assert s[:, 2].sum() == (2 if labels[i] in (4, 5) else 1), "strokes per digit"
        points = np.cumsum(s[:, :2], axis=0)
        width, height = np.ptp(points[:, 0]), np.ptp(points[:, 1])
        assert 0.6 < height < 1.5
        if labels[i] == 1:
            assert width < 0.6 * height, "a 1 is narrow"
        if labels[i] == 0:
            assert np.linalg.norm(points[-1] - points[0]) < 0.2, "a 0 closes on itself"
    only = handwriting_toy(10, rng=gen(1), digits=(3, 7))[1]
    assert set(only) <= {3, 7}


def _shape_of(drawn):
    """Classify a drawn pixel mask from its row widths, top to bottom: a square has equal rows,
    a triangle (apex up) rows that only widen, a circle rows that widen then narrow."""
    widths = drawn.sum(axis=1)
    widths = widths[widths > 0]
    if np.all(widths == widths[0]):
        return "square"
    return "triangle" if np.all(np.diff(widths) >= 0) else "circle"


def test_captions_describe_the_images():
    images, captions = captioning_toy(200, rng=gen(0), noise=0.0)
    assert images.shape == (200, 3, 24, 24) and images.dtype == np.float64
    assert images.min() >= 0 and images.max() <= 1
    names = list(CAPTION_COLOURS)
    rgb = np.array([CAPTION_COLOURS[c] for c in names])
    n_two = 0
    for img, cap in zip(images, captions):
        two = len(cap) == 8
        n_two += two
        assert len(cap) in (3, 8) and cap[0] == "a" and (not two or cap[3:6] == ["left", "of", "a"])
        halves = [img[:, :, :12], img[:, :, 12:]] if two else [img]
        for k, part in enumerate(halves):
            colour, shape = cap[1 + 5 * k], cap[2 + 5 * k]
            drawn = np.abs(part - 0.1).sum(axis=0) > 1e-9
            mean_rgb = part[:, drawn].mean(axis=1)
            assert names[np.argmin(np.linalg.norm(rgb - mean_rgb, axis=1))] == colour
            assert _shape_of(drawn) == shape, cap
    assert 60 < n_two < 140
    small, _ = captioning_toy(2, rng=gen(0), size=20)
    assert small.shape == (2, 3, 20, 20)
    vocab = caption_vocabulary()
    assert vocab.id_to_token[:3] == ["<pad>", "<bos>", "<eos>"]
    assert all(w in vocab for c in captions for w in c)


def test_image_features_fixed_shape_and_meaning():
    images, _ = captioning_toy(5, rng=gen(0))
    f1, f2 = image_features(images), image_features(images.copy())
    assert f1.shape == (5, 3 * 6 * 4) and f1.dtype == np.float64
    assert np.array_equal(f1, f2), "no randomness"
    assert len({tuple(np.round(r, 12)) for r in f1}) == 5, "different images, different features"
    assert image_features(images, grid=4).shape == (5, 3 * 6 * 16)
    # a flat image: the mean filter gives its value, every edge filter gives 0
    flat = np.full((1, 3, 8, 8), 0.5)
    per = image_features(flat).reshape(3, 6, 2, 2)
    np.testing.assert_allclose(per[:, 0], 0.5)
    np.testing.assert_allclose(per[:, 1:], 0.0, atol=1e-15)
    # a vertical line excites the vertical-edge filter, not the horizontal one
    line = np.zeros((1, 1, 8, 8))
    line[0, 0, :, 3] = 1.0
    per = image_features(line).reshape(6, 2, 2)
    assert per[1].sum() > 0 and np.allclose(per[2], 0)
    assert image_features(images.astype(np.float32)).dtype == np.float32


def test_music_melodies_stay_on_the_scale_and_end_phrases_on_c():
    p = music_toy(50, 33, rng=gen(0), phrase_len=8)
    assert p.shape == (50, 33) and p.dtype == np.int64
    assert np.all(np.isin(p, MUSIC_SCALE)) and np.all(p[:, 0] == 72)
    assert np.all(np.isin(p[:, 7::8], [60, 72, 84])), "cadence on a C at every phrase end"
    degrees = np.searchsorted(MUSIC_SCALE, p)
    jumps = np.abs(np.diff(degrees, axis=1))
    assert jumps.max() <= 4 and (jumps <= 1).mean() > 0.5, "mostly stepwise"
    assert len(np.unique(p)) >= 10


def test_bed_exit_alarm_precedes_the_exit_by_warning_steps():
    W, T = 6, 50
    x, alarm, exit_step = bed_exit_toy(100, T, rng=gen(0), warning_steps=W)
    assert x.shape == (100, T, 3) and alarm.shape == (100, T) and exit_step.shape == (100,)
    assert x.dtype == np.float64 and alarm.dtype == exit_step.dtype == np.int64
    leaves = exit_step >= 0
    assert 25 < leaves.sum() < 75
    for i in range(100):
        if leaves[i]:
            e = exit_step[i]
            assert np.flatnonzero(alarm[i])[0] == e - W and np.all(alarm[i, e - W:] == 1)
            assert np.all(alarm[i, :e - W] == 0)
            assert x[i, -1, 0] > 0.8 and abs(x[i, -1, 2]) < 0.2, "sitting: gravity along x at the end"
            assert e + 6 <= T
        else:
            assert np.all(alarm[i] == 0) and x[i, -1, 0] < 0.2, "stays lying"
        assert x[i, 0, 2] > 0.8, "every patient starts lying on the back"
    stayers = x[~leaves]
    assert np.any(np.abs(stayers[:, -1, 1]) > 0.8), "some stayers turn onto their side"


# ---------------------------------------------------------------------------
# bad arguments
# ---------------------------------------------------------------------------
rng0 = np.random.default_rng(0)
BAD = [
    (lambda: noisy_periodic_series(0, rng=rng0), ValueError, "length must be a positive int, got 0"),
    (lambda: noisy_periodic_series(10, rng=0), TypeError, "rng must be a numpy.random.Generator"),
    (lambda: noisy_periodic_series(10, rng=rng0, periods=(5.0, 0.0)), ValueError,
     r"periods\[1\] must be a finite positive number, got 0.0"),
    (lambda: noisy_periodic_series(10, rng=rng0, periods=()), ValueError, "periods must not be empty"),
    (lambda: noisy_periodic_series(10, rng=rng0, amplitudes=(1.0,)), ValueError,
     r"amplitudes must have one entry per period \(3\), got 1"),
    (lambda: noisy_periodic_series(10, rng=rng0, noise=-1.0), ValueError, "noise must be a finite non-negative"),
    (lambda: price_like_series(10, rng=rng0, volatility=-0.1), ValueError,
     r"volatility must be a finite number in \[0, 1\], got -0.1"),
    (lambda: price_like_series(10, rng=rng0, start=0.0), ValueError, "start must be a finite positive number"),
    (lambda: make_windows(np.zeros(5), 5), ValueError,
     "series of length 5 is too short for window=5 and horizon=1: it needs at least window \\+ horizon = 6"),
    (lambda: make_windows(np.zeros((5, 1)), 2), ValueError, "series must be a 1-D array"),
    (lambda: make_windows(np.arange(10), 2), TypeError, "series must hold floating-point numbers"),
    (lambda: make_windows(np.zeros(10), 2, horizon=0), ValueError, "horizon must be a positive int, got 0"),
    (lambda: train_test_split_series(np.zeros(10), 1.0), ValueError,
     r"test_fraction must be a finite number in \(0, 1\), got 1.0"),
    (lambda: train_test_split_series(np.zeros(10), 0.01), ValueError, "leaves 0 test and 10 training values"),
    (lambda: train_test_split_series(np.zeros(10), 0.5, context=6), ValueError,
     r"context=6 is longer than the training part \(5 values\)"),
    (lambda: adding_problem(4, 1, rng=rng0), ValueError, r"seq_len must be an int >= 2, got 1"),
    (lambda: adding_problem(4.0, 10, rng=rng0), TypeError, "n must be a positive int, got 4.0"),
    (lambda: copy_task(4, 5, 3, 0, rng=rng0), ValueError, "delay must be an int >= 1, got 0"),
    (lambda: copy_task(4, 5, 0, 2, rng=rng0), ValueError, "n_symbols must be a positive int, got 0"),
    (lambda: char_lm_batches(np.arange(20), 5, 4, rng=rng0), ValueError,
     "text_ids has 20 ids; one batch of batch_size=4 chunks of seq_len=5 needs at least 21"),
    (lambda: char_lm_batches(np.zeros(50), 5, 2, rng=rng0), TypeError,
     r"text_ids must hold integers \(ids or labels\), got dtype float64"),
    (lambda: CharVocab(["a"]), TypeError, "text must be a str, got list"),
    (lambda: WordVocab([["a"]], specials=("<unk>", "<pad>")), ValueError, "specials must start with '<pad>'"),
    (lambda: WordVocab(["a b"]), TypeError, r"token_lists\[0\] must be a list of str tokens, got str"),
    (lambda: sentiment_sentences(5, rng=rng0, p_negation=1.5), ValueError,
     r"p_negation must be a finite number in \[0, 1\], got 1.5"),
    (lambda: pad_sequences([]), ValueError, r"sequences must be a non-empty list of id sequences, got list \(empty\)"),
    (lambda: number_to_words(-1), ValueError, r"value must be an int in \[0, 999999\], got -1"),
    (lambda: number_to_words(3.0), TypeError, r"value must be an int, got 3.0"),
    (lambda: number_translation_pairs(5, rng=rng0, max_value=10 ** 6), ValueError,
     r"max_value must be an int in \[1, 999999\], got 1000000"),
    (lambda: encode_translation_pairs([["one"]], [], *number_vocabularies()), ValueError,
     "sources and targets must have the same length, got 1 and 0"),
    (lambda: encode_translation_pairs([["one"]], [["1"]], number_vocabularies()[0], WordVocab([["1"]])),
     ValueError, "target_vocab must contain '<bos>'"),
    (lambda: speech_toy(3, rng=rng0, n_phonemes=1), ValueError, "n_phonemes must be an int >= 2, got 1"),
    (lambda: speech_toy(3, rng=rng0, duration=(4, 2)), ValueError,
     r"duration must be \(low, high\) with low <= high, got \(4, 2\)"),
    (lambda: speech_toy(3, rng=rng0, phones=(0, 2)), ValueError, r"phones\[0\] must be an int >= 1, got 0"),
    (lambda: handwriting_toy(3, rng=rng0, digits=(1, 10)), ValueError, r"digits\[1\] must be an int in \[0, 9\]"),
    (lambda: handwriting_toy(3, rng=rng0, digits=(1, 1)), ValueError, r"digits must be distinct, got \[1, 1\]"),
    (lambda: captioning_toy(3, rng=rng0, size=16), ValueError, "size must be an int >= 20, got 16"),
    (lambda: image_features(np.zeros((2, 3, 15, 15))), ValueError,
     r"height and width divisible by grid=2, got shape \(2, 3, 15, 15\)"),
    (lambda: image_features(np.zeros((3, 16, 16))), ValueError, "images must be a 4-D array"),
    (lambda: image_features(np.full((1, 1, 4, 4), np.nan)), ValueError, "images contains 16 NaN"),
    (lambda: music_toy(3, 10, rng=rng0, phrase_len=1), ValueError, "phrase_len must be an int >= 2, got 1"),
    (lambda: bed_exit_toy(3, 20, rng=rng0, warning_steps=10), ValueError,
     "seq_len must be at least 2 \\* warning_steps \\+ 8 = 28"),
    (lambda: bed_exit_toy(3, 40, rng=rng0, p_exit=-0.1), ValueError,
     r"p_exit must be a finite number in \[0, 1\], got -0.1"),
]


@pytest.mark.parametrize("call, exc, message", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_arguments_raise_clear_errors(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_sine_next_value_still_importable_from_the_package():
    """The first dataset of the course keeps its place and behaviour."""
    x, y = sine_next_value(2, 6, rng=gen(0))
    assert x.shape == y.shape == (2, 6, 1)
    np.testing.assert_array_equal(y[:, :-1], x[:, 1:])
