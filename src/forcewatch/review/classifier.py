"""Tag officers' free-text submissions with the review areas they speak to.

A small, transparent, local classifier: TF-IDF features of words (1-2 grams) and of characters
(2-5 grams inside words, which copes with typos and with ``PAVA``/``BWV``/``TRiM`` spellings),
then one logistic regression per area (one-vs-rest). It is trained from the bundled synthetic
training set the first time it is needed (about a second on one core) and kept in memory; nothing
is downloaded and nothing is read from outside the package.

Each area gets a score in [0, 1]; an area is returned when its score reaches that area's
threshold, and the top-scoring area is always returned, so every submission gets at least one
area. The thresholds are chosen on the **training set** by 5-fold cross-validation (the threshold
that maximises each area's F1 on out-of-fold scores); the held-out test set is never used to fit
or to tune anything, only to report (:func:`model_card`, ``forcewatch review evaluate``).

Training is deterministic: the folds are shuffled with a fixed seed and liblinear is seeded.
The fitted model is deliberately not pickled to a cache directory: retraining costs about a second,
and loading pickles from a writable directory would let whoever can write there run code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import UsageError
from .areas import AREA_KEYS
from .submissions import (
    TRAINING_FILE,
    LabelledSubmission,
    Submission,
    dataset_sha256,
    read_submissions,
    training_set,
)

if TYPE_CHECKING:  # scikit-learn is imported when a model is first trained, not at start-up
    from sklearn.linear_model import LogisticRegression

__all__ = [
    "METHOD",
    "AreaClassification",
    "AreaClassifier",
    "bundled_classifier",
    "classify",
    "classify_lines",
    "model_card",
]

#: Inverse regularisation strength; chosen by 5-fold CV on the training set (docs/review-classifier.md).
C = 10.0
FOLDS = 5
SEED = 0
#: Candidate thresholds: 0.05, 0.06 ... 0.95.
THRESHOLD_GRID = np.round(np.arange(0.05, 0.9501, 0.01), 2)
METHOD = (
    "TF-IDF (sublinear) of word 1-2 grams and in-word character 2-5 grams; one logistic regression "
    f"per area (one-vs-rest, liblinear solving the dual problem (many more features than examples), C={C:g}, balanced class weights); per-area thresholds chosen "
    f"by {FOLDS}-fold cross-validation on the training set to maximise F1; the top area is always "
    "returned"
)


@dataclass(frozen=True)
class AreaClassification:
    """The areas one submission speaks to (highest score first) and its score for each area."""

    id: Any
    areas: tuple[str, ...]
    scores: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        """The ``forcewatch review classify`` output line: ``{"id", "areas", "scores"}``."""
        return {"id": self.id, "areas": list(self.areas), "scores": dict(self.scores)}


class _Features:
    """Word and character TF-IDF, concatenated."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")
        self.chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
        )

    def fit_transform(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import hstack

        return hstack([self.words.fit_transform(texts), self.chars.fit_transform(texts)]).tocsr()

    def transform(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import hstack

        return hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()


def _label_matrix(examples: Sequence[LabelledSubmission]) -> np.ndarray:
    return np.array([[key in ex.areas for key in AREA_KEYS] for ex in examples], dtype=int)


def _fit(texts: Sequence[str], labels: np.ndarray) -> tuple[_Features, list[LogisticRegression]]:
    from sklearn.linear_model import LogisticRegression

    features = _Features()
    matrix = features.fit_transform(texts)
    models = [
        LogisticRegression(C=C, solver="liblinear", dual=True, class_weight="balanced", random_state=SEED).fit(
            matrix, labels[:, k]
        )
        for k in range(len(AREA_KEYS))
    ]
    return features, models


def _scores(
    features: _Features, models: list[LogisticRegression], texts: Sequence[str]
) -> np.ndarray:
    matrix = features.transform(texts)
    return np.column_stack([m.predict_proba(matrix)[:, 1] for m in models])


def _best_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    """The grid threshold with the highest F1 on these scores; ties go to the one nearest 0.5."""

    def f1(t: float) -> float:
        predicted = scores >= t
        tp = float(np.sum(predicted & (truth == 1)))
        return 2 * tp / max(1.0, float(predicted.sum() + truth.sum()))

    return float(max(THRESHOLD_GRID, key=lambda t: (round(f1(t), 6), -abs(t - 0.5))))


def _decide(scores: np.ndarray, thresholds: np.ndarray) -> tuple[str, ...]:
    """Areas at or above their threshold, plus the top area; highest score first."""
    order = sorted(range(len(AREA_KEYS)), key=lambda k: (-scores[k], k))
    chosen = [k for k in order if scores[k] >= thresholds[k]]
    if order[0] not in chosen:
        chosen.insert(0, order[0])
    return tuple(AREA_KEYS[k] for k in chosen)


class AreaClassifier:
    """A fitted area classifier; build one with :meth:`train` or use :func:`bundled_classifier`."""

    def __init__(
        self,
        features: _Features,
        models: list[LogisticRegression],
        thresholds: np.ndarray,
        *,
        training_sha256: str | None,
        training_size: int,
        cross_validation: dict[str, Any],
    ) -> None:
        self._features = features
        self._models = models
        self._thresholds = thresholds
        self.training_sha256 = training_sha256
        self.training_size = training_size
        self.cross_validation = cross_validation

    @classmethod
    def train(
        cls, examples: Sequence[LabelledSubmission], *, training_sha256: str | None = None
    ) -> AreaClassifier:
        """Fit on ``examples`` and choose each area's threshold by cross-validation on them."""
        labels = _label_matrix(examples)
        counts = labels.sum(axis=0)
        thin = [k for k, n in zip(AREA_KEYS, counts) if n < FOLDS or len(examples) - n < FOLDS]
        if thin:
            raise UsageError(
                f"too few examples in or out of {', '.join(thin)} to train and cross-validate",
                hint=f"give at least {FOLDS} examples with and {FOLDS} without each area",
            )
        texts = [ex.text for ex in examples]
        out_of_fold = np.zeros(labels.shape)
        from sklearn.model_selection import KFold

        for fit_rows, check_rows in KFold(FOLDS, shuffle=True, random_state=SEED).split(texts):
            features, models = _fit([texts[i] for i in fit_rows], labels[fit_rows])
            out_of_fold[check_rows] = _scores(features, models, [texts[i] for i in check_rows])
        thresholds = np.array(
            [_best_threshold(out_of_fold[:, k], labels[:, k]) for k in range(len(AREA_KEYS))]
        )
        from .evaluation import multilabel_metrics

        predicted = [set(_decide(np.round(row, 4), thresholds)) for row in out_of_fold]
        cv = multilabel_metrics(
            [set(ex.areas) for ex in examples],
            predicted,
            [AREA_KEYS[int(np.argmax(row))] for row in out_of_fold],
        )
        features, models = _fit(texts, labels)
        return cls(
            features,
            models,
            thresholds,
            training_sha256=training_sha256,
            training_size=len(examples),
            cross_validation={"folds": FOLDS, "seed": SEED, **cv},
        )

    @property
    def thresholds(self) -> dict[str, float]:
        """Each area's threshold (an area is returned when its score is at or above it)."""
        return {key: float(t) for key, t in zip(AREA_KEYS, self._thresholds)}

    def predict(self, texts: Sequence[str]) -> list[tuple[tuple[str, ...], dict[str, float]]]:
        """For each text: its areas (highest score first) and its five scores (rounded to 4 places)."""
        if not texts:
            return []
        results = []
        for row in np.round(_scores(self._features, self._models, list(texts)), 4):
            results.append(
                (_decide(row, self._thresholds), {key: float(s) for key, s in zip(AREA_KEYS, row)})
            )
        return results

    def classify(self, submissions: Iterable[Submission]) -> list[AreaClassification]:
        """Classify submissions, echoing each ``id`` unchanged."""
        items = list(submissions)
        predictions = self.predict([s.text for s in items])
        return [
            AreaClassification(s.id, areas, scores)
            for s, (areas, scores) in zip(items, predictions)
        ]

    def describe(self) -> dict[str, Any]:
        """What this model is: method, data, thresholds and cross-validated figures on its training data."""
        return {
            "method": METHOD,
            "areas": list(AREA_KEYS),
            "training_data": {
                "file": TRAINING_FILE,
                "sha256": self.training_sha256,
                "size": self.training_size,
                "synthetic": True,
            },
            "hyperparameters": {
                "C": C,
                "word_ngrams": [1, 2],
                "char_ngrams": [2, 5],
                "folds": FOLDS,
                "seed": SEED,
            },
            "thresholds": self.thresholds,
            "cross_validation": self.cross_validation,
        }


@lru_cache(maxsize=1)
def bundled_classifier() -> AreaClassifier:
    """The classifier trained on the bundled training set (trained once per process, then cached)."""
    return AreaClassifier.train(training_set(), training_sha256=dataset_sha256(TRAINING_FILE))


def classify(submissions: Iterable[Submission]) -> list[AreaClassification]:
    """Classify submissions with the bundled classifier."""
    return bundled_classifier().classify(submissions)


def classify_lines(lines: Iterable[str], *, source: str = "<stdin>") -> list[AreaClassification]:
    """Read JSON lines ``{"id", "text"}`` (refused whole if any line is bad) and classify them."""
    return classify(read_submissions(lines, source=source))


def model_card() -> dict[str, Any]:
    """The bundled classifier's model card: method, training data hash and size, thresholds,
    cross-validated figures on the training set and the figures on the held-out test set."""
    from .evaluation import evaluate_classifier

    held_out = evaluate_classifier()
    card = {
        "name": "forcewatch review area classifier",
        **bundled_classifier().describe(),
        "held_out": {
            k: held_out[k] for k in ("test_data", "exact_match", "top1_accuracy", "micro", "macro")
        },
        "intended_use": "suggesting review-area tags for officers' submissions, for a reviewer to confirm",
        "limitations": "trained on 388 synthetic submissions written for forcewatch; not validated on real "
        "submissions; English only; scores are not calibrated probabilities",
    }
    return card
