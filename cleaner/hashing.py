"""Hash the words, word pairs and character n-grams of all blocks of a page in a few numpy calls.

Per-token Python work (splitting, slicing, hashing one string at a time) used to be most of the
time it took to clean a page. Here a page's texts become one array of code points; word
boundaries, lower-casing and character classes come from lookup tables, and every token's hash
is a polynomial over its code points computed for all tokens at once.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

# Character classes, as bits of one lookup table over the Basic Multilingual Plane.
WORD_CHAR = 1  # what `\w` matches: letters, digits, underscore
UPPER_CHAR = 2
DIGIT_CHAR = 4
SPACE_CHAR = 8
# Code points above the BMP (emoji, rare scripts) share the table's last entry: a symbol.
_TABLE_SIZE = 0x10000

_POLY = np.uint64(0x100000001B3)  # multiplier of the polynomial hash (odd: no lost bits)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads hashes over the buckets
_PAIR = np.uint64(0xC2B2AE3D27D4EB4F)
_SEPARATOR = 0x0A  # "\n" ends each block in the joined page text; blocks never contain one


@functools.cache
def char_tables() -> tuple[np.ndarray, np.ndarray]:
    """(lower-case code point, class bits) for every BMP code point, plus one entry for the rest."""
    lower = np.arange(_TABLE_SIZE + 1, dtype=np.uint32)
    classes = np.zeros(_TABLE_SIZE + 1, dtype=np.uint8)
    for code in range(_TABLE_SIZE):
        char = chr(code)
        lowered = char.lower()
        if len(lowered) == 1:
            lower[code] = ord(lowered)
        bits = 0
        if char.isalnum() or char == "_":
            bits |= WORD_CHAR
        if char.isupper():
            bits |= UPPER_CHAR
        if char.isdecimal():
            bits |= DIGIT_CHAR
        if char.isspace():
            bits |= SPACE_CHAR
        classes[code] = bits
    return lower, classes


# Words longer than this (URLs, base64 blobs) are hashed on their last this many characters.
MAX_HASHED_WORD = 64
_POWERS = np.cumprod(np.concatenate([[1], np.full(MAX_HASHED_WORD - 1, _POLY)]).astype(np.uint64), dtype=np.uint64)


def _buckets(hashes: np.ndarray, seed: int, bits: int) -> np.ndarray:
    """Column numbers in [0, 2**bits) for 64-bit hashes, a different spread for each seed."""
    mixed = (hashes ^ np.uint64(seed)) * _MIX
    mixed ^= mixed >> np.uint64(29)
    return ((mixed * _MIX) >> np.uint64(64 - bits)).astype(np.int64)


def code_points(texts: Sequence[str]) -> np.ndarray:
    """The texts joined by "\\n" (and ended by one) as an array of code points."""
    joined = "\n".join(texts) + "\n"
    return np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def block_of_each_char(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For code points from `code_points`: where the separators are, and the block each code
    point belongs to (a separator belongs to the block it ends)."""
    separator = codes == _SEPARATOR
    return separator, np.cumsum(separator) - separator


def count_matrix(rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """Counts of (row, column) pairs as a float32 CSR matrix in canonical form.

    One sort of the pairs as 64-bit keys, then counting runs: twice as fast as letting scipy
    sum duplicates row by row (which was a tenth of the time spent on features).
    """
    bits = max(1, int(shape[1] - 1).bit_length())
    keys = np.sort((np.asarray(rows, dtype=np.int64) << bits) | np.asarray(columns, dtype=np.int64))
    first = np.concatenate([[True], keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, dtype=bool)
    unique = keys[first]
    counts = np.diff(np.append(np.flatnonzero(first), len(keys))).astype(np.float32)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(unique >> bits, minlength=shape[0]))])
    columns_out = (unique & ((1 << bits) - 1)).astype(np.int32)
    return sp.csr_matrix((counts, columns_out, indptr), shape=shape)


def normalize_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit length (empty rows stay empty)."""
    squares = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    scale = np.divide(1.0, np.sqrt(squares), out=np.zeros_like(squares), where=squares > 0)
    return sp.diags(scale.astype(np.float32)) @ matrix


@dataclass(slots=True)
class PageWords:
    """The words of a page's blocks: where they are and what they hash to."""

    hashes: np.ndarray  # one 64-bit hash per word, in reading order
    blocks: np.ndarray  # the block each word belongs to
    lengths: np.ndarray  # characters per word
    capitalised: np.ndarray  # True where the word starts with an upper-case letter


@dataclass(slots=True)
class PageCounts:
    """Per-block character counts of a page's texts."""

    chars: np.ndarray
    words: np.ndarray
    digits: np.ndarray
    upper: np.ndarray
    punctuation: np.ndarray
    capitalised_words: np.ndarray


def page_words(texts: Sequence[str]) -> tuple[PageWords, PageCounts]:
    """Every word of the texts (runs of word characters, lower-cased) and per-text counts."""
    lower_table, class_table = char_tables()
    codes = code_points(texts)
    clipped = np.minimum(codes, _TABLE_SIZE)
    lowered = lower_table[clipped].astype(np.uint64)
    classes = class_table[clipped]
    separator, block_of_char = block_of_each_char(codes)
    count = len(texts)

    is_word = (classes & WORD_CHAR).astype(bool)
    starts = np.flatnonzero(is_word & ~np.concatenate([[False], is_word[:-1]]))
    ends = np.flatnonzero(is_word & ~np.concatenate([is_word[1:], [False]])) + 1
    lengths = ends - starts
    # Polynomial hash of each word: sum of code * POLY**(distance to the word's last char).
    word_positions = np.flatnonzero(is_word)
    start_mask = np.zeros(len(codes), dtype=bool)
    start_mask[starts] = True
    word_number = np.cumsum(start_mask[word_positions]) - 1
    distance = ends[word_number] - 1 - word_positions
    hashed = distance < MAX_HASHED_WORD
    terms = np.where(hashed, lowered[word_positions], 0) * _POWERS[np.where(hashed, distance, 0)]
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    hashes = np.add.reduceat(terms, offsets) if len(terms) else np.zeros(0, dtype=np.uint64)
    word_blocks = block_of_char[starts]
    capitalised = (classes[starts] & UPPER_CHAR).astype(bool)

    def per_block(mask: np.ndarray) -> np.ndarray:
        return np.bincount(block_of_char, weights=mask, minlength=count)[:count]

    counts = PageCounts(
        chars=np.bincount(block_of_char, minlength=count)[:count] - 1,  # minus the separator
        words=np.bincount(word_blocks, minlength=count)[:count],
        digits=per_block((classes & DIGIT_CHAR).astype(bool)),
        upper=per_block((classes & UPPER_CHAR).astype(bool)),
        punctuation=per_block(~is_word & ~(classes & SPACE_CHAR).astype(bool) & ~separator),
        capitalised_words=np.bincount(word_blocks, weights=capitalised, minlength=count)[:count],
    )
    return PageWords(hashes, word_blocks, lengths, capitalised), counts


def word_matrix(words: PageWords, count: int, bits: int) -> sp.csr_matrix:
    """Hashed counts of words and of pairs of neighbouring words in one block, rows unit length."""
    same_block = words.blocks[1:] == words.blocks[:-1]
    pairs = words.hashes[:-1][same_block] * _PAIR + words.hashes[1:][same_block]
    rows = np.concatenate([words.blocks, words.blocks[:-1][same_block]])
    columns = np.concatenate([_buckets(words.hashes, 1, bits), _buckets(pairs, 2, bits)])
    return normalize_rows(count_matrix(rows, columns, (count, 1 << bits)))


def char_ngram_matrix(texts: Sequence[str], sizes: Sequence[int], bits: int) -> sp.csr_matrix:
    """Hashed counts of lower-cased character n-grams of the words of each text, rows unit length.

    Like scikit-learn's "char_wb" analyzer, an n-gram holds no space but at its ends, so "up"
    gives " up", "up " and " up "; unlike it, the text as a whole is padded rather than each
    word. n-grams never span two texts. (Word-bounded and free n-grams scored the same in a
    5-fold cross-validation over the training pages on 2026-11-28; these are fewer.)
    """
    lower_table, _ = char_tables()
    codes = code_points([f" {t} " for t in texts])
    lowered = lower_table[np.minimum(codes, _TABLE_SIZE)].astype(np.uint64)
    separator, block_of_char = block_of_each_char(codes)
    separators_before = np.concatenate([[0], np.cumsum(separator)])
    spaces_before = np.concatenate([[0], np.cumsum(codes == 0x20)])
    rows, columns = [], []
    hashes = np.zeros(len(codes), dtype=np.uint64)
    for size in range(1, max(sizes) + 1):
        # hashes[i] now covers codes[i : i + size]
        hashes[: len(codes) - size + 1] = hashes[: len(codes) - size + 1] * _POLY + lowered[size - 1 :]
        if size not in sizes:
            continue
        count = len(codes) - size + 1  # n-grams start at 0 .. count - 1
        valid = separators_before[size : size + count] == separators_before[:count]
        if size > 2:  # no space inside: n-grams of one word and its edges, as char_wb takes them
            valid &= spaces_before[size - 1 : size - 1 + count] == spaces_before[1 : 1 + count]
        starts = np.flatnonzero(valid)
        rows.append(block_of_char[starts])
        columns.append(_buckets(hashes[starts], 10 + size, bits))
    return normalize_rows(count_matrix(np.concatenate(rows), np.concatenate(columns), (len(texts), 1 << bits)))
