"""Feature rows for blocks."""

from __future__ import annotations

import numpy as np

from cleaner.blocks import parse_html, segment_html, segment_text
from cleaner.features import BlockFeaturizer, neighbour_rows


def test_rows_are_deterministic_and_one_per_block(article_page: str):
    blocks = segment_html(parse_html(article_page)).blocks
    featurizer = BlockFeaturizer().fit(blocks)
    first, second = featurizer.transform(blocks), featurizer.transform(blocks)
    assert first.shape[0] == len(blocks)
    assert (first != second).nnz == 0


def test_plain_text_rows_have_no_markup_columns():
    blocks = segment_text("One line.\nAnother line.")
    with_markup = BlockFeaturizer(use_markup=True).transform(blocks)
    without = BlockFeaturizer(use_markup=False).transform(blocks)
    assert without.shape[1] < with_markup.shape[1]


def test_wording_changes_the_row():
    blocks = segment_text("Join our WhatsApp channel today\nThe council met on Tuesday")
    rows = BlockFeaturizer(use_markup=False).transform(blocks)
    assert (rows[0] != rows[1]).nnz > 0


def test_neighbours_do_not_cross_page_boundaries():
    values = np.arange(5, dtype=float)[:, None] + 1
    starts = np.array([True, False, False, True, False])
    previous = neighbour_rows(values, starts, -1)[:, 0]
    following = neighbour_rows(values, starts, 1)[:, 0]
    assert previous.tolist() == [0, 1, 2, 0, 4]
    assert following.tolist() == [2, 3, 0, 5, 0]
