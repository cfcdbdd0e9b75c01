"""Vocabularies and the CED highest-use hierarchy profiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forcewatch import vocab
from forcewatch.errors import UnknownName, UsageError

INTERFACE_TACTICS = (
    "all tactical_communication not_reported restraint handcuffing handcuffing_compliant "
    "handcuffing_non_compliant handcuffing_not_stated limb_body_restraint ground_restraint unarmed_skills "
    "other_equipment baton baton_drawn baton_used baton_not_stated irritant_spray irritant_spray_drawn "
    "irritant_spray_used irritant_spray_not_stated spit_bite_guard shield less_lethal ced ced_non_discharge "
    "ced_discharge ced_drawn ced_aimed ced_red_dot ced_arced ced_drive_stun ced_angled_drive_stun ced_fired "
    "ced_not_stated aep aep_aimed aep_fired aep_not_stated firearms other dog dog_deployed dog_bite "
    "dog_not_stated other_improvised"
).split()

INTERFACE_CATEGORIES = {
    "age": "under_11 11_17 18_34 35_49 50_64 65_plus not_reported",
    "gender": "male female other not_reported",
    "ethnicity": "white black asian chinese mixed other dont_know not_reported",
    "health": "mental physical physical_and_mental none not_reported",
    "reason": "protect_self protect_public protect_subject protect_other_officers prevent_offence "
    "secure_evidence effect_search effect_arrest method_of_entry remove_handcuffs prevent_harm prevent_escape other",
    "impact_factor": "weapon alcohol drugs mental_health prior_knowledge size_gender_build "
    "acute_behavioural_disturbance crowd other",
    "outcome": "made_off arrested hospitalised detained_mha fatality no_further_action other",
    "location": "street_highway public_transport retail_premises open_ground licensed_premises sports_stadia "
    "hospital mental_health_setting police_vehicle_cage police_vehicle_no_cage police_station custody_block "
    "ambulance dwelling other",
}


def test_tactic_keys_are_exactly_those_promised_in_interfaces() -> None:
    assert [t.key for t in vocab.TACTICS] == INTERFACE_TACTICS


def test_every_tactic_parent_is_a_tactic() -> None:
    keys = {t.key for t in vocab.TACTICS}
    assert all(t.parent is None or t.parent in keys for t in vocab.TACTICS)


@pytest.mark.parametrize("dimension", sorted(INTERFACE_CATEGORIES))
def test_category_keys_are_those_promised_in_interfaces(dimension: str) -> None:
    assert [t.key for t in vocab.categories(dimension)] == INTERFACE_CATEGORIES[dimension].split()


def test_unknown_keys_name_the_nearest() -> None:
    with pytest.raises(UnknownName) as info:
        vocab.tactic("ced_fird")
    assert "ced_fired" in info.value.suggestions


def test_bundled_profiles() -> None:
    assert vocab.hierarchy_profiles() == ["listing_2015", "mps_ho_table"]
    h = vocab.ced_hierarchy("mps_ho_table")
    assert h.order_high_to_low == ("angled_drive_stun", "fired", "drive_stun", "arced", "red_dot", "aimed", "drawn")
    assert h.version == "1.0.0"
    assert len(h.sha256) == 64
    assert h.sha256 != vocab.ced_hierarchy("listing_2015").sha256


# The test cases of use-of-force-data.md section 4.2
@pytest.mark.parametrize(
    ("levels", "mps", "listing", "cls"),
    [
        ({"drawn", "aimed", "red_dot", "fired"}, "fired", "fired", "discharge"),
        ({"angled_drive_stun", "fired"}, "angled_drive_stun", "fired", "discharge"),
        ({"arced", "red_dot"}, "arced", "red_dot", "non_discharge"),
    ],
)
def test_highest_level_under_each_profile(levels: set[str], mps: str, listing: str, cls: str) -> None:
    a, b = vocab.ced_hierarchy("mps_ho_table"), vocab.ced_hierarchy("listing_2015")
    assert a.highest(levels) == mps
    assert b.highest(levels) == listing
    assert a.ced_class(a.highest(levels)) == b.ced_class(b.highest(levels)) == cls


def test_no_level_is_not_stated() -> None:
    assert vocab.ced_hierarchy().highest([]) is None
    assert vocab.ced_hierarchy().ced_class(None) == "not_stated"


@given(st.sets(st.sampled_from(vocab.CED_LEVELS), min_size=1))
def test_discharge_rollup_is_identical_under_every_profile(levels: set[str]) -> None:
    classes = {vocab.ced_hierarchy(p).ced_class(vocab.ced_hierarchy(p).highest(levels)) for p in vocab.hierarchy_profiles()}
    assert len(classes) == 1


@given(st.lists(st.sampled_from(vocab.CED_LEVELS), min_size=1))
def test_highest_ignores_order_and_repeats(levels: list[str]) -> None:
    h = vocab.ced_hierarchy()
    assert h.highest(levels) == h.highest(sorted(set(levels)))
    assert h.highest(levels) in levels


def test_a_profile_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "local.yaml"
    path.write_text(
        "ced_hierarchy:\n  profile: local\n  version: 0.1.0\n"
        "  order_high_to_low: [fired, angled_drive_stun, drive_stun, arced, red_dot, aimed, drawn]\n"
        "  discharge: [angled_drive_stun, fired, drive_stun]\n"
    )
    assert vocab.ced_hierarchy(str(path)).profile == "local"


def test_a_profile_ranking_non_discharge_above_discharge_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "ced_hierarchy:\n  profile: bad\n  version: 0.1.0\n"
        "  order_high_to_low: [arced, fired, angled_drive_stun, drive_stun, red_dot, aimed, drawn]\n"
        "  discharge: [angled_drive_stun, fired, drive_stun]\n"
    )
    with pytest.raises(UsageError, match="non-discharge"):
        vocab.ced_hierarchy(str(path))


def test_unknown_profile_lists_the_known_ones() -> None:
    with pytest.raises(UnknownName) as info:
        vocab.ced_hierarchy("mps_ho")
    assert "mps_ho_table" in info.value.suggestions


def test_ethnicity_2019_mapping_folds_chinese_into_asian_and_does_not_invent_dont_know() -> None:
    m = vocab.ETHNICITY_MAPPINGS["eth_2019"]
    assert m["chinese"] == "asian"
    assert m["dont_know"] is None


@pytest.mark.parametrize(
    ("physical", "mental", "expected"),
    [(True, True, "physical_and_mental"), (True, False, "physical"), (False, True, "mental"),
     (False, False, "none"), (None, None, "not_reported"), (None, False, "not_reported")],
)
def test_health_category_from_the_two_form_flags(physical, mental, expected) -> None:  # type: ignore[no-untyped-def]
    assert vocab.health_category(physical, mental) == expected
