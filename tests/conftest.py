"""Shared fixtures: paths, a small model trained on a few of our labelled pages, sample pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import ARTICLE_PAGE, SMALL_TRAINING_SET, TRAINING_PAGES

from cleaner.storage import save_model
from cleaner.training import train_model


@pytest.fixture(scope="session")
def small_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model trained on SMALL_TRAINING_SET, saved with its card."""
    model = train_model([TRAINING_PAGES / name for name in SMALL_TRAINING_SET])
    path = tmp_path_factory.mktemp("model") / "small.skops"
    save_model(model, path)
    return path


@pytest.fixture()
def article_page() -> str:
    return ARTICLE_PAGE
