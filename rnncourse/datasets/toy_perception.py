r"""Toy stand-ins for the applications: speech, handwriting, image captions, music, bed exit.

Taught on the application pages of the book (``book/applications/speech``,
``book/applications/handwriting``, ``book/applications/captioning``, ``book/applications/music``,
``book/applications/monitoring``).

Each generator keeps the *shape* of the real problem (what is a sequence, what
is labelled, where lengths vary) and drops its difficulty, so that a numpy RNN
learns it in seconds. The docstrings say what real data each one replaces and
what it leaves out; none of them says anything about how well a method works on
the real data.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import as_float_array, check_positive_float, check_positive_int, check_rng
from ._validate import check_int, check_int_range, check_real, check_sequence
from .text import WordVocab

# ---------------------------------------------------------------------------
# speech
# ---------------------------------------------------------------------------


def _phoneme_centres(n_phonemes, n_freq):
    """Two 'formant' bins per phoneme, fixed (no randomness): shape (P, 2); the low ones all differ."""
    low = np.linspace(0.5, n_freq / 2 - 0.5, n_phonemes)
    return np.stack([low, n_freq / 2 + low[::-1]], axis=1)


def speech_toy(n, *, rng, n_phonemes=5, n_freq=16, phones=(2, 6), duration=(3, 8), noise=0.3):
    r"""Spectrogram-like frames of a few synthetic "phonemes", with a label per frame.

    An utterance is a sequence of ``K`` phonemes (``K`` drawn from ``phones``,
    two neighbours never equal). Phoneme ``p`` lasts ``d`` frames (``d`` drawn
    from ``duration``); each of its frames is a spectrum over ``F`` frequency bins
    with two bumps ("formants") at bins fixed for ``p``, shifted by up to half a
    bin per utterance (a different "speaker"), scaled by an envelope that rises
    and falls over the phoneme, plus Gaussian noise of standard deviation
    ``noise``:

    .. math::

        f_{t,j} = e_t \sum_{k=1,2} \exp\!\left(-\tfrac{(j - c_{p,k} - s)^2}{2}\right) + \epsilon_{t,j}.

    Utterances have different lengths; they are padded at the end to the
    longest one. The frame labels are the phoneme of every frame; the label
    sequence is the frame labels with repeats removed (what a CTC model outputs).

    It stands in for log-mel spectrogram frames of spoken utterances with a
    phoneme alignment (such as TIMIT). Real speech has coarticulation, silence,
    many speakers and about 40 phonemes that overlap heavily; here the phonemes
    are separable frame by frame once the noise is averaged out.

    Parameters
    ----------
    n : int
        N, the number of utterances.
    rng : numpy.random.Generator
    n_phonemes : int
        P >= 2, the number of phoneme symbols ``0 .. P-1``.
    n_freq : int
        F >= 4, the number of frequency bins.
    phones : (int, int)
        Inclusive range of the number of phonemes per utterance (low >= 1).
    duration : (int, int)
        Inclusive range of the number of frames per phoneme (low >= 1).
    noise : float
        Standard deviation of the noise, >= 0.

    Returns
    -------
    frames : ndarray, shape (N, T, F), float64
        T is the longest utterance; padded frames are 0.
    frame_labels : ndarray, shape (N, T), int64
        The phoneme of each frame; -1 on padding.
    mask : ndarray, shape (N, T), bool
        True on real frames.
    label_seqs : list of N ndarrays of shape (K_i,), int64
        The phoneme sequence of each utterance (frame labels with repeats removed).

    Book page: ``book/applications/speech``.
    """
    N = check_positive_int("n", n)
    check_rng("rng", rng)
    P = check_int("n_phonemes", n_phonemes, 2)
    F = check_int("n_freq", n_freq, 4)
    k_lo, k_hi = check_int_range("phones", phones, 1)
    d_lo, d_hi = check_int_range("duration", duration, 1)
    noise = check_positive_float("noise", noise, allow_zero=True)
    centres = _phoneme_centres(P, F)
    bins = np.arange(F, dtype=np.float64)
    utterances, label_seqs = [], []
    for _ in range(N):
        K = int(rng.integers(k_lo, k_hi + 1))
        seq = [int(rng.integers(P))]
        for _ in range(K - 1):
            nxt = int(rng.integers(P - 1))                # any phoneme but the previous one
            seq.append(nxt + (nxt >= seq[-1]))
        shift = rng.uniform(-0.5, 0.5)
        frames, labels = [], []
        for p in seq:
            d = int(rng.integers(d_lo, d_hi + 1))
            envelope = 0.6 + 0.4 * np.sin(np.pi * (np.arange(d) + 0.5) / d)
            spectrum = np.exp(-0.5 * (bins[None, :] - centres[p][:, None] - shift) ** 2).sum(axis=0)
            frames.append(envelope[:, None] * spectrum[None, :])
            labels += [p] * d
        f = np.concatenate(frames)
        if noise:
            f = f + noise * rng.standard_normal(f.shape)
        utterances.append((f, np.array(labels, dtype=np.int64)))
        label_seqs.append(np.array(seq, dtype=np.int64))
    T = max(len(lab) for _, lab in utterances)
    out = np.zeros((N, T, F))
    frame_labels = np.full((N, T), -1, dtype=np.int64)
    mask = np.zeros((N, T), dtype=bool)
    for i, (f, lab) in enumerate(utterances):
        out[i, :len(lab)] = f
        frame_labels[i, :len(lab)] = lab
        mask[i, :len(lab)] = True
    return out, frame_labels, mask, label_seqs


# ---------------------------------------------------------------------------
# handwriting
# ---------------------------------------------------------------------------

#: Pen-stroke templates of the ten digits in a unit box (x right, y up), as a list of
#: strokes per digit, each stroke a polyline of (x, y) points drawn without lifting the pen.
DIGIT_TEMPLATES = {
    0: [[(0.5 + 0.35 * np.sin(a), 0.5 + 0.5 * np.cos(a)) for a in np.linspace(0, 2 * np.pi, 13)]],
    1: [[(0.35, 0.8), (0.55, 1.0), (0.55, 0.0)]],
    2: [[(0.15, 0.8), (0.3, 0.97), (0.6, 1.0), (0.8, 0.8), (0.75, 0.6), (0.15, 0.0), (0.85, 0.0)]],
    3: [[(0.15, 0.9), (0.5, 1.0), (0.8, 0.85), (0.75, 0.6), (0.45, 0.5), (0.8, 0.4), (0.85, 0.15),
         (0.5, 0.0), (0.15, 0.1)]],
    4: [[(0.6, 1.0), (0.1, 0.35), (0.85, 0.35)], [(0.65, 0.65), (0.65, 0.0)]],
    5: [[(0.25, 1.0), (0.2, 0.55), (0.6, 0.6), (0.85, 0.35), (0.7, 0.05), (0.2, 0.05)],
        [(0.25, 1.0), (0.8, 1.0)]],
    6: [[(0.75, 0.95), (0.4, 0.8), (0.2, 0.4), (0.3, 0.05), (0.65, 0.05), (0.8, 0.3), (0.6, 0.5),
         (0.25, 0.4)]],
    7: [[(0.15, 1.0), (0.85, 1.0), (0.4, 0.0)]],
    8: [[(0.5, 0.5), (0.2, 0.75), (0.5, 1.0), (0.8, 0.75), (0.5, 0.5), (0.15, 0.25), (0.5, 0.0),
         (0.85, 0.25), (0.5, 0.5)]],
    9: [[(0.8, 0.7), (0.5, 0.5), (0.2, 0.7), (0.5, 1.0), (0.8, 0.75), (0.8, 0.0)]],
}


def _resample_stroke(points, step):
    """Points every ``step`` along a polyline (its two ends included): shape (M, 2)."""
    pts = np.asarray(points, dtype=np.float64)
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    m = max(2, int(round(arc[-1] / step)) + 1)
    s = np.linspace(0.0, arc[-1], m)
    return np.stack([np.interp(s, arc, pts[:, 0]), np.interp(s, arc, pts[:, 1])], axis=1)


def handwriting_toy(n, *, rng, digits=tuple(range(10)), jitter=0.02):
    r"""Online handwriting of digits: pen offsets (dx, dy, pen-up) -> which digit.

    Each example draws a digit from :data:`DIGIT_TEMPLATES`: its strokes are
    distorted by a random affine map (scale, slant, small rotation), resampled at
    a random pen speed (so lengths vary) and perturbed point by point with
    Gaussian noise of standard deviation ``jitter``. Row ``t`` is the offset from
    point ``t-1`` to point ``t`` and ``pen_up = 1`` on the last point of each
    stroke (the pen is lifted before the next row), the representation of
    Graves (2013). Row 0 is ``(0, 0, 0)``: the pen lands at the origin.
    Sequences are padded at the end with zeros.

    It stands in for pen trajectories recorded on a tablet (such as the UNIPEN or
    IAM-OnDB online handwriting sets). Real writers differ far more than one
    affine map, join letters and write words, not isolated digits.

    Parameters
    ----------
    n : int
        N, the number of examples.
    rng : numpy.random.Generator
    digits : sequence of int
        The digits to draw from (distinct, each in 0-9), uniformly.
    jitter : float
        Standard deviation of the per-point noise, >= 0 (the box is about 1 unit).

    Returns
    -------
    strokes : ndarray, shape (N, T, 3), float64
        ``(dx, dy, pen_up)`` per step; T is the longest example (about 12-40).
    labels : ndarray, shape (N,), int64
        The digit drawn.
    mask : ndarray, shape (N, T), bool
        True on real steps.

    Book page: ``book/applications/handwriting``.
    """
    N = check_positive_int("n", n)
    check_rng("rng", rng)
    digits = [check_int(f"digits[{i}]", d, 0, 9) for i, d in enumerate(check_sequence("digits", digits))]
    if len(set(digits)) != len(digits):
        raise ValueError(f"digits must be distinct, got {digits}")
    jitter = check_positive_float("jitter", jitter, allow_zero=True)
    labels = np.array([digits[i] for i in rng.integers(len(digits), size=N)], dtype=np.int64)
    examples = []
    for digit in labels:
        scale = rng.uniform(0.85, 1.15) * np.array([rng.uniform(0.85, 1.15), 1.0])
        slant, angle = rng.uniform(-0.25, 0.25), rng.uniform(-0.15, 0.15)
        c, s = np.cos(angle), np.sin(angle)
        A = np.array([[c, -s], [s, c]]) @ np.array([[1.0, slant], [0.0, 1.0]]) @ np.diag(scale)
        step = rng.uniform(0.07, 0.11)
        points, pen = [], []
        for stroke in DIGIT_TEMPLATES[int(digit)]:
            pts = _resample_stroke(stroke, step) @ A.T
            if jitter:
                pts = pts + jitter * rng.standard_normal(pts.shape)
            points.append(pts)
            pen += [0.0] * (len(pts) - 1) + [1.0]
        pts = np.concatenate(points)
        offsets = np.diff(pts, axis=0, prepend=pts[:1])
        examples.append(np.column_stack([offsets, pen]))
    T = max(len(e) for e in examples)
    strokes = np.zeros((N, T, 3))
    mask = np.zeros((N, T), dtype=bool)
    for i, e in enumerate(examples):
        strokes[i, :len(e)] = e
        mask[i, :len(e)] = True
    return strokes, labels, mask


# ---------------------------------------------------------------------------
# image captioning
# ---------------------------------------------------------------------------

#: RGB of the caption colours.
CAPTION_COLOURS = {"red": (0.9, 0.1, 0.1), "green": (0.1, 0.8, 0.2), "blue": (0.15, 0.3, 0.95),
                   "yellow": (0.9, 0.85, 0.1)}
#: The shapes drawn.
CAPTION_SHAPES = ("circle", "square", "triangle")
_BACKGROUND = 0.1


def _shape_mask(shape, cx, cy, r, size):
    """Boolean (size, size) mask of a shape centred at (cx, cy) (column, row) of radius r pixels."""
    y, x = np.mgrid[0:size, 0:size] + 0.5
    if shape == "circle":
        return (x - cx) ** 2 + (y - cy) ** 2 <= r ** 2
    if shape == "square":
        h = 0.85 * r
        return (np.abs(x - cx) <= h) & (np.abs(y - cy) <= h)
    top, bottom = cy - r, cy + 0.8 * r                   # triangle, apex up
    frac = (y - top) / (bottom - top)
    return (frac >= 0) & (frac <= 1) & (np.abs(x - cx) <= r * frac)


def captioning_toy(n, *, rng, size=24, p_two=0.5, noise=0.05):
    r"""Tiny colour images of one or two shapes, each with a caption that describes it.

    One shape anywhere: caption ``a <colour> <shape>``. Two shapes, one in each
    half of the image: caption ``a <colour> <shape> left of a <colour> <shape>``,
    naming the left one first. Colours are drawn from :data:`CAPTION_COLOURS`,
    shapes from :data:`CAPTION_SHAPES`; the background is dark grey; Gaussian
    noise of standard deviation ``noise`` is added and the result clipped to [0, 1].

    It stands in for photographs with human-written captions (such as MS COCO or
    Flickr8k). There, a pretrained CNN turns the photograph into a feature vector
    for the RNN decoder; here :func:`image_features` plays that part with fixed
    hand-made filters, and every caption is fully determined by the image.

    Parameters
    ----------
    n : int
        N, the number of images.
    rng : numpy.random.Generator
    size : int
        S, the side of the square image in pixels, >= 20 (smaller, a pixelated circle
        can look like a square).
    p_two : float
        Probability of two shapes, in [0, 1].
    noise : float
        Standard deviation of the pixel noise, >= 0.

    Returns
    -------
    images : ndarray, shape (N, 3, S, S), float64
        RGB channels first (PyTorch's layout), values in [0, 1].
    captions : list of N lists of str
        3 or 8 words, without ``<bos>``/``<eos>``.

    See Also
    --------
    caption_vocabulary : the word vocabulary (with ``<pad>``, ``<bos>``, ``<eos>``).
    image_features : the fixed feature extractor.

    Book page: ``book/applications/captioning``.
    """
    N = check_positive_int("n", n)
    check_rng("rng", rng)
    S = check_int("size", size, 20)
    p_two = check_real("p_two", p_two, 0.0, 1.0)
    noise = check_positive_float("noise", noise, allow_zero=True)
    colour_names = list(CAPTION_COLOURS)
    images = np.full((N, 3, S, S), _BACKGROUND)
    captions = []
    for i in range(N):
        two = rng.random() < p_two
        if two:
            r = rng.uniform(0.17, 0.2) * S
            cys = rng.uniform(r + 0.5, S - r - 0.5, size=2)
            cxs = [rng.uniform(r + 0.5, S / 2 - r), rng.uniform(S / 2 + r, S - r - 0.5)]
        else:
            r = rng.uniform(0.18, 0.28) * S
            cys = [rng.uniform(r + 0.5, S - r - 0.5)]
            cxs = [rng.uniform(r + 0.5, S - r - 0.5)]
        words = []
        for k, (cx, cy) in enumerate(zip(cxs, cys)):
            colour = colour_names[rng.integers(len(colour_names))]
            shape = CAPTION_SHAPES[rng.integers(len(CAPTION_SHAPES))]
            m = _shape_mask(shape, cx, cy, r, S)
            images[i][:, m] = np.array(CAPTION_COLOURS[colour])[:, None]
            words += (["left", "of"] if k else []) + ["a", colour, shape]
        captions.append(words)
    if noise:
        images = np.clip(images + noise * rng.standard_normal(images.shape), 0.0, 1.0)
    return images, captions


def caption_vocabulary():
    r"""The vocabulary of :func:`captioning_toy`: ``<pad>`` (0), ``<bos>``, ``<eos>`` and every caption word.

    Returns
    -------
    vocab : WordVocab
        3 specials + ``a``, ``left``, ``of``, the colours and the shapes.

    Book page: ``book/applications/captioning``.
    """
    words = ["a", "left", "of", *CAPTION_COLOURS, *CAPTION_SHAPES]
    return WordVocab([words], specials=("<pad>", "<bos>", "<eos>"))


#: The fixed 3x3 filters of :func:`image_features`, in order.
FEATURE_FILTERS = {
    "mean": np.full((3, 3), 1.0 / 9.0),
    "vertical_edge": np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]) / 4.0,
    "horizontal_edge": np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]]) / 4.0,
    "diagonal_edge": np.array([[0.0, 1.0, 2.0], [-1.0, 0.0, 1.0], [-2.0, -1.0, 0.0]]) / 4.0,
    "antidiagonal_edge": np.array([[2.0, 1.0, 0.0], [1.0, 0.0, -1.0], [0.0, -1.0, -2.0]]) / 4.0,
    "spot": np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]) / 4.0,
}


def image_features(images, *, grid=2):
    r"""A fixed, non-learned convolutional feature extractor: images -> one vector each.

    Every colour channel is convolved with the six 3x3 filters of
    :data:`FEATURE_FILTERS` (local mean, vertical, horizontal and two diagonal
    edges, a spot detector), with the border replicated so a flat image gives
    zero edges. The edge and spot responses are rectified (absolute value:
    an edge counts whichever side is brighter). Each response map is then
    average-pooled over a ``grid x grid`` array of cells, keeping coarse position
    (left/right, top/bottom). Nothing is random and nothing is learned: the
    same images always give the same features.

    It stands in for the pretrained CNN (e.g. a ResNet) whose penultimate layer
    feeds a captioning RNN; its filters are the kind the first layer of such a
    network learns.

    Parameters
    ----------
    images : ndarray, shape (N, C, H, W), float64 or float32
        H and W divisible by ``grid``.
    grid : int
        G, cells per side for pooling.

    Returns
    -------
    features : ndarray, shape (N, F), dtype of ``images``
        ``F = C * 6 * G * G``, ordered as (channel, filter, cell row, cell column).

    Book page: ``book/applications/captioning``.
    """
    x = as_float_array("images", images, ndim=4)
    G = check_positive_int("grid", grid)
    N, C, H, W = x.shape
    if H < 3 or W < 3 or H % G or W % G:
        raise ValueError(f"images must be at least 3x3 with height and width divisible by grid={G}, "
                         f"got shape {x.shape}")
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(2, 3))   # (N, C, H, W, 3, 3)
    kernels = np.stack(list(FEATURE_FILTERS.values())).astype(x.dtype)                 # (K, 3, 3)
    maps = np.einsum("nchwij,kij->nckhw", windows, kernels)                              # correlation
    maps[:, :, 1:] = np.abs(maps[:, :, 1:])
    pooled = maps.reshape(N, C, len(kernels), G, H // G, G, W // G).mean(axis=(4, 6))
    return pooled.reshape(N, -1)


# ---------------------------------------------------------------------------
# music
# ---------------------------------------------------------------------------

#: MIDI pitches of the melodies, C major over two octaves, C4 (60) to C6 (84).
MUSIC_SCALE = np.array([60, 62, 64, 65, 67, 69, 71, 72, 74, 76, 77, 79, 81, 83, 84], dtype=np.int64)
_TONIC_DEGREES = np.array([0, 7, 14])
_STEPS = np.array([-4, -2, -1, 0, 1, 2, 4])
_STEP_P = np.array([0.05, 0.12, 0.28, 0.1, 0.28, 0.12, 0.05])


def music_toy(n, seq_len, *, rng, phrase_len=8):
    r"""Melodies from a random walk on the C major scale, each phrase ending on a C.

    A melody starts on middle-octave C (MIDI 72). Each next note moves along the
    scale of :data:`MUSIC_SCALE` by -4, -2, -1, 0, +1, +2 or +4 degrees (small
    steps most likely; a move beyond either end of the scale is reflected back).
    The last note of each phrase of ``phrase_len`` notes (steps ``phrase_len - 1``,
    ``2 phrase_len - 1``, ...) is the C nearest to the previous note (a cadence), a
    regularity that only a model that counts steps can predict.

    It stands in for monophonic melodies (such as the folk tunes of the
    Nottingham collection, as MIDI pitches). Real tunes have rhythm, keys,
    repeated motifs and phrases that answer each other; here there are only
    pitches and one rule.

    Parameters
    ----------
    n : int
        N, the number of melodies.
    seq_len : int
        T, notes per melody.
    rng : numpy.random.Generator
    phrase_len : int
        Notes per phrase, >= 2.

    Returns
    -------
    pitches : ndarray, shape (N, T), int64
        MIDI note numbers, all in :data:`MUSIC_SCALE`. For class ids in
        ``[0, 15)`` use ``np.searchsorted(MUSIC_SCALE, pitches)``.

    Book page: ``book/applications/music``.
    """
    N = check_positive_int("n", n)
    T = check_positive_int("seq_len", seq_len)
    check_rng("rng", rng)
    L = check_int("phrase_len", phrase_len, 2)
    top = len(MUSIC_SCALE) - 1
    degree = np.full(N, 7)
    out = np.empty((N, T), dtype=np.int64)
    out[:, 0] = degree
    for t in range(1, T):
        if t % L == L - 1:
            dist = np.abs(degree[:, None] - _TONIC_DEGREES[None, :])
            degree = _TONIC_DEGREES[np.argmin(dist, axis=1)]
        else:
            step = rng.choice(_STEPS, size=N, p=_STEP_P)
            nxt = degree + step
            degree = np.where((nxt < 0) | (nxt > top), degree - step, nxt)
        out[:, t] = degree
    return MUSIC_SCALE[out]


# ---------------------------------------------------------------------------
# bed exit
# ---------------------------------------------------------------------------

_SIT_UP_STEPS = 5


def bed_exit_toy(n, seq_len, *, rng, warning_steps=10, p_exit=0.5, noise=0.02):
    r"""Accelerometer-like sequences of a patient in bed; label: "about to leave the bed".

    Each step is a 3-axis reading in units of g from a sensor worn on the chest
    (axis z points out of the chest, x towards the head). A patient who leaves
    (probability ``p_exit``):

    1. lies still on the back (gravity along z, a little breathing),
    2. becomes restless for ``warning_steps`` to ``2 * warning_steps`` steps:
       rocking and jerks that grow stronger,
    3. sits up from step ``exit_step`` on: over 5 steps gravity turns from z to x,
    4. then sits (gravity along x), at least one step.

    The alarm is 1 from ``exit_step - warning_steps`` to the end, 0 before: a
    model must raise it while the patient is still lying, from the restlessness
    alone. A patient who stays lies still the whole time, and half of them turn
    onto one side (a short jerk, then gravity turns from z to y), movement that
    must *not* raise the alarm. Their alarm is 0 throughout.

    It stands in for recordings of hospital patients' movements (wearable or
    bed-mounted accelerometers) used to warn nurses before a patient at risk of
    falling gets out of bed. Real recordings vary between patients and sensor
    placements, are much noisier, and the phases are not this clean.

    Parameters
    ----------
    n : int
        N, the number of sequences.
    seq_len : int
        T >= 2 * warning_steps + 8.
    rng : numpy.random.Generator
    warning_steps : int
        W >= 1, how many steps before the exit the alarm turns on.
    p_exit : float
        Probability that a sequence ends with the patient sitting up, in [0, 1].
    noise : float
        Standard deviation of the sensor noise in g, >= 0.

    Returns
    -------
    x : ndarray, shape (N, T, 3), float64
        Readings (x, y, z) in g.
    alarm : ndarray, shape (N, T), int64
        1 from ``exit_step - W`` on, else 0 (all 0 if the patient stays).
    exit_step : ndarray, shape (N,), int64
        First step of the sit-up, or -1 if the patient stays.

    Book page: ``book/applications/monitoring``.
    """
    N = check_positive_int("n", n)
    W = check_positive_int("warning_steps", warning_steps)
    T = check_positive_int("seq_len", seq_len)
    if T < 2 * W + 8:
        raise ValueError(f"seq_len must be at least 2 * warning_steps + 8 = {2 * W + 8} (lying, restless, "
                         f"sitting up and sitting), got {T}")
    check_rng("rng", rng)
    p_exit = check_real("p_exit", p_exit, 0.0, 1.0)
    noise = check_positive_float("noise", noise, allow_zero=True)
    t = np.arange(T)
    x = np.zeros((N, T, 3))
    alarm = np.zeros((N, T), dtype=np.int64)
    exit_step = np.full(N, -1, dtype=np.int64)
    for i in range(N):
        g = np.tile([0.0, 0.0, 1.0], (T, 1))                           # lying on the back
        g[:, 0] += 0.01 * np.sin(2 * np.pi * t / 6 + rng.uniform(0, 2 * np.pi))   # breathing
        if rng.random() < p_exit:
            restless = int(rng.integers(W, 2 * W + 1))
            lying = int(rng.integers(2, T - _SIT_UP_STEPS - 1 - restless + 1))
            e = lying + restless
            ramp = np.linspace(0.3, 1.0, restless)
            phase = rng.uniform(0, 2 * np.pi)
            rs = slice(lying, e)
            g[rs, 1] += 0.3 * ramp * np.sin(2 * np.pi * np.arange(restless) / 5 + phase)   # rocking
            g[rs] += (0.05 + 0.15 * ramp)[:, None] * rng.standard_normal((restless, 3))   # jerks
            theta = np.linspace(0, np.pi / 2, _SIT_UP_STEPS + 1)[1:]
            g[e:e + _SIT_UP_STEPS] = np.column_stack([np.sin(theta), np.zeros_like(theta), np.cos(theta)])
            g[e:e + _SIT_UP_STEPS] += 0.1 * rng.standard_normal((_SIT_UP_STEPS, 3))
            g[e + _SIT_UP_STEPS:] = [1.0, 0.0, 0.0]                  # sitting
            exit_step[i] = e
            alarm[i, e - W:] = 1
        elif rng.random() < 0.5:                                       # turns onto one side
            r = int(rng.integers(2, T - 7 + 1))
            side = rng.choice([-1.0, 1.0])
            g[r:r + 3] += 0.2 * rng.standard_normal((3, 3))
            theta = np.linspace(0, np.pi / 2, 5)[1:]
            g[r + 3:r + 7] = np.column_stack([np.zeros_like(theta), side * np.sin(theta), np.cos(theta)])
            g[r + 7:] = [0.0, side, 0.0]
        if noise:
            g = g + noise * rng.standard_normal(g.shape)
        x[i] = g
    return x, alarm, exit_step
