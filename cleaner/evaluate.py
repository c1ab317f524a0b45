"""Score cleaned text against ground truth: token precision, recall, F1 and promo leak."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from cleaner.corpus import TruthPage, contains_run, counted_snippets, tokens


@dataclass(slots=True)
class PageScore:
    """How one page's output compares with its ground truth."""

    name: str
    precision: float
    recall: float
    f1: float
    snippets: int
    leaked: int


def token_scores(output: str, truth: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the output's tokens against the truth's, compared as bags."""
    got, want = Counter(tokens(output)), Counter(tokens(truth))
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else (1.0 if not want else 0.0)
    recall = overlap / sum(want.values()) if want else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def leak_counts(output: str, truth: str, without: Iterable[str]) -> tuple[int, int]:
    """(snippets that count, snippets still in the output): must-drop snippets of 4+ tokens not in the truth."""
    counted = counted_snippets(truth, without)
    output_tokens = tokens(output)
    return len(counted), sum(contains_run(output_tokens, tokens(s)) for s in counted)


def score_page(name: str, output: str, truth: str, without: Iterable[str] = ()) -> PageScore:
    """All scores of one page."""
    precision, recall, f1 = token_scores(output, truth)
    counted, leaked = leak_counts(output, truth, without)
    return PageScore(name, precision, recall, f1, counted, leaked)


@dataclass(slots=True)
class Summary:
    """Scores averaged over pages; the leak is pooled over all counted snippets."""

    pages: int
    precision: float
    recall: float
    f1: float
    promo_leak: float
    snippets: int


def summarize(scores: Sequence[PageScore]) -> Summary:
    """Mean precision, recall and F1 over pages, and the share of snippets leaked."""
    count = max(1, len(scores))
    snippets = sum(s.snippets for s in scores)
    return Summary(
        pages=len(scores),
        precision=sum(s.precision for s in scores) / count,
        recall=sum(s.recall for s in scores) / count,
        f1=sum(s.f1 for s in scores) / count,
        promo_leak=sum(s.leaked for s in scores) / snippets if snippets else 0.0,
        snippets=snippets,
    )


def evaluate_pages(pages: Iterable[TruthPage], clean: Callable[[TruthPage], str]) -> list[PageScore]:
    """Score `clean(page)` against each page's truth."""
    return [score_page(p.name, clean(p), "\n".join(p.truth), p.without) for p in pages]
