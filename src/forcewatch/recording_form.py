"""The officers' recording form: its questions, and how its answers become national-form values.

The web form (``/reports/new``) asks the questions of the national use-of-force form. This module
is its single description: :data:`SECTIONS` (each question's control, label, hint and options, in
form order), :func:`tactic_controls` and :func:`ced_block_controls` for the repeated parts, and
:func:`answers_from_post`, which turns what a browser posted into the values a national-form file
would hold (``Yes``/``No``, the form's labels, ``2018-06-30``). Those values are then read by the
importer's own rules (:func:`forcewatch.record.normalise_report`), so the form validates exactly as
an import does and a rule is written once.

What the form adds, and why:

- a multi-select question (locations, reasons, impact factors, outcomes) is one group of
  checkboxes: a ticked box is ``Yes`` and an unticked one ``No`` (the officer answered the
  question), as in the MPS files;
- tactics are rows of (tactic, effective); empty rows are ignored and the rest keep their order;
- a CED device block with any answer records its unticked levels as ``No``; its body map records
  unticked zones as ``No`` only when the block records Fired (where strikes are asked about);
- the officer's identity, force and team never come from the form (see :mod:`forcewatch.reports`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from .form import BACK_ZONES, CED_BLOCKS, CED_DETAIL_ITEMS, CED_LEVEL_ITEMS, FRONT_ZONES, TACTIC_SLOTS, fields_of_group
from .form_values import CONDUCT, FORM_TACTICS, WEAPONS
from .vocab import DIMENSIONS

__all__ = ["Control", "Section", "SECTIONS", "FormAnswers", "answers_from_post", "tactic_controls",
           "ced_block_controls", "find_control", "CED_HEADER", "FIREARMS", "DEFAULT_TACTIC_ROWS", "TACTIC_ROWS_STEP", "MAX_TACTIC_ROWS", "MAIN_DUTIES"]

DEFAULT_TACTIC_ROWS = 5
TACTIC_ROWS_STEP = 5
MAX_TACTIC_ROWS = len(TACTIC_SLOTS)
#: suggestions for the main-duty answer (free text on the form)
MAIN_DUTIES = ("Emergency response", "Neighbourhood", "Custody", "Roads policing", "Public order", "Firearms (AFO)",
               "Armed response vehicle (ARV)", "Dog handler duty", "Investigation", "Other")
_YES_NO = (("Yes", "Yes"), ("No", "No"))


@dataclass(frozen=True)
class Control:
    """One question: ``kind`` is date, time, text, number, radios, checkboxes or select."""

    name: str
    label: str
    kind: str
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    #: multi-select checkboxes: the form-field group they tick (``location`` ...); else empty
    group: str = ""
    suggestions: tuple[str, ...] = ()

    @property
    def first_id(self) -> str:
        """The id of the element an error summary links to (the first option of a group)."""
        return f"{self.name}-0" if self.kind in ("radios", "checkboxes") else self.name


@dataclass(frozen=True)
class Section:
    """A fieldset of the form, with its legend."""

    key: str
    legend: str
    controls: tuple[Control, ...]
    hint: str = ""


def _dimension_options(dimension: str, skip: Sequence[str] = ("not_reported",)) -> tuple[tuple[str, str], ...]:
    return tuple((t.label, t.label) for t in DIMENSIONS[dimension] if t.key not in skip)


def _group_options(group: str) -> tuple[tuple[str, str], ...]:
    labels = {t.key: t.label for t in DIMENSIONS[group]}
    return tuple((f.key, labels[f.key]) for f in fields_of_group(group))


_AGE = (("0-10", "Under 11"), ("11-17", "11 to 17"), ("18-34", "18 to 34"), ("35-49", "35 to 49"), ("50-64", "50 to 64"),
        ("65 and over", "65 and over"))
_NOT_RECORDED = "Leave unanswered if it was not recorded."

SECTIONS: tuple[Section, ...] = (
    Section("when", "When and where", (
        Control("incident_date", "Date of the incident", "date", hint="For example 2018-06-30"),
        Control("incident_time", "Time of the incident", "time", hint="24-hour clock, for example 21:30"),
        Control("borough", "Borough or area", "text", hint="Your force's name for the area"),
        Control("location", "Where was force used?", "checkboxes", _group_options("location"),
                hint="Select all that apply.", group="location"),
    )),
    Section("person", "The person involved, as you perceived them", (
        Control("subject_age", "Age band", "radios", _AGE, hint=_NOT_RECORDED),
        Control("subject_gender", "Gender", "radios", _dimension_options("gender"), hint=_NOT_RECORDED),
        Control("subject_ethnicity", "Ethnicity", "radios", _dimension_options("ethnicity"), hint=_NOT_RECORDED),
        Control("physical_disability", "Did they appear to have a physical disability?", "radios", _YES_NO),
        Control("mental_disability", "Did they appear to have a mental health condition?", "radios", _YES_NO),
    ), hint="Record what you perceived at the time; you do not need to ask."),
    Section("officer", "You", (
        Control("main_duty", "Your main duty at the time", "text", suggestions=MAIN_DUTIES),
        Control("single_crewed", "Were you single crewed?", "radios", _YES_NO),
        Control("trained_ced", "Are you trained to carry CED (Taser)?", "radios", _YES_NO),
        Control("carrying_ced", "Were you carrying CED (Taser)?", "radios", _YES_NO),
    ), hint="Your name, force and team come from your account."),
    #: rows of (tactic, effective), rendered from tactic_controls(1 ... n), then FIREARMS
    Section("tactics", "Tactics, in the order you used them", (),
            hint="Choose one tactic per row, in order, and say whether it was effective. Empty rows are ignored."),
    #: CED_HEADER, then device blocks rendered from ced_block_controls(1 ... 4)
    Section("ced", "CED (Taser)", (), hint="Answer if you drew, aimed, arced, red-dotted, drive-stunned or fired a "
            "CED. Record each device or cartridge in its own block."),
    Section("reasons", "Why you used force", (
        Control("reason", "Reasons for using force", "checkboxes", _group_options("reason"),
                hint="Select all that apply.", group="reason"),
        Control("impact_factor", "Impact factors", "checkboxes", _group_options("impact_factor"),
                hint="Select all that applied.", group="impact_factor"),
    )),
    Section("encounter", "Threats and assaults on you", (
        Control("primary_conduct", "The person's main conduct", "radios", tuple((k, k) for k in CONDUCT)),
        Control("threatened_with_weapon", "Were you threatened with any of these?", "checkboxes",
                tuple((k, k) for k in WEAPONS), hint="Select all that apply."),
        Control("assaulted_by_subject", "Were you assaulted by the person?", "radios", _YES_NO),
        Control("assaulted_with_weapon", "If you were assaulted, with what?", "checkboxes",
                tuple((k, k) for k in WEAPONS), hint="Select all that apply."),
    )),
    Section("injuries", "Injuries and medical help", (
        Control("staff_injured", "Were you injured?", "radios", _YES_NO),
        Control("staff_injury_intentional", "Was your injury the result of an intentional assault?", "radios", _YES_NO),
        Control("staff_injury_level", "How serious was your injury?", "radios", (("Minor", "Minor"), ("Severe", "Severe"))),
        Control("staff_med_provided", "Were you given medical help?", "radios", _YES_NO),
        Control("subject_injured", "Was the person injured as a result of the force used?", "radios",
                (("Yes", "Yes"), ("No", "No"), ("Unknown", "Unknown"))),
        Control("subject_injury_level", "How serious was the person's injury?", "radios",
                (("Minor", "Minor"), ("Severe", "Severe"), ("Death", "Death"))),
        Control("subject_med_offered", "Was the person offered medical help?", "radios", _YES_NO),
        Control("subject_med_provided", "Was the person given medical help?", "radios", _YES_NO),
    )),
    Section("outcomes", "Outcomes", (
        Control("outcome", "Outcome of the incident", "checkboxes", _group_options("outcome"),
                hint="Select all that apply.", group="outcome"),
    )),
)
_TACTIC_OPTIONS = tuple((label, label) for label in FORM_TACTICS)
_CED_LEVEL_OPTIONS = tuple((key, item) for item, key in CED_LEVEL_ITEMS)
#: CED header questions, shown above the device blocks
CED_HEADER: tuple[Control, ...] = (
    Control("ced_used", "Did you use CED (Taser)?", "radios", _YES_NO),
    Control("ced_serial", "CED device serial number", "text"),
)
FIREARMS: tuple[Control, ...] = (
    Control("firearms_aimed", "Did you aim a firearm?", "radios", _YES_NO),
    Control("firearms_fired", "Did you fire a firearm?", "radios", _YES_NO),
)


def tactic_controls(row: int) -> tuple[Control, Control]:
    """The tactic and effective questions of row ``row`` (1 to 20)."""
    return (Control(f"tactic_{row}", f"Tactic {row}", "select", _TACTIC_OPTIONS),
            Control(f"effective_{row}", f"Was tactic {row} effective?", "radios", _YES_NO))


def ced_block_controls(block: int) -> tuple[Control, ...]:
    """The questions of CED device block ``block`` (1 to 4)."""
    p = f"ced{block}."
    detail = tuple(Control(p + key, item.replace("Fired ", "", 1), "number" if kind == "count" else "radios",
                           () if kind == "count" else _YES_NO) for item, key, kind in CED_DETAIL_ITEMS)
    return (Control(p + "levels", "What did you do with the device?", "checkboxes", _CED_LEVEL_OPTIONS,
                    hint="Select all that apply, in any order."),
            *detail,
            Control(p + "front", "Probe strikes, front of the body", "checkboxes",
                    tuple((z, f"Front {z}") for z in FRONT_ZONES), hint="Only if fired."),
            Control(p + "back", "Probe strikes, back of the body", "checkboxes",
                    tuple((z.lower(), f"Back {z}") for z in BACK_ZONES), hint="Only if fired."))


def find_control(name: str) -> Control | None:
    """The control of that name, including tactic rows and CED block questions."""
    for c in (*(c for s in SECTIONS for c in s.controls), *CED_HEADER, *FIREARMS):
        if c.name == name:
            return c
    for row in TACTIC_SLOTS:
        for c in tactic_controls(row):
            if c.name == name:
                return c
    for block in CED_BLOCKS:
        for c in ced_block_controls(block):
            if c.name == name:
                return c
    return None


@dataclass
class FormAnswers:
    """A post read into national-form values, with where each field's errors belong on the page."""

    values: dict[str, str | None]
    #: national-form field name -> the control whose error message shows its problems
    control_of: dict[str, str] = field(default_factory=dict)
    tactic_rows: int = DEFAULT_TACTIC_ROWS


def _one(post: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = [v for v in post.get(name, ()) if v is not None]
    value = values[0].strip() if values else ""
    return value or None


def answers_from_post(post: Mapping[str, Sequence[str]]) -> FormAnswers:
    """National-form field values from a posted form (name -> every value posted for it)."""
    out = FormAnswers({})
    simple = [c for s in SECTIONS for c in s.controls] + list(CED_HEADER) + list(FIREARMS)
    for c in simple:
        ticked = set(post.get(c.name, ()))
        if c.group:
            for f in fields_of_group(c.group):
                out.values[f.name] = "Yes" if f.key in ticked else "No"
                out.control_of[f.name] = c.name
        elif c.kind == "checkboxes":  # weapon types: one comma-separated answer
            chosen = [value for value, _ in c.options if value in ticked]
            out.values[c.name] = ", ".join(chosen) or None
            out.control_of[c.name] = c.name
        else:
            out.values[c.name] = _one(post, c.name)
            out.control_of[c.name] = c.name
    try:
        rows = int(_one(post, "tactic_rows") or DEFAULT_TACTIC_ROWS)
    except ValueError:
        rows = DEFAULT_TACTIC_ROWS
    out.tactic_rows = min(max(rows, DEFAULT_TACTIC_ROWS), MAX_TACTIC_ROWS)
    slot = 0
    for row in range(1, out.tactic_rows + 1):
        tactic, effective = _one(post, f"tactic_{row}"), _one(post, f"effective_{row}")
        if tactic is None and effective is None:
            continue
        slot += 1
        out.values[f"tactic_{slot}"], out.values[f"effective_{slot}"] = tactic, effective
        out.control_of[f"tactic_{slot}"], out.control_of[f"effective_{slot}"] = f"tactic_{row}", f"effective_{row}"
    for block in CED_BLOCKS:
        _ced_block(post, block, out)
    return out


def _ced_block(post: Mapping[str, Sequence[str]], block: int, out: FormAnswers) -> None:
    p = f"ced{block}."
    levels = set(post.get(p + "levels", ()))
    front, back = set(post.get(p + "front", ())), set(post.get(p + "back", ()))
    details = {key: _one(post, p + key) for _, key, _ in CED_DETAIL_ITEMS}
    if not (levels or front or back or any(details.values())):
        return
    for _, key in CED_LEVEL_ITEMS:
        out.values[p + key] = "Yes" if key in levels else "No"
        out.control_of[p + key] = p + "levels"
    for key, value in details.items():
        out.values[p + key] = value
        out.control_of[p + key] = p + key
    fired = "fired" in levels
    for side, zones, ticked in (("front", FRONT_ZONES, front), ("back", tuple(z.lower() for z in BACK_ZONES), back)):
        for zone in zones:
            out.values[f"{p}{side}_{zone}"] = "Yes" if zone in ticked else ("No" if fired else None)
            out.control_of[f"{p}{side}_{zone}"] = p + side
