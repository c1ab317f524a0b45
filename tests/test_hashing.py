"""Vectorised hashing of words and character n-grams."""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp

from cleaner.hashing import MAX_HASHED_WORD, char_ngram_matrix, page_words, word_matrix

TEXTS = [
    "Sign up for our newsletter: https://example.com/join",
    "Der Stadtrat tagte am Dienstag über die ÖFFENTLICHEN Bäder.",
    "42",
    "Join our WhatsApp channel 👉 today!",
    "La mairie a voté le budget — 3 voix contre.",
]


def test_words_are_lower_cased_runs_of_word_characters():
    words, _ = page_words(["Hello, world! HELLO"])
    assert words.lengths.tolist() == [5, 5, 5]
    assert words.hashes[0] == words.hashes[2] != words.hashes[1]
    assert words.capitalised.tolist() == [True, False, True]


def test_counts_match_regular_expressions():
    _, counts = page_words(TEXTS)
    for number, text in enumerate(TEXTS):
        assert counts.chars[number] == len(text)
        assert counts.words[number] == len(re.findall(r"\w+", text))
        assert counts.digits[number] == len(re.findall(r"\d", text))
        assert counts.punctuation[number] == len(re.findall(r"[^\w\s]", text))
        assert counts.upper[number] == sum(ch.isupper() for ch in text)


def test_each_row_depends_on_its_own_text_only():
    together_words = word_matrix(page_words(TEXTS)[0], len(TEXTS), 16)
    together_chars = char_ngram_matrix(TEXTS, (3, 4, 5), 16)
    for number, text in enumerate(TEXTS):
        alone_words = word_matrix(page_words([text])[0], 1, 16)
        alone_chars = char_ngram_matrix([text], (3, 4, 5), 16)
        assert abs(together_words[number] - alone_words).sum() < 1e-6
        assert abs(together_chars[number] - alone_chars).sum() < 1e-6


def test_rows_have_unit_length_and_count_ngrams():
    chars = char_ngram_matrix(["abcd", "x"], (3,), 16)
    # " abcd " has four 3-grams; "x" padded to " x " has one.
    assert chars[0].nnz == 4 and chars[1].nnz == 1
    norms = np.sqrt(np.asarray(sp.csr_matrix.multiply(chars, chars).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0)


def test_word_pairs_stay_inside_a_block():
    words, _ = page_words(["read more", "about it"])
    rows = word_matrix(words, 2, 16)
    assert rows[0].nnz == 3 and rows[1].nnz == 3  # two words and one pair each


def test_long_words_are_hashed_on_their_last_characters():
    tail = "x" * MAX_HASHED_WORD
    words, _ = page_words([f"a{tail} b{tail} {tail[1:]}"])
    assert words.hashes[0] == words.hashes[1] != words.hashes[2]
