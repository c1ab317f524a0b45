"""Turn blocks into feature rows: wording, markup context, shape and neighbouring blocks."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

from cleaner.blocks import ANCESTOR_LEVELS, Block
from cleaner.hashing import PageCounts, char_ngram_matrix, count_matrix, page_words, word_matrix

# Hashed feature space sizes. 2**16 buckets per text view keep the bundled model a few MiB;
# 2**17 doubled the file for +0.002 F1 on WCXB test.
WORD_BITS = 16
CHAR_BITS = 16
MARKUP_FEATURES = 2**15
CHAR_NGRAM_SIZES = (3, 4, 5)
# Character n-grams are taken from the start and the end of a block only: promo cues ("Sign
# up", "Read more:", "Join our ...") sit there, and long paragraphs cost time without adding any.
CHAR_WINDOW = 160
# Words are hashed from this many characters of a block at most: beyond it a block says nothing
# new, and a hostile 10 MB text node would otherwise cost memory in proportion.
MAX_HASHED_CHARS = 20_000

# Cues searched in the whole page text at once; each marks the blocks it matches in.
_SENTENCE_END = re.compile(r"[.!?…:\"'”»)]$", re.M)
_CALL_CUE = re.compile(r"^\W*\w+(?:[^\S\n]+\w+){0,3}[^\S\n]*[:：»›>|→]", re.M)
_URL_OR_HANDLE = re.compile(r"https?://|www\.|@\w")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright", re.I)
# A pictograph or arrow opening a line marks calls to action in newsletters and blogs (📧, 💥, 👉).
_LEADING_SYMBOL = re.compile(r"^[\u2190-\u21ff\u2600-\u27bf\U0001f300-\U0001faff]", re.M)
_CUES = (_SENTENCE_END, _CALL_CUE, _URL_OR_HANDLE, _LEADING_SYMBOL, _COPYRIGHT)
SHAPE_SIZE = 20


def cue_flags(texts: Sequence[str]) -> np.ndarray:
    """One column per cue in _CUES: 1.0 where the cue occurs in the block's text."""
    joined = "\n".join(texts)
    block_starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    flags = np.zeros((len(texts), len(_CUES)), dtype=np.float32)
    for column, cue in enumerate(_CUES):
        positions = [match.start() for match in cue.finditer(joined)]
        if positions:
            flags[np.searchsorted(block_starts, positions, side="right") - 1, column] = 1.0
    return flags


def block_shapes(blocks: Sequence[Block], counts: PageCounts) -> np.ndarray:
    """Numbers about each block's own text and place in the page, scaled to about 0..1."""
    chars = np.maximum(counts.chars, 1).astype(np.float32)
    words = counts.words.astype(np.float32)
    count = len(blocks)
    index, page_blocks, page_chars, link_chars, lengths = (
        np.fromiter(
            itertools.chain.from_iterable(
                (b.index, b.page_blocks, b.page_chars, b.link_chars, len(b.text)) for b in blocks
            ),
            dtype=np.float64,
            count=5 * count,
        )
        .reshape(count, 5)
        .T
    )
    # Block.relative_position and Block.link_density, for all blocks at once.
    position = (index / np.maximum(1, page_blocks - 1)).astype(np.float32)
    link_density = np.minimum(1.0, link_chars / np.maximum(1, lengths)).astype(np.float32)
    page_chars = page_chars.astype(np.float32)
    first_upper = np.fromiter((b.text[:1].isupper() for b in blocks), dtype=np.float32, count=count)
    cues = cue_flags([b.text for b in blocks])
    columns = [
        np.log1p(chars) / 8.0,
        np.log1p(words) / 6.0,
        words <= 3,
        (words >= 4) & (words <= 12),
        words > 30,
        link_density,
        counts.digits / chars,
        counts.upper / chars,
        counts.punctuation / chars,
        cues[:, 0],
        first_upper,
        counts.capitalised_words / np.maximum(words, 1),
        cues[:, 1],
        cues[:, 2],
        cues[:, 3],
        cues[:, 4],
        position,
        position < 0.1,
        position > 0.9,
        chars / page_chars,
    ]
    return np.column_stack(columns).astype(np.float32)


def block_contexts(blocks: Sequence[Block]) -> np.ndarray:
    """Numbers about where each block sits in the markup: depth, ancestors' text mass, main text."""
    chars = np.array([len(b.text) for b in blocks], dtype=np.float32)[:, None]
    page_chars = np.array([b.page_chars for b in blocks], dtype=np.float32)[:, None]
    ancestors = np.array([b.ancestor_chars for b in blocks], dtype=np.float32).reshape(len(blocks), ANCESTOR_LEVELS)
    links = np.array([b.ancestor_link_chars for b in blocks], dtype=np.float32).reshape(len(blocks), ANCESTOR_LEVELS)
    has_text = ancestors > 0
    safe = np.maximum(ancestors, 1)
    per_level = np.stack(
        [
            np.log1p(ancestors) / 10.0,
            np.where(has_text, links / safe, 0.0),
            ancestors / page_chars,
            np.where(has_text, chars / safe, 1.0),
        ],
        axis=2,
    ).reshape(len(blocks), -1)
    own = np.array(
        [(min(b.depth, 40) / 40.0, float(b.in_main_text), b.main_text_share) for b in blocks], dtype=np.float32
    ).reshape(len(blocks), 3)
    return np.hstack([own, per_level]).astype(np.float32)


@functools.lru_cache(maxsize=8192)
def markup_columns(tag: str, tag_path: tuple[str, ...], attributes: tuple[str, ...]) -> tuple[int, ...]:
    """Hashed columns of a block's tag, tag path and class/id tokens; cached, since most blocks
    of a page share them with others."""
    tokens = [f"tag={tag}", f"path={'/'.join(tag_path[-2:])}", f"path3={'/'.join(tag_path[-3:])}"]
    return tuple(map(_markup_column, tokens)) + tuple(map(_attribute_column, attributes))


@functools.lru_cache(maxsize=65536)
def _markup_column(token: str) -> int:
    return murmurhash3_32(token, positive=True) % MARKUP_FEATURES


@functools.lru_cache(maxsize=65536)
def _attribute_column(token: str) -> int:
    return _markup_column(f"attr={token}")


def markup_matrix(blocks: Sequence[Block]) -> sp.csr_matrix:
    """Counts of each block's hashed markup columns, rows unit length."""
    per_block = [markup_columns(b.tag, b.tag_path, b.attribute_tokens) for b in blocks]
    rows = np.repeat(np.arange(len(blocks)), [len(c) for c in per_block])
    columns = np.fromiter(itertools.chain.from_iterable(per_block), dtype=np.int64, count=len(rows))
    return normalize(count_matrix(rows, columns, (len(blocks), MARKUP_FEATURES)))


def _page_starts(blocks: Sequence[Block]) -> np.ndarray:
    """Boolean mask of the blocks that open a page (their index is 0)."""
    return np.fromiter((b.index == 0 for b in blocks), dtype=bool, count=len(blocks))


def neighbour_rows(values: np.ndarray, starts: np.ndarray, offset: int) -> np.ndarray:
    """Rows of `values` shifted by `offset` blocks within each page; zeros past a page's edge."""
    n = len(values)
    shifted = np.zeros_like(values)
    if n == 0 or abs(offset) >= n:
        return shifted
    page_id = np.cumsum(starts) if starts.any() else np.zeros(n, dtype=int)
    if offset < 0:
        shifted[-offset:] = values[:offset]
        same = page_id[-offset:] == page_id[:offset]
        shifted[-offset:][~same] = 0
    else:
        shifted[:-offset] = values[offset:]
        same = page_id[:-offset] == page_id[offset:]
        shifted[:-offset][~same] = 0
    return shifted


class BlockFeaturizer(TransformerMixin, BaseEstimator):
    """Feature rows for blocks: hashed words, character n-grams, markup tokens and numbers.

    Stateless: every part is hashed or computed from the block itself and its neighbours,
    so `fit` learns nothing and the same block always gives the same row.

    Args:
        use_markup: include tag, class/id and ancestor features (False for plain text).
    """

    def __init__(self, use_markup: bool = True):
        self.use_markup = use_markup

    def fit(self, blocks: Sequence[Block], y: object = None) -> BlockFeaturizer:
        """Nothing to learn; returns self."""
        return self

    def transform(self, blocks: Sequence[Block]) -> sp.csr_matrix:
        """Feature matrix with one row per block."""
        return self.features(blocks)[0]

    def features(self, blocks: Sequence[Block]) -> tuple[sp.csr_matrix, np.ndarray]:
        """The feature matrix, and its numeric part as a dense array (the classifier reuses it)."""
        blocks = list(blocks)
        starts = _page_starts(blocks)
        chunks = [_wording_and_shape(blocks[i : i + CHUNK_BLOCKS]) for i in range(0, len(blocks), CHUNK_BLOCKS)]
        own = np.vstack([shape for _, _, shape in chunks]) if chunks else np.zeros((0, SHAPE_SIZE), np.float32)
        if self.use_markup:
            own = np.hstack([own, block_contexts(blocks)])
        dense = np.hstack([own, neighbour_rows(own, starts, -1), neighbour_rows(own, starts, 1)])
        parts = [
            sp.vstack([words for words, _, _ in chunks], format="csr"),
            sp.vstack([chars for _, chars, _ in chunks], format="csr"),
            sp.csr_matrix(dense),
        ]
        if self.use_markup:
            markup = markup_matrix(blocks)
            parts.append(markup)
            parts.append(_shift_sparse(markup, starts, -1) * 0.5)
            parts.append(_shift_sparse(markup, starts, 1) * 0.5)
        return sp.hstack(parts, format="csr", dtype=np.float32), dense


# Blocks hashed in one go: a page at a time in practice; training data is cut into chunks of this
# many blocks so that the per-character arrays stay small.
CHUNK_BLOCKS = 4096


def _wording_and_shape(blocks: Sequence[Block]) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
    """Hashed words and word pairs, hashed character n-grams, and shape numbers of the blocks."""
    texts = [b.text for b in blocks]
    words, counts = page_words([t[:MAX_HASHED_CHARS] for t in texts])
    windows = [t if len(t) <= 2 * CHAR_WINDOW else f"{t[:CHAR_WINDOW]} {t[-CHAR_WINDOW:]}" for t in texts]
    return (
        word_matrix(words, len(blocks), WORD_BITS),
        char_ngram_matrix(windows, CHAR_NGRAM_SIZES, CHAR_BITS),
        block_shapes(blocks, counts),
    )


def _shift_sparse(matrix: sp.csr_matrix, starts: np.ndarray, offset: int) -> sp.csr_matrix:
    """Sparse rows shifted by `offset` within each page (a neighbour's tokens), zero at edges."""
    n = matrix.shape[0]
    source = np.arange(n) + offset
    page_id = np.cumsum(starts) if starts.any() else np.zeros(n, dtype=int)
    valid = (source >= 0) & (source < n)
    valid[valid] = page_id[valid] == page_id[source[valid]]
    selector = sp.csr_matrix(
        (np.ones(valid.sum(), dtype=np.float32), (np.flatnonzero(valid), source[valid])), shape=(n, n)
    )
    return selector @ matrix
