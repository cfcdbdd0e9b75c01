"""Finding and redacting identifiers in officers' free text before anything is shared."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcewatch.review import Finding, evaluate_redaction, find_identifiers, redact
from forcewatch.review.evaluation import parse_annotated
from forcewatch.review.redaction import PLACEHOLDERS

# Every name, number and address here is made up.
REDACTED = [
    # ranks and titles followed by names; the rank is kept
    ("PC Smith arrived first.", "PC [NAME] arrived first."),
    ("Sgt. O'Neill took my statement.", "Sgt. [NAME] took my statement."),
    ("DC Amir Khan was the OIC.", "DC [NAME] was the OIC."),
    ("Inspector Jones never rang.", "Inspector [NAME] never rang."),
    ("Ch Supt MacDonald visited the team.", "Ch Supt [NAME] visited the team."),
    ("Detective Sergeant Adeyemi was great.", "Detective Sergeant [NAME] was great."),
    ("my sergeant Dave sorted it", "my sergeant [NAME] sorted it"),
    ("PCSO Wiśniewska was punched.", "PCSO [NAME] was punched."),
    ("PC White and PC Brown were both hurt.", "PC [NAME] and PC [NAME] were both hurt."),
    ("PC Winter drove, Insp Hall watched.", "PC [NAME] drove, Insp [NAME] watched."),
    ("My DS, Chloe Ng, was great.", "My DS, [NAME], was great."),
    ("Mrs Okafor from OH rang me.", "Mrs [NAME] from OH rang me."),
    ("It was PC J. Smith-Jones who helped.", "It was PC [NAME] who helped."),
    ("Insp SMITH was on duty.", "Insp [NAME] was on duty."),
    ("Sgt Patel's team were short.", "Sgt [NAME]'s team were short."),
    # collar, shoulder and warrant numbers
    ("PC 1234 was assaulted.", "PC [COLLAR NUMBER] was assaulted."),
    ("PC1234 was assaulted.", "PC[COLLAR NUMBER] was assaulted."),
    ("PS #4567 refused.", "PS #[COLLAR NUMBER] refused."),
    ("PC 1234 Smith drove.", "PC [COLLAR NUMBER] [NAME] drove."),
    ("PC 451TW attended.", "PC [COLLAR NUMBER] attended."),
    ("My collar number is 5678.", "My collar number is [COLLAR NUMBER]."),
    ("collar no. 5678", "collar no. [COLLAR NUMBER]"),
    ("Shoulder no. 4321, response.", "Shoulder no. [COLLAR NUMBER], response."),
    ("warrant 123456", "warrant [COLLAR NUMBER]"),
    ("warrant card number 765432", "warrant card number [COLLAR NUMBER]"),
    ("staff number 00451234", "staff number [COLLAR NUMBER]"),
    # people's names without a rank
    ("Sarah Jones rang me twice.", "[NAME] rang me twice."),
    ("I was with Tomasz Wiśniewski.", "I was with [NAME]."),
    ("Kwabena Mensah held his legs.", "[NAME] held his legs."),
    ("then Priya came over", "then [NAME] came over"),
    ("Mark Davies from the Fed was brilliant.", "[NAME] from the Fed was brilliant."),
    ("I spoke to Patel about it.", "I spoke to [NAME] about it."),
    ("Siân Griffiths in OH was kind.", "[NAME] in OH was kind."),
    ("Thanks to Zainab and Ciaran.", "Thanks to [NAME] and [NAME]."),
    # phones
    ("Ring 07700 900123 please.", "Ring [PHONE] please."),
    ("Ring 07700900123.", "Ring [PHONE]."),
    ("Ring 07700 900 123.", "Ring [PHONE]."),
    ("Ring 07700-900-123.", "Ring [PHONE]."),
    ("Ring +44 7700 900123.", "Ring [PHONE]."),
    ("Ring +44 (0)7700 900123.", "Ring [PHONE]."),
    ("Ring 0044 7700 900123.", "Ring [PHONE]."),
    ("Office 0161 496 0000.", "Office [PHONE]."),
    ("Office 020 7946 0123.", "Office [PHONE]."),
    ("Office (020) 7946 0123.", "Office [PHONE]."),
    ("Office 01632 960123.", "Office [PHONE]."),
    ("Office 0300 123 4567.", "Office [PHONE]."),
    ("Ring 07700 900123 2 times", "Ring [PHONE] 2 times"),
    # e-mail, postcode, vehicle, references
    ("Email jo.bloggs@example.police.uk now", "Email [EMAIL] now"),
    ("He lives at B15 2TT.", "He lives at [POSTCODE]."),
    ("Sent to CF10 1AA and SW1A 2AA.", "Sent to [POSTCODE] and [POSTCODE]."),
    ("He drove AB12 CDE at me.", "He drove [VEHICLE] at me."),
    ("an old P123 ABC", "an old [VEHICLE]"),
    ("CAD 1234 of 12/03 was never updated", "CAD [REFERENCE] was never updated"),
    ("crime ref 43/12345/21", "crime ref [REFERENCE]"),
    ("Crime number: 14/55120/22.", "Crime number: [REFERENCE]."),
    ("URN 44AB1234521", "URN [REFERENCE]"),
]

UNTOUCHED = [
    "The Taser was drawn but not fired.",
    "Operation Hampshire says the supervisor owns welfare.",
    "Op Hampshire was followed in my case.",
    "The case went to Crown Court in the end.",
    "Body Worn Video was shown to the magistrates.",
    "West Midlands Police and Thames Valley Police both arm response with Taser.",
    "I transferred from Avon and Somerset to Dyfed-Powys.",
    "Greater Manchester, Merseyside and South Wales have similar problems.",
    "Oscar Kilo and the Police Treatment Centre helped me recover.",
    "Harper's Law shows what families can change.",
    "The CPS NFA'd it and the Fed rep was livid.",
    "PAVA, BWV, ARV, TRiM and OH all came up at the debrief.",
    "I've been a PC 20 years and a sergeant for 6.",
    "As a PC 12 years ago I was never trained on this.",
    "PS I also think PST should be twice a year.",
    "The sergeant I spoke to was supportive.",
    "Grace period for recertification is three months.",
    "Will the court ever take it seriously?",
    "Mark my words, it will happen again.",
    "Victoria Station is where we were sent.",
    "Queen Elizabeth Hospital A&E is always busy.",
    "The Home Office figures and the College of Policing survey disagree.",
    "We met at 0300 hrs on Christmas Day.",
    "It happened on Monday 3rd June at about 2am.",
    "Only 12 officers were on for the whole of the county.",
    "The 2018 Act raised the maximum to 12 months, and in 2022 to two years.",
    "Charlie Delta 21 was the call sign.",
    "Our M6 and A38 patrols are single crewed.",
    "The Police Federation and Unison both supported the review.",
    "I've been assaulted 3 times this year and 11 times in total.",
    "The Victim Code applies to us too.",
    "Brown envelopes and white vans, that's the estate.",
    "Hope this helps the review.",
    "I had to log 3 jobs before I could go to A&E.",
    "I dislocated my shoulder in 2019 restraining a man.",
    "Winter is when the assaults go up. Little changes.",
    "I joined Kent Police in 2005 and moved to Lincolnshire.",
    "Amber warning for weather on nights.",
    "Phone 999 or 101 and wait.",
    "On 12/03/2023 at 0800 the van broke down.",
    "It was NFA'd by a DS. Fleet have lost the van again.",
    "I'm a PC. Lots of us feel the same.",
    "My sergeant. Honestly the best I've had.",
]


@pytest.mark.parametrize(("text", "expected"), REDACTED)
def test_identifiers_are_replaced_by_typed_placeholders(text: str, expected: str) -> None:
    assert redact(text).redacted == expected


@pytest.mark.parametrize("text", UNTOUCHED)
def test_policing_vocabulary_is_left_alone(text: str) -> None:
    assert redact(text).redacted == text
    assert redact(text).findings == ()


def test_findings_carry_only_type_and_span_into_the_original_text() -> None:
    text = "PC 1234 Smith rang 07700 900123 about CAD 55 and jo@example.org"
    result = redact(text)
    assert [(f.type, text[f.start : f.end]) for f in result.findings] == [
        ("collar_number", "1234"),
        ("name", "Smith"),
        ("phone", "07700 900123"),
        ("reference", "55"),
        ("email", "jo@example.org"),
    ]
    shared = json.dumps(result.as_dict())
    assert all(secret not in shared for secret in ("1234", "Smith", "900123", "jo@example.org"))
    assert result.as_dict()["findings"][0] == {"type": "collar_number", "start": 3, "end": 7}


def test_overlapping_candidates_keep_the_more_specific_type() -> None:
    text = "Email Sarah.Jones@example.police.uk"
    assert [f.type for f in find_identifiers(text)] == ["email"]


def test_the_name_lists_are_a_few_hundred_each_and_include_many_communities() -> None:
    def names(file: str) -> set[str]:
        text = resources.files("forcewatch").joinpath("data", "review", file).read_text("utf-8")
        return {line for line in text.splitlines() if line and not line.startswith("#")}

    given, surnames = names("given-names.txt"), names("surnames.txt")
    assert len(given) >= 300 and len(surnames) >= 300
    assert {"Mohammed", "Priya", "Chidi", "Agnieszka", "Siân", "Aoife", "Wei", "Gurpreet"} <= given
    assert {
        "Patel",
        "Khan",
        "Okafor",
        "Kowalski",
        "Jones",
        "Nguyen",
        "O'Neill",
        "Singh",
    } <= surnames


def test_parse_annotated_gives_plain_text_and_spans() -> None:
    text, gold = parse_annotated("Ring {NAME:Sgt Bell} on {PHONE:07700 900123}.")
    assert text == "Ring Sgt Bell on 07700 900123."
    assert gold == [Finding("name", 5, 13), Finding("phone", 17, 29)]


def test_the_redactor_on_the_labelled_pii_set() -> None:
    doc = evaluate_redaction()
    assert doc["test_data"]["texts"] >= 40
    assert doc["overall"]["precision"] >= 0.95
    assert doc["overall"]["recall"] >= 0.95
    assert doc["leaked"] <= 2
    assert doc["clean_texts_untouched"] == doc["test_data"]["texts_without_identifiers"]


def test_the_documented_redaction_figures_are_the_ones_the_code_produces() -> None:
    from pathlib import Path

    doc = evaluate_redaction()
    note = (Path(__file__).resolve().parents[1] / "docs" / "review-classifier.md").read_text()
    assert f"**{doc['overall']['precision']:.4f}** | **{doc['overall']['recall']:.4f}**" in note


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)
    | st.lists(
        st.sampled_from(
            [
                "PC",
                "Smith",
                "07700",
                "900123",
                "#",
                "1234",
                "Sgt",
                ".",
                "Jones",
                "B15",
                "2TT",
                "Sarah",
                "collar",
                "number",
                "@",
                "x.org",
                " ",
                "\n",
                "Taser",
                "O'Neill",
            ]
        ),
        max_size=30,
    ).map(" ".join)
)
def test_redaction_only_replaces_what_it_reports(text: str) -> None:
    result = redact(text)
    spans = list(result.findings)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:])), (
        "findings are sorted and never overlap"
    )
    rebuilt, last = [], 0
    for f in spans:
        assert 0 <= f.start < f.end <= len(text)
        rebuilt += [text[last : f.start], PLACEHOLDERS[f.type]]
        last = f.end
    assert "".join(rebuilt) + text[last:] == result.redacted


# --- the command line ---------------------------------------------------------------------------


def test_redact_prints_one_json_line_per_submission(cli) -> None:  # type: ignore[no-untyped-def]
    stdin = (
        json.dumps({"id": 1, "text": "DC Amir Khan rang me on 07700 900123"})
        + "\n"
        + json.dumps({"id": {"ref": "a"}, "text": "Taser and Operation Hampshire"})
        + "\n"
    )
    result = cli("review", "redact", stdin=stdin)
    assert result.exit_code == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first == {
        "id": 1,
        "redacted": "DC [NAME] rang me on [PHONE]",
        "findings": [
            {"type": "name", "start": 3, "end": 12},
            {"type": "phone", "start": 24, "end": 36},
        ],
    }
    assert second == {
        "id": {"ref": "a"},
        "redacted": "Taser and Operation Hampshire",
        "findings": [],
    }
    assert "Khan" not in result.stdout and "900123" not in result.stdout


def test_redact_refuses_the_whole_input_when_a_line_is_bad(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("review", "redact", stdin='{"id": 1, "text": "PC Smith"}\n{"id": 2}\n')
    assert (result.exit_code, result.stdout) == (1, "")
    assert "row 2" in result.stderr and "Smith" not in result.stderr


def test_redact_empty_input_prints_nothing(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("review", "redact", stdin="").stdout == ""


def test_evaluate_redaction_as_json(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("review", "evaluate-redaction", "--format", "json")
    assert result.exit_code == 0
    assert result.json()["overall"] == evaluate_redaction()["overall"]
