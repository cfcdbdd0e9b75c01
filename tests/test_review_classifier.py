"""The officer safety review: its five areas, the area classifier, its held-out figures, its CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from forcewatch.errors import InputRefused, UnknownName, UsageError
from forcewatch.review import (
    AREA_KEYS,
    AREAS,
    WELSH_LABELS_CHECKED,
    AreaClassifier,
    area,
    bundled_classifier,
    evaluate_classifier,
    held_out_set,
    model_card,
    read_submissions,
    training_set,
)
from forcewatch.review import submissions as submissions_module
from forcewatch.review.evaluation import multilabel_metrics
from forcewatch.review.submissions import TEST_FILE, TRAINING_FILE, dataset_sha256

# Floors for the held-out figures. Measured (docs/review-classifier.md): top-1 0.944, micro F1 0.844,
# macro F1 0.844, exact match 0.653, lowest area F1 0.80. Always answering the commonest area gets
# top-1 0.26, so each floor sits well above chance and about ten points below what is measured:
# room for honest changes to the data, none for a broken model.
TOP1_FLOOR = 0.80
MICRO_F1_FLOOR = 0.75
MACRO_F1_FLOOR = 0.72
EXACT_MATCH_FLOOR = 0.50
AREA_F1_FLOOR = 0.60


# --- the five areas ---------------------------------------------------------------------------


def test_the_five_areas_have_the_interface_keys_and_the_review_codes() -> None:
    assert AREA_KEYS == (
        "training",
        "equipment",
        "deployment",
        "investigation_aftercare",
        "criminal_justice",
    )
    assert [a.code for a in AREAS] == [
        "TRAINING",
        "EQUIPMENT",
        "DEPLOYMENT_PLANNING",
        "INVESTIGATION_AFTERCARE",
        "CJS_DETERRENCE",
    ]
    for a in AREAS:
        assert a.label_en and a.label_cy and len(a.description) > 100


def test_the_descriptions_say_what_belongs_in_each_area() -> None:
    for kit in ("Taser", "body armour", "spit and bite guards", "radios"):
        assert kit in area("equipment").description
    assert "Operation Hampshire" in area("investigation_aftercare").description
    assert "own assault" in area("investigation_aftercare").description
    assert "body-worn video shown in court" in area("criminal_justice").description


def test_welsh_labels_are_marked_as_needing_a_check() -> None:
    assert WELSH_LABELS_CHECKED is False
    assert area("training").as_dict()["label_cy_checked"] is False


def test_an_area_is_found_by_key_or_review_code_in_any_case() -> None:
    assert area("CJS_DETERRENCE") is area("criminal_justice") is area(" Criminal_Justice ")
    with pytest.raises(UnknownName) as caught:
        area("equipmnt")
    assert caught.value.suggestions[0] == "equipment"


# --- the bundled data ---------------------------------------------------------------------------


def test_the_training_and_held_out_sets_are_large_enough_and_labelled() -> None:
    train, test = training_set(), held_out_set()
    assert len(train) >= 300 and len(test) >= 60
    for key in AREA_KEYS:
        assert sum(key in ex.areas for ex in test) >= 10, key
        assert sum(key in ex.areas for ex in train) >= 50, key
    assert sum(len(ex.areas) > 1 for ex in train) >= 50, "some submissions touch two or three areas"
    assert len({ex.id for ex in train} | {ex.id for ex in test}) == len(train) + len(test)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_the_held_out_set_is_not_in_the_training_data_even_nearly() -> None:
    train = training_set()
    train_words = [set(_words(ex.text)) for ex in train]
    train_shingles = [_shingles(ex.text) for ex in train]
    for ex in held_out_set():
        words, shingles = set(_words(ex.text)), _shingles(ex.text)
        for other, (w, s) in zip(train, zip(train_words, train_shingles)):
            jaccard = len(words & w) / len(words | w)
            shared = len(shingles & s) / max(1, min(len(shingles), len(s)))
            assert jaccard < 0.5 and shared < 0.35, f"{ex.id} is too close to {other.id}"


# --- the classifier -----------------------------------------------------------------------------


def test_scores_cover_all_five_areas_in_the_unit_interval_and_the_top_area_is_always_returned() -> (
    None
):
    texts = ["More tasers pls", "x", "The court gave him a fine and my sergeant never rang me"]
    for areas, scores in bundled_classifier().predict(texts):
        assert list(scores) == list(AREA_KEYS)
        assert all(0.0 <= s <= 1.0 for s in scores.values())
        assert areas and areas[0] == max(scores, key=lambda k: scores[k])
        thresholds = bundled_classifier().thresholds
        assert set(areas[1:]) <= {k for k in AREA_KEYS if scores[k] >= thresholds[k]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Nobody checked my welfare after I was bitten, I had to chase OH myself",
            "investigation_aftercare",
        ),
        ("The CPS dropped the charge and the magistrates gave him a fine", "criminal_justice"),
        (
            "My body armour doesn't fit and the radio battery dies halfway through nights",
            "equipment",
        ),
        ("We are single crewed every weekend and backup is forty minutes away", "deployment"),
        ("PST refresher was a day of powerpoint and one takedown on a mat", "training"),
    ],
)
def test_plain_submissions_go_to_the_obvious_area(text: str, expected: str) -> None:
    areas, _ = bundled_classifier().predict([text])[0]
    assert areas[0] == expected


def test_training_is_deterministic_and_never_reads_the_held_out_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [ex.text for ex in held_out_set()]
    expected = bundled_classifier().predict(texts)
    labelled, data_bytes = submissions_module._labelled, submissions_module._data_bytes

    def guard(function):  # type: ignore[no-untyped-def]
        def guarded(name: str):  # type: ignore[no-untyped-def]
            assert name != TEST_FILE, "training must not read the held-out set"
            return function(name)

        return guarded

    monkeypatch.setattr(submissions_module, "_labelled", guard(labelled))
    monkeypatch.setattr(submissions_module, "_data_bytes", guard(data_bytes))
    again = AreaClassifier.train(training_set(), training_sha256=dataset_sha256(TRAINING_FILE))
    assert again.thresholds == bundled_classifier().thresholds
    assert again.predict(texts) == expected


def test_training_refuses_too_few_examples_of_an_area() -> None:
    with pytest.raises(UsageError, match="too few examples"):
        AreaClassifier.train(training_set()[:6])


def test_multilabel_metrics_on_a_tiny_worked_example() -> None:
    truth = [{"training"}, {"equipment", "deployment"}, {"criminal_justice"}]
    predicted = [{"training"}, {"equipment"}, {"criminal_justice", "training"}]
    top = ["training", "equipment", "training"]
    m = multilabel_metrics(truth, predicted, top)
    assert m["exact_match"] == round(1 / 3, 4)
    assert m["top1_accuracy"] == round(2 / 3, 4)
    per = {a["area"]: a for a in m["per_area"]}
    assert per["training"] == {
        "area": "training",
        "precision": 0.5,
        "recall": 1.0,
        "f1": 0.6667,
        "support": 1,
        "predicted": 2,
    }
    assert per["deployment"]["recall"] == 0.0
    # micro: 3 true positives (training, equipment, criminal_justice), 1 false (training), 1 missed (deployment)
    assert m["micro"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75}


def test_held_out_figures_stay_above_their_floors() -> None:
    doc = evaluate_classifier()
    assert doc["test_data"]["size"] == len(held_out_set()) >= 60
    assert doc["top1_accuracy"] >= TOP1_FLOOR
    assert doc["micro"]["f1"] >= MICRO_F1_FLOOR
    assert doc["macro"]["f1"] >= MACRO_F1_FLOOR
    assert doc["exact_match"] >= EXACT_MATCH_FLOOR
    for row in doc["per_area"]:
        assert row["f1"] >= AREA_F1_FLOOR, row


def test_the_documented_figures_are_the_ones_the_code_produces() -> None:
    doc = evaluate_classifier()
    note = (Path(__file__).resolve().parents[1] / "docs" / "review-classifier.md").read_text()
    for figure in (
        doc["top1_accuracy"],
        doc["exact_match"],
        doc["micro"]["f1"],
        doc["macro"]["f1"],
    ):
        assert f"{figure:.4f}" in note, (
            f"update docs/review-classifier.md: {figure:.4f} is not in it"
        )


def test_the_model_card_says_what_the_model_learned_from_and_how_it_does() -> None:
    card = model_card()
    assert card["training_data"] == {
        "file": TRAINING_FILE,
        "sha256": dataset_sha256(TRAINING_FILE),
        "size": len(training_set()),
        "synthetic": True,
    }
    assert "logistic regression" in card["method"] and "cross-validation" in card["method"]
    assert set(card["thresholds"]) == set(AREA_KEYS)
    assert card["cross_validation"]["folds"] == 5
    assert card["held_out"]["top1_accuracy"] == evaluate_classifier()["top1_accuracy"]


# --- reading submissions ------------------------------------------------------------------------


def test_every_bad_line_is_reported_with_its_number_and_the_fix() -> None:
    lines = [
        '{"id": 1, "text": "fine"}',
        "not json",
        '{"text": "no id"}',
        '{"id": 2}',
        '{"id": 3, "text": " "}',
        "[1, 2]",
        '{"id": 4, "text": 5}',
        '{"id": 5, "text": NaN}',
    ]
    with pytest.raises(InputRefused) as caught:
        read_submissions(lines, source="in.jsonl")
    rows = [(p.row, p.file) for p in caught.value.problems]
    assert rows == [(n, "in.jsonl") for n in range(2, 9)]
    assert all(p.expected for p in caught.value.problems)


def test_blank_lines_and_a_byte_order_mark_are_accepted() -> None:
    subs = read_submissions(
        ['\ufeff{"id": null, "text": "a"}', "", "   ", '{"id": [1], "text": "b"}']
    )
    assert [(s.id, s.text, s.line) for s in subs] == [(None, "a", 1), ([1], "b", 4)]


# --- the command line ---------------------------------------------------------------------------


def test_classify_prints_one_json_line_per_submission_echoing_each_id(cli) -> None:  # type: ignore[no-untyped-def]
    ids = [7, "s-2", None, {"force": "W15000004", "n": [1, 2]}, 1.5, True]
    stdin = "".join(
        json.dumps({"id": i, "text": "Sentences for spitting at police are far too low"}) + "\n"
        for i in ids
    )
    result = cli("review", "classify", stdin=stdin)
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ids
    for line in lines:
        assert list(line) == ["id", "areas", "scores"]
        assert list(line["scores"]) == list(AREA_KEYS)
        assert line["areas"][0] == "criminal_justice"


def test_classify_reads_a_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "a", "text": "Give every response officer a Taser and a body cam that works"}\n'
    )
    result = cli("review", "classify", str(path))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["areas"][0] == "equipment"


def test_classify_empty_input_prints_nothing_and_exits_0(cli) -> None:  # type: ignore[no-untyped-def]
    for stdin in ("", "\n\n"):
        result = cli("review", "classify", stdin=stdin)
        assert (result.exit_code, result.stdout) == (0, "")


def test_classify_refuses_the_whole_input_when_a_line_is_bad(cli) -> None:  # type: ignore[no-untyped-def]
    stdin = '{"id": 1, "text": "More Taser"}\n{"id": 2, "txt": "typo"}\n{oops\n'
    result = cli("review", "classify", stdin=stdin)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "row 2" in result.stderr and 'no "text"' in result.stderr
    assert "row 3" in result.stderr and "not JSON" in result.stderr


def test_classify_a_missing_file_is_wrong_usage(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("review", "classify", str(tmp_path / "absent.jsonl")).exit_code == 2


def test_evaluate_as_json_is_the_library_figures(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("review", "evaluate", "--format", "json")
    assert result.exit_code == 0
    assert result.json() == json.loads(json.dumps(evaluate_classifier()))


def test_evaluate_as_a_table_names_every_area(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("review", "evaluate")
    assert result.exit_code == 0
    assert all(key in result.stdout for key in AREA_KEYS) and "top-1 accuracy" in result.stdout


def test_areas_and_model_card_as_json(cli) -> None:  # type: ignore[no-untyped-def]
    areas = cli("review", "areas", "--format", "json").json()
    assert [a["key"] for a in areas] == list(AREA_KEYS)
    card = cli("review", "model-card", "--format", "json").json()
    assert card["training_data"]["size"] == len(training_set())


def test_classify_refuses_a_file_that_is_not_utf8(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"id": 1, "text": "fine"}\n{"id": 2, "text": "caf\u00e9"}\n'.encode("latin-1"))
    result = cli("review", "classify", str(path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert "row 2" in result.stderr and "UTF-8" in result.stderr
