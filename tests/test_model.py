"""Training the block classifier and saving it."""

from __future__ import annotations

import collections
import fractions
import json
import pickle
from pathlib import Path

import numpy as np
import pytest
import skops.io
from sklearn.base import clone
from support import SMALL_TRAINING_SET, TRAINING_PAGES

from cleaner.corpus import flatten, read_labelled_page
from cleaner.errors import ModelError
from cleaner.model import LABELS, BlockClassifier, page_slices, topic_overlap
from cleaner.storage import load_model, read_card


@pytest.fixture(scope="module")
def small_data():
    pages = [read_labelled_page(TRAINING_PAGES / name) for name in SMALL_TRAINING_SET[:5]]
    return flatten(pages)


def test_training_gives_probabilities_for_every_label(small_data):
    blocks, labels = small_data
    model = BlockClassifier(cv=2).fit(blocks, labels)
    proba = model.predict_proba(blocks)
    assert proba.shape == (len(blocks), len(LABELS))
    assert np.allclose(proba.sum(axis=1), 1.0)
    accuracy = (model.predict(blocks) == np.asarray(labels)).mean()
    assert accuracy > 0.85, "a model should at least fit its own training pages"


def test_same_data_and_seed_give_the_same_model(small_data):
    blocks, labels = small_data
    first = BlockClassifier(cv=2, random_state=3).fit(blocks, labels).predict_proba(blocks)
    second = BlockClassifier(cv=2, random_state=3).fit(blocks, labels).predict_proba(blocks)
    assert np.array_equal(first, second)


def test_classifier_clones_and_refuses_unknown_labels(small_data):
    blocks, labels = small_data
    model = clone(BlockClassifier(alpha=1e-5))
    assert model.get_params()["alpha"] == 1e-5
    with pytest.raises(ValueError, match="unknown labels"):
        model.fit(blocks[:3], ["content", "advert", "promo"])


def test_page_slices_split_at_index_zero(small_data):
    blocks, _ = small_data
    slices = page_slices(blocks)
    assert len(slices) == 5
    assert all(blocks[s.start].index == 0 for s in slices)


def test_a_line_slipped_between_paragraphs_that_continue_each_other_scores_as_an_intruder():
    texts = [
        "The harbour bridge reopened on Monday after engineers replaced corroded steel supports.",
        "Best Streaming Services Ranked for Families",
        "Engineers said the replaced steel supports would be inspected every six months.",
        "Ferry timetable",
        "The ferry timetable changes next week, when buses return to the bridge.",
    ]
    overlap = topic_overlap(texts, np.ones(len(texts)))
    neighbours_shared, intruder_margin = overlap[:, 3], overlap[:, 4]
    # The headline's neighbours share "engineers", "replaced", "steel", "supports"; it shares nothing.
    assert neighbours_shared[1] == 4 / 9 and intruder_margin[1] == neighbours_shared[1]
    # The subheading shares its words with the paragraph after it: no intruder.
    assert intruder_margin[3] < 0
    # The first and last lines have one neighbour only.
    assert neighbours_shared[0] == neighbours_shared[4] == 0


def test_saved_model_has_a_card_and_loads(small_model_path: Path):
    card = read_card(small_model_path)
    assert card["labels"] == list(LABELS)
    assert card["training_data"]["pages"] == len(SMALL_TRAINING_SET)
    assert len(card["training_data"]["sha256"]) == 64
    assert "scikit-learn" in card["versions"]
    model = load_model(small_model_path)
    assert model.html.use_markup and not model.text.use_markup


def test_model_of_another_scikit_learn_version_is_refused(small_model_path: Path, tmp_path: Path):
    copy = tmp_path / "old.skops"
    copy.write_bytes(small_model_path.read_bytes())
    card = read_card(small_model_path)
    card["versions"]["scikit-learn"] = "0.24.2"
    copy.with_suffix(".json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="scikit-learn 0.24.2.*cleaner train"):
        load_model(copy)


def test_model_of_another_feature_layout_is_refused(small_model_path: Path, tmp_path: Path):
    copy = tmp_path / "older.skops"
    copy.write_bytes(small_model_path.read_bytes())
    card = read_card(small_model_path)
    card["feature_layout"] -= 1
    copy.with_suffix(".json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="feature layout.*cleaner train"):
        load_model(copy)


def test_a_file_that_is_not_a_model_is_refused(small_model_path: Path, tmp_path: Path):
    bogus = tmp_path / "bogus.skops"
    bogus.write_bytes(b"this is not a model")
    bogus.with_suffix(".json").write_text(small_model_path.with_suffix(".json").read_text())
    with pytest.raises(ModelError, match="not a cleaner model"):
        load_model(bogus)
    with pytest.raises(ModelError, match="no such model file"):
        load_model(tmp_path / "missing.skops")


class _WritesAFile:
    """Unpickling this calls pathlib's write_text: what a hostile model file would do."""

    def __init__(self, target: Path):
        self.target = target

    def __reduce__(self):
        return (Path.write_text, (self.target, "owned"))


def test_a_pickle_that_runs_code_is_refused_and_never_run(small_model_path: Path, tmp_path: Path):
    target = tmp_path / "written-by-the-model-file"
    crafted = tmp_path / "crafted.skops"
    crafted.write_bytes(pickle.dumps({"format": 2, "html": _WritesAFile(target)}))
    crafted.with_suffix(".json").write_text(small_model_path.with_suffix(".json").read_text())
    with pytest.raises(ModelError, match="pickles are never loaded"):
        load_model(crafted)
    assert not target.exists()


def test_a_model_file_with_a_foreign_type_is_refused(small_model_path: Path, tmp_path: Path):
    crafted = tmp_path / "foreign.skops"
    skops.io.dump({"format": 2, "html": collections.OrderedDict(), "text": fractions.Fraction(1, 3)}, crafted)
    crafted.with_suffix(".json").write_text(small_model_path.with_suffix(".json").read_text())
    with pytest.raises(ModelError, match="refused.*fractions.Fraction"):
        load_model(crafted)
