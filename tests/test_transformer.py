"""HTMLCleaner as the first step of a scikit-learn Pipeline."""

from __future__ import annotations

import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils import estimator_checks

from cleaner import HTMLCleaner


def test_transform_returns_cleaned_texts(article_page: str):
    texts = HTMLCleaner().fit([article_page]).transform([article_page, article_page.encode()])
    assert len(texts) == 2 and texts[0] == texts[1]
    assert "steel supports" in texts[0] and "WhatsApp" not in texts[0]


def test_pipeline_with_tfidf_and_a_classifier(article_page: str):
    sport = article_page.replace("bridge", "stadium").replace("harbour", "football")
    pipeline = Pipeline([("clean", HTMLCleaner()), ("tfidf", TfidfVectorizer()), ("model", LogisticRegression())])
    pipeline.fit([article_page, sport], ["transport", "sport"])
    assert list(pipeline.predict([sport])) == ["sport"]
    vocabulary = pipeline.named_steps["tfidf"].vocabulary_
    assert "whatsapp" not in vocabulary and "rights" not in vocabulary


def test_clone_round_trips_parameters():
    original = HTMLCleaner(threshold=0.7, input_format="html")
    copy = clone(original)
    assert copy is not original and copy.get_params() == original.get_params()


def test_one_string_instead_of_a_list_is_refused(article_page: str):
    with pytest.raises(ValueError, match="list of documents"):
        HTMLCleaner().transform(article_page)


@pytest.mark.parametrize(
    "check",
    [
        estimator_checks.check_no_attributes_set_in_init,
        estimator_checks.check_parameters_default_constructible,
        estimator_checks.check_get_params_invariance,
        estimator_checks.check_set_params,
        estimator_checks.check_estimator_repr,
        estimator_checks.check_estimator_cloneable,
        estimator_checks.check_estimator_tags_renamed,
        estimator_checks.check_valid_tag_types,
        estimator_checks.check_do_not_raise_errors_in_init_or_set_params,
    ],
    ids=lambda check: check.__name__,
)
def test_applicable_estimator_checks(check):
    check(HTMLCleaner.__name__, HTMLCleaner())
