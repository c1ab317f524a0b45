"""A scikit-learn transformer that cleans HTML pages, to sit first in a Pipeline."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sklearn.base import BaseEstimator, TransformerMixin

from cleaner.api import BATCH_SIZE, DEFAULT_THRESHOLD, Cleaner
from cleaner.errors import CleanerError


class HTMLCleaner(TransformerMixin, BaseEstimator):
    """Turns HTML pages (str or bytes) into their cleaned article text.

    Stateless: `fit` learns nothing, so it can sit first in a Pipeline before a vectorizer.

    Args:
        model: a model file path, or None for the bundled model.
        threshold: keep a block when its content probability is at least this.
        input_format: "auto", "html" or "text".

    >>> from sklearn.pipeline import Pipeline
    >>> from sklearn.feature_extraction.text import CountVectorizer
    >>> page = "<p>The new bridge opened to traffic on Monday, two years behind schedule.</p>"
    >>> pipeline = Pipeline([("clean", HTMLCleaner()), ("count", CountVectorizer())])
    >>> pipeline.fit_transform([page]).shape[0]
    1
    """

    def __init__(self, model: str | None = None, threshold: float = DEFAULT_THRESHOLD, input_format: str = "auto"):
        self.model = model
        self.threshold = threshold
        self.input_format = input_format

    def fit(self, X: Iterable[str | bytes], y: Any = None) -> HTMLCleaner:
        """Check the parameters; there is nothing to learn. Returns self."""
        self._cleaner()
        return self

    def transform(self, X: Iterable[str | bytes]) -> list[str]:
        """The cleaned text of each page, kept blocks one per line."""
        if isinstance(X, (str, bytes)):
            raise ValueError("HTMLCleaner.transform takes a list of documents, not one string")
        cleaner = self._cleaner()
        documents = list(X)
        texts = []
        for start in range(0, len(documents), BATCH_SIZE):
            for result in cleaner.clean_many(documents[start : start + BATCH_SIZE]):
                if isinstance(result, CleanerError):
                    raise result
                texts.append(result.text)
        return texts

    def _cleaner(self) -> Cleaner:
        return Cleaner(self.model, threshold=self.threshold, input_format=self.input_format)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = False
        return tags
