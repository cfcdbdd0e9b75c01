"""The national Officer and Staff Safety Review: its five areas, tagging submissions, redaction.

- :mod:`.areas`: the five areas (keys, review codes, English and Welsh labels, descriptions)
- :mod:`.submissions`: reading submissions as JSON lines; the bundled synthetic data
- :mod:`.classifier`: the local area classifier and its model card
- :mod:`.evaluation`: its figures on the held-out set
- :mod:`.redaction`: finding and redacting names, collar numbers, phone numbers and other identifiers

Stored submissions and the report by area, which use the database, are imported on their own (so
``forcewatch review classify`` starts quickly):

- :mod:`.store`: submissions with consent, moderation, suggested and confirmed areas, author kept
  for the review team only (``submit``, ``redact_submission``, ``confirm_areas``, ...)
- :mod:`.themes`: themes within each area, coded by keyword
- :mod:`.report`: ``area_report``, the report by area for the chiefs' council and the public
"""

from .areas import AREA_KEYS, AREAS, WELSH_LABELS_CHECKED, ReviewArea, area
from .classifier import (
    AreaClassification,
    AreaClassifier,
    bundled_classifier,
    classify,
    classify_lines,
    model_card,
)
from .evaluation import evaluate_classifier, evaluate_redaction
from .redaction import (
    Finding,
    RedactedSubmission,
    Redaction,
    find_identifiers,
    redact,
    redact_lines,
)
from .submissions import (
    LabelledSubmission,
    Submission,
    held_out_set,
    read_submissions,
    training_set,
)

__all__ = [
    "AREAS",
    "AREA_KEYS",
    "WELSH_LABELS_CHECKED",
    "AreaClassification",
    "AreaClassifier",
    "Finding",
    "LabelledSubmission",
    "RedactedSubmission",
    "Redaction",
    "ReviewArea",
    "Submission",
    "area",
    "bundled_classifier",
    "classify",
    "classify_lines",
    "evaluate_classifier",
    "evaluate_redaction",
    "find_identifiers",
    "held_out_set",
    "model_card",
    "read_submissions",
    "redact",
    "redact_lines",
    "training_set",
]
