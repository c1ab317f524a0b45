"""Quality gate: the bundled model on the WCXB test pages must not fall below pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import REALPAGES, needs_realpages

from cleaner import Cleaner
from cleaner.corpus import select_pages
from cleaner.evaluate import Summary, evaluate_files, summarize

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())
# Two pages more or less leaking, or a few tokens, must not flip the gate.
NOISE_MARGIN = 0.005
LEAK_MARGIN = 0.02


@pytest.fixture(scope="module")
def test_files():
    return select_pages([REALPAGES / "wcxb"], "test")


def check(summary: Summary, floors: dict[str, float]) -> None:
    for metric, floor in floors.items():
        value = getattr(summary, metric)
        if metric == "promo_leak":
            assert value <= floor + LEAK_MARGIN, f"promo leak {value:.3f} above its ceiling {floor}"
        else:
            assert value >= floor - NOISE_MARGIN, f"{metric} {value:.3f} below its floor {floor}"


@needs_realpages
def test_wcxb_test_split_has_sixty_pages(test_files):
    assert len(test_files) == 60


@needs_realpages
def test_html_quality_floor(test_files):
    check(summarize(evaluate_files(Cleaner(), test_files, "html").scores), FLOORS["html"])


@needs_realpages
def test_plain_text_quality_floor(test_files):
    check(summarize(evaluate_files(Cleaner(), test_files, "text").scores), FLOORS["text"])
