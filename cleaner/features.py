"""Turn blocks into feature rows: wording, markup context, shape and neighbouring blocks."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

from cleaner.blocks import ANCESTOR_LEVELS, Block

# Hashed feature space sizes. 2**16 buckets per text view keep the bundled model a few MiB;
# 2**17 doubled the file for +0.002 F1 on WCXB test.
WORD_FEATURES = 2**16
CHAR_FEATURES = 2**16
MARKUP_FEATURES = 2**15
# Character n-grams are taken from the start and the end of a block only: promo cues ("Sign
# up", "Read more:", "Join our ...") sit there, and long paragraphs cost time without adding any.
CHAR_WINDOW = 160

_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"[A-ZÀ-Þ]")
_PUNCT = re.compile(r"[^\w\s]")
_SENTENCE_END = re.compile(r"[.!?…:\"'”»)]$")
_CALL_CUE = re.compile(r"^\W*\w+(?:\s+\w+){0,3}\s*[:：»›>|→]")
_URL_OR_HANDLE = re.compile(r"https?://|www\.|@\w")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright", re.I)
_WORD = re.compile(r"\w+")
# A pictograph or arrow opening a line marks calls to action in newsletters and blogs (📧, 💥, 👉).
_LEADING_SYMBOL = re.compile(r"^[\u2190-\u21ff\u2600-\u27bf\U0001f300-\U0001faff]")
_CAPITALISED = re.compile(r"\b[A-ZÀ-Þ]\w*")


def block_shape(block: Block) -> list[float]:
    """Numbers about a block's own text, scaled to about 0..1."""
    text = block.text
    chars = len(text)
    words = len(_WORD.findall(text))
    return [
        np.log1p(chars) / 8.0,
        np.log1p(words) / 6.0,
        float(words <= 3),
        float(4 <= words <= 12),
        float(words > 30),
        block.link_density,
        len(_DIGIT.findall(text)) / chars,
        len(_UPPER.findall(text)) / chars,
        len(_PUNCT.findall(text)) / chars,
        float(bool(_SENTENCE_END.search(text))),
        float(text[:1].isupper()),
        len(_CAPITALISED.findall(text)) / max(1, words),
        float(bool(_CALL_CUE.match(text))),
        float(bool(_URL_OR_HANDLE.search(text))),
        float(bool(_LEADING_SYMBOL.match(text))),
        float(bool(_COPYRIGHT.search(text))),
        block.relative_position,
        float(block.relative_position < 0.1),
        float(block.relative_position > 0.9),
        chars / block.page_chars,
    ]


def block_context(block: Block) -> list[float]:
    """Numbers about where a block sits in the markup: depth, ancestors' text mass, main text."""
    values = [min(block.depth, 40) / 40.0, float(block.in_main_text), block.main_text_share]
    for chars, link_chars in zip(block.ancestor_chars, block.ancestor_link_chars):
        values.append(np.log1p(chars) / 10.0)
        values.append(link_chars / chars if chars else 0.0)
        values.append(chars / block.page_chars)
        values.append(len(block.text) / chars if chars else 1.0)
    return values


SHAPE_SIZE = len(block_shape(Block(text="x")))
CONTEXT_SIZE = 3 + 4 * ANCESTOR_LEVELS


def markup_tokens(block: Block) -> list[str]:
    """The block's tag, tag path and class/id tokens as strings to hash."""
    path = block.tag_path
    tokens = [f"tag={block.tag}", f"path={'/'.join(path[-2:])}", f"path3={'/'.join(path[-3:])}"]
    tokens.extend(f"attr={token}" for token in block.attribute_tokens)
    return tokens


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

    def _dense_features(self, blocks: Sequence[Block], starts: np.ndarray) -> np.ndarray:
        """The numeric features of each block and of its neighbours, as a dense array."""
        rows = [block_shape(b) + block_context(b) if self.use_markup else block_shape(b) for b in blocks]
        own = np.asarray(rows, dtype=np.float32).reshape(len(blocks), -1)
        return np.hstack([own, neighbour_rows(own, starts, -1), neighbour_rows(own, starts, 1)])

    def transform(self, blocks: Sequence[Block]) -> sp.csr_matrix:
        """Feature matrix with one row per block."""
        return self.features(blocks)[0]

    def features(self, blocks: Sequence[Block]) -> tuple[sp.csr_matrix, np.ndarray]:
        """The feature matrix, and its numeric part as a dense array (the classifier reuses it)."""
        starts = _page_starts(blocks)
        dense = self._dense_features(blocks, starts)
        texts = [b.text for b in blocks]
        windows = [t if len(t) <= 2 * CHAR_WINDOW else f"{t[:CHAR_WINDOW]} {t[-CHAR_WINDOW:]}" for t in texts]
        parts = [
            _WORDS.transform(texts),
            _CHARS.transform(windows),
            sp.csr_matrix(dense),
        ]
        if self.use_markup:
            tokens = [markup_tokens(b) for b in blocks]
            markup = normalize(_MARKUP.transform(tokens))
            parts.append(markup)
            parts.append(_shift_sparse(markup, starts, -1) * 0.5)
            parts.append(_shift_sparse(markup, starts, 1) * 0.5)
        return sp.hstack(parts, format="csr", dtype=np.float32), dense


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


_WORDS = HashingVectorizer(
    n_features=WORD_FEATURES,
    ngram_range=(1, 2),
    token_pattern=r"(?u)\b\w+\b",
    alternate_sign=False,
    dtype=np.float32,
)
_CHARS = HashingVectorizer(
    n_features=CHAR_FEATURES,
    analyzer="char_wb",
    ngram_range=(3, 5),
    alternate_sign=False,
    dtype=np.float32,
)
_MARKUP = FeatureHasher(n_features=MARKUP_FEATURES, input_type="string", alternate_sign=False, dtype=np.float32)
