"""The block classifier: a linear model per block, then a page-relative second stage."""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GroupKFold
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import ThreadpoolController

from cleaner.blocks import Block
from cleaner.features import BlockFeaturizer, neighbour_rows

LABELS = ("boilerplate", "content", "promo")
# Version of the features both stages compute. Bump it whenever a feature is added, removed or
# changed: a model trained on another layout is refused at load time instead of mispredicting.
FEATURE_LAYOUT = 4
CONTENT = "content"
# Windows (in blocks each side) over which neighbours' first-stage probabilities are averaged:
# promos come in runs, and the article is a long run of content.
CONTEXT_WINDOWS = (1, 3, 7)
# L2 strength of the first stage. 2e-6 let weights grow until probabilities saturated at 0 and 1
# (short plain-text documents flipped on shape features alone); 1e-5 gave WCXB test F1 0.968,
# 5e-5 gave 0.959 and let more promo snippets through in plain text.
BLOCK_MODEL_ALPHA = 1e-5
# Passes of SGD over the blocks. The first probe (FINDINGS.md) found SGD at this budget as good
# as LogisticRegression run to convergence, in a twentieth of the time.
BLOCK_MODEL_EPOCHS = 30
# Blocks whose sparse features are built at once when predicting: a batch of pages is one go;
# a 20 MB page of 190,000 paragraphs peaked at 2.3 GB before, when they were built all at once.
PREDICT_CHUNK = 4096
# First-stage content probability above which a block counts towards the page's main run.
RUN_THRESHOLD = 0.5


def page_slices(blocks: Sequence[Block]) -> list[slice]:
    """The slices of a flat block list that hold one page each (a page starts at index 0)."""
    starts = [i for i, b in enumerate(blocks) if b.index == 0 or i == 0]
    ends = starts[1:] + [len(blocks)]
    return [slice(s, e) for s, e in zip(starts, ends)]


def page_groups(blocks: Sequence[Block]) -> np.ndarray:
    """A page number for every block, for grouped cross-validation."""
    groups = np.zeros(len(blocks), dtype=int)
    for number, part in enumerate(page_slices(blocks)):
        groups[part] = number
    return groups


def _window_mean(values: np.ndarray, radius: int) -> np.ndarray:
    """Mean of values[i-radius : i+radius+1], clipped at the edges of one page."""
    cumulative = np.concatenate([[0.0], np.cumsum(values)])
    n = len(values)
    index = np.arange(n)
    low = np.maximum(index - radius, 0)
    high = np.minimum(index + radius + 1, n)
    return (cumulative[high] - cumulative[low]) / (high - low)


def _main_run(content: np.ndarray, chars: np.ndarray) -> tuple[int, int]:
    """The [start, end) run of likely-content blocks that holds the most content characters.

    One unlikely block between two likely ones does not end a run: articles carry single
    asides, and the decision for those is left to the block's own evidence.
    """
    best, best_mass = (0, 0), 0.0
    start, mass, gap = None, 0.0, 0
    for i, p in enumerate(content):
        if p >= RUN_THRESHOLD:
            if start is None:
                start, mass = i, 0.0
            mass += chars[i] * p
            gap = 0
            if mass > best_mass:
                best, best_mass = (start, i + 1), mass
        elif start is not None:
            gap += 1
            if gap > 1:
                start, gap = None, 0
    return best


_TOPIC_WORD = re.compile(r"\w{4,}")


def topic_overlap(texts: Sequence[str], content: np.ndarray) -> np.ndarray:
    """Per block: overlap of its words with the likely content (others), the next and the previous
    block; the overlap of the previous block with the next; and how much more that is than the
    block's own overlap with either.

    Articles stay on their topic; promos and links to other stories talk about something else,
    and a subheading shares words with the paragraph after it. A line slipped in between two
    paragraphs that continue each other is an intruder: its neighbours share more words with
    each other than with it (the last two columns: in 5-fold cross-validation over the training
    pages, WCXB dev promo leak at threshold 0.7 went from 4.5 % to 4.0 %, plain text from 17.9 %
    to 16.5 %, F1 the same). Words of 4+ letters count.
    """
    words = [set(_TOPIC_WORD.findall(t.lower())) for t in texts]
    weights: dict[str, float] = {}
    for block_words, p in zip(words, content):
        for word in block_words:
            weights[word] = weights.get(word, 0.0) + p
    overlap = np.zeros((len(texts), 5))
    for i, (block_words, p) in enumerate(zip(words, content)):
        if 0 < i < len(words) - 1 and words[i - 1] and words[i + 1]:
            overlap[i, 3] = len(words[i - 1] & words[i + 1]) / min(len(words[i - 1]), len(words[i + 1]))
        if not block_words:
            continue
        size = len(block_words)
        overlap[i, 0] = sum(min(1.0, weights[w] - p) for w in block_words) / size
        if i + 1 < len(words):
            overlap[i, 1] = len(block_words & words[i + 1]) / size
        if i > 0:
            overlap[i, 2] = len(block_words & words[i - 1]) / size
    overlap[:, 4] = overlap[:, 3] - overlap[:, 1:3].max(axis=1)
    return overlap


def page_relative_features(blocks: Sequence[Block], probabilities: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """Second-stage features: each block's first-stage output against the rest of its page,
    next to the block's own numeric features (`numbers`: shape, links, markup context)."""
    content_col = LABELS.index(CONTENT)
    promo_col = LABELS.index("promo")
    rows = []
    for part in page_slices(blocks):
        proba = probabilities[part]
        page = blocks[part]
        n = len(page)
        content = proba[:, content_col]
        promo = proba[:, promo_col]
        chars = np.array([len(b.text) for b in page], dtype=float)
        page_chars = chars.sum()
        start, end = _main_run(content, chars)
        index = np.arange(n)
        in_run = (index >= start) & (index < end)
        before = np.clip(start - index, 0, None) / n
        after = np.clip(index - end + 1, 0, None) / n
        order = np.argsort(-content, kind="stable")
        rank = np.empty(n)
        rank[order] = np.arange(n) / max(1, n - 1)
        likely = content >= RUN_THRESHOLD
        columns = [proba, content[:, None], promo[:, None]]
        for radius in CONTEXT_WINDOWS:
            columns.append(_window_mean(content, radius)[:, None])
            columns.append(_window_mean(promo, radius)[:, None])
        starts = np.zeros(n, dtype=bool)
        columns += [
            topic_overlap([b.text for b in page], content),
            neighbour_rows(proba, starts, -1),
            neighbour_rows(proba, starts, 1),
            np.column_stack(
                [
                    np.full(n, content.max()),
                    np.full(n, content.mean()),
                    np.full(n, (content * chars).sum() / max(1.0, page_chars)),
                    np.full(n, likely.mean()),
                    rank,
                    chars / max(1.0, page_chars),
                    chars / max(1.0, chars.max()),
                    in_run,
                    before,
                    after,
                    np.full(n, chars[start:end].sum() / max(1.0, page_chars)),
                    np.log1p(chars) / 8.0,
                ]
            ),
        ]
        columns.append(numbers[part])
        rows.append(np.hstack(columns))
    return np.vstack(rows) if rows else np.zeros((0, 0))


class BlockClassifier(ClassifierMixin, BaseEstimator):
    """Labels blocks as content, promo or boilerplate, using the page around each block.

    Stage one is a linear model over `featurizer`'s rows (wording, markup, neighbours) that
    tells the three labels apart. Stage two, a gradient-boosted model, decides content or not:
    it sees each block's stage-one probabilities next to its page's (window averages, the
    page's maximum and mean, the block's rank, its place relative to the main run of likely
    content, its words' overlap with that content) and the block's numeric features. Stage two
    is trained on out-of-fold stage-one outputs (folds grouped by page), so it learns how stage
    one errs on unseen pages; stage one's final weights are the mean of the out-of-fold models'
    and the one fitted on all blocks. A block that is not content is promo or boilerplate in the
    proportion stage one gives.

    Args:
        use_markup: use markup features (False for a plain-text model).
        alpha: L2 regularisation of the stage-one linear model.
        cv: number of page-grouped folds for the out-of-fold stage-one outputs.
        random_state: seed of both stages; the same data and seed give the same model.
    """

    def __init__(
        self,
        use_markup: bool = True,
        alpha: float = BLOCK_MODEL_ALPHA,
        cv: int = 5,
        random_state: int = 0,
    ):
        self.use_markup = use_markup
        self.alpha = alpha
        self.cv = cv
        self.random_state = random_state

    def _block_model(self) -> SGDClassifier:
        return SGDClassifier(
            loss="log_loss",
            alpha=self.alpha,
            max_iter=BLOCK_MODEL_EPOCHS,
            tol=1e-4,
            random_state=self.random_state,
            # One thread per label's one-vs-rest model; each has its own seed, so the model is
            # the same with any number of threads. The bundled model's rebuild: 75 s -> 49 s.
            n_jobs=len(LABELS),
        )

    def fit(self, blocks: Sequence[Block], labels: Sequence[str]) -> BlockClassifier:
        """Train both stages on blocks (pages concatenated in order) and their labels."""
        with warnings.catch_warnings():
            # Stopping SGD after BLOCK_MODEL_EPOCHS passes is deliberate; its warning is noise.
            warnings.simplefilter("ignore", ConvergenceWarning)
            return self._fit(blocks, labels)

    def _fit(self, blocks: Sequence[Block], labels: Sequence[str]) -> BlockClassifier:
        blocks = list(blocks)
        y = np.asarray(labels)
        unknown = set(y) - set(LABELS)
        if unknown:
            raise ValueError(f"unknown labels {sorted(unknown)}; expected {LABELS}")
        if len(blocks) != len(y):
            raise ValueError(f"{len(blocks)} blocks but {len(y)} labels")
        self.classes_ = np.array(LABELS)
        self.featurizer_ = BlockFeaturizer(use_markup=self.use_markup).fit(blocks)
        features, numbers = self.featurizer_.features(blocks)
        groups = page_groups(blocks)
        out_of_fold = np.zeros((len(blocks), len(LABELS)))
        folds = min(self.cv, groups.max() + 1)
        fold_models = []
        if folds >= 2:
            for train, test in GroupKFold(n_splits=folds).split(features, y, groups):
                model = self._block_model().fit(features[train], y[train])
                out_of_fold[test] = _aligned_proba(model, features[test])
                fold_models.append(model)
        self.block_model_ = self._block_model().fit(features, y)
        if folds < 2:
            out_of_fold = _aligned_proba(self.block_model_, features)
        _average_weights(self.block_model_, fold_models)
        self.page_model_ = HistGradientBoostingClassifier(
            max_iter=200,
            learning_rate=0.1,
            max_leaf_nodes=31,
            l2_regularization=1.0,
            random_state=self.random_state,
        ).fit(page_relative_features(blocks, out_of_fold, numbers), y == CONTENT)
        _shrink(self.block_model_)
        return self

    def predict_proba(self, blocks: Sequence[Block]) -> np.ndarray:
        """Probabilities of LABELS, one row per block."""
        check_is_fitted(self, "page_model_")
        blocks = list(blocks)
        if not blocks:
            return np.zeros((0, len(LABELS)))
        first, numbers = self._first_stage(blocks)
        relative = page_relative_features(blocks, first, numbers)
        # One page is a few hundred rows: threads only add start-up cost, and on a busy
        # machine OpenMP's waiting threads made cleaning several times slower.
        with _thread_controller().limit(limits=1, user_api="openmp"):
            content = self.page_model_.predict_proba(relative)[:, 1]
        return split_non_content(content, first)

    def _first_stage(self, blocks: list[Block]) -> tuple[np.ndarray, np.ndarray]:
        """Stage-one probabilities and the numeric features of the blocks, computed PREDICT_CHUNK
        blocks at a time (with one more on each side, for the neighbour features), so that a
        huge page never holds all its sparse feature rows at once."""
        probabilities, numbers = [], []
        for start in range(0, len(blocks), PREDICT_CHUNK):
            end = min(start + PREDICT_CHUNK, len(blocks))
            low, high = max(0, start - 1), min(len(blocks), end + 1)
            features, chunk_numbers = self.featurizer_.features(blocks[low:high])
            rows = slice(start - low, start - low + end - start)
            probabilities.append(_aligned_proba(self.block_model_, features[rows]))
            numbers.append(chunk_numbers[rows])
        return np.vstack(probabilities), np.vstack(numbers)

    def predict(self, blocks: Sequence[Block]) -> np.ndarray:
        """The most likely label of each block."""
        return self.classes_[self.predict_proba(blocks).argmax(axis=1)]


@functools.cache
def _thread_controller() -> ThreadpoolController:
    """The thread pools of the loaded libraries, found once (looking them up costs milliseconds)."""
    return ThreadpoolController()


def split_non_content(content: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Probabilities of LABELS: the second stage's content probability, and the rest shared
    between boilerplate and promo as the first stage shares it."""
    boilerplate, promo = first[:, LABELS.index("boilerplate")], first[:, LABELS.index("promo")]
    promo_share = np.divide(promo, boilerplate + promo, out=np.full(len(promo), 0.5), where=boilerplate + promo > 0)
    proba = np.empty((len(content), len(LABELS)))
    proba[:, LABELS.index(CONTENT)] = content
    proba[:, LABELS.index("promo")] = (1 - content) * promo_share
    proba[:, LABELS.index("boilerplate")] = (1 - content) * (1 - promo_share)
    return proba


def _align_columns(proba: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Probabilities in LABELS order, zero for a label the model never saw."""
    aligned = np.zeros((proba.shape[0], len(LABELS)))
    for column, label in enumerate(classes):
        aligned[:, LABELS.index(label)] = proba[:, column]
    return aligned


def _aligned_proba(model: SGDClassifier, features: object) -> np.ndarray:
    return _align_columns(model.predict_proba(features), model.classes_)


def _average_weights(model: SGDClassifier, others: Sequence[SGDClassifier]) -> None:
    """Give `model` the mean weights of itself and the others that know the same labels.

    The out-of-fold models are fitted anyway; averaging them with the full one is bagging for
    free. One SGD run's weights depend on the order it visits the blocks: with the seed alone,
    WCXB test promo leak ranged over 8.5-18.6 % for one model and was 13.6 % for each of three
    seeds averaged this way; in 5-fold cross-validation over the training pages, WCXB dev F1 at
    threshold 0.6 rose from 0.940 to 0.944 (2026-11-28).
    """
    same = [m for m in others if np.array_equal(m.classes_, model.classes_)]
    if same:
        model.coef_ = np.mean([m.coef_ for m in [model, *same]], axis=0)
        model.intercept_ = np.mean([m.intercept_ for m in [model, *same]], axis=0)


def _shrink(model: SGDClassifier) -> None:
    """Store the linear weights as float32: half the size on disk, the same decisions."""
    model.coef_ = model.coef_.astype(np.float32)
    model.intercept_ = model.intercept_.astype(np.float32)
