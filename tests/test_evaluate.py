"""The metrics of `cleaner evaluate`."""

from __future__ import annotations

import pytest
from support import TRAINING_PAGES

from cleaner.cli import main
from cleaner.evaluate import PageScore, bootstrap_intervals, leak_counts, score_page, summarize, token_scores


def test_token_scores_compare_bags_of_lowercased_words():
    precision, recall, f1 = token_scores("The cat sat. Share this!", "the CAT sat on the mat")
    assert precision == pytest.approx(3 / 5)
    assert recall == pytest.approx(3 / 6)
    assert f1 == pytest.approx(2 * 0.6 * 0.5 / 1.1)


def test_empty_output_scores_zero_recall():
    assert token_scores("", "some truth") == (0.0, 0.0, 0.0)


def test_leak_counts_only_long_snippets_not_in_truth():
    truth = "The bridge reopened on Monday. Sign up now said the sign."
    without = [
        "Sign up for our daily newsletter",  # counted, leaked
        "Follow us on social media today",  # counted, dropped
        "Share this",  # too short: not counted
        "the bridge reopened on",  # in the truth: not counted
    ]
    output = truth + "\nSign up for our daily newsletter"
    assert leak_counts(output, truth, without) == (2, 1)


def test_summary_averages_pages_and_pools_snippets():
    scores = [score_page("a", "x y", "x y", ["one two three four"]), score_page("b", "x", "x y", [])]
    summary = summarize(scores)
    assert summary.pages == 2
    assert summary.recall == pytest.approx(0.75)
    assert summary.promo_leak == 0.0 and summary.snippets == 1


@pytest.mark.parametrize("pages_at_once", [1_000_000, 20])  # all resamples at once, or one at a time
def test_bootstrap_intervals_span_the_spread_of_the_pages(pages_at_once: int, monkeypatch):
    monkeypatch.setattr("cleaner.evaluate.RESAMPLED_PAGES_AT_ONCE", pages_at_once)
    scores = [PageScore(f"p{i}", 1.0, 1.0, f1, 2, leaked) for i, (f1, leaked) in enumerate([(0.6, 2), (1.0, 0)] * 10)]
    intervals = bootstrap_intervals(scores)
    assert 0.6 < intervals.f1[0] < 0.8 < intervals.f1[1] < 1.0
    assert 0.0 < intervals.promo_leak[0] < 0.5 < intervals.promo_leak[1] < 1.0
    assert bootstrap_intervals(scores) == intervals  # seeded: the same pages give the same interval


def test_bootstrap_intervals_of_identical_pages_have_no_width():
    scores = [PageScore(f"p{i}", 1.0, 1.0, 0.9, 4, 1) for i in range(5)]
    intervals = bootstrap_intervals(scores)
    assert intervals.f1 == pytest.approx((0.9, 0.9))
    assert intervals.promo_leak == pytest.approx((0.25, 0.25))


@pytest.mark.parametrize("folds", ["1", "0", "-2"])
def test_cross_validation_needs_two_folds(folds: str, capsys):
    page = str(TRAINING_PAGES / "broadcaster-culture.html")
    assert main(["evaluate", "--cv", folds, page, page]) == 2
    assert "--cv needs 2 folds or more" in capsys.readouterr().err
