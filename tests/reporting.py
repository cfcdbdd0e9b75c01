"""People and reports for the recording tests: two forces, two teams, every role that reads reports."""

from __future__ import annotations

from dataclasses import dataclass

from forcewatch import accounts
from forcewatch.access import SYSTEM, Principal
from forcewatch.recording_form import answers_from_post
from forcewatch.reports import create_report
from forcewatch.settings import Settings
from forcewatch.store import Store

PASSWORD = "kettle orbit lantern"
SETTINGS = Settings(demo=True, secure_cookies=False, pseudonym_key="k" * 40)

#: user name -> (role, force, team, staff id)
PEOPLE = {
    "pc.ash": ("officer", "Avon and Somerset", "Bristol A", "AB1"),
    "pc.birch": ("officer", "Avon and Somerset", "Bristol A", "AB2"),
    "pc.cedar": ("officer", "Avon and Somerset", "Bath B", "AB3"),
    "sgt.dale": ("supervisor", "Avon and Somerset", "Bristol A", "AB9"),
    "sgt.elm": ("supervisor", "Avon and Somerset", "Bristol A", "AB8"),
    "avon.analyst": ("force_analyst", "Avon and Somerset", None, None),
    "pc.fir": ("officer", "West Midlands", "Birmingham A", "WM1"),
    "wm.analyst": ("force_analyst", "West Midlands", None, None),
    "nat.analyst": ("national_analyst", None, None, None),
    "avon.pcc": ("pcc", "Avon and Somerset", None, None),
}

#: a report as an officer posts it on the web form
POST: dict[str, list[str]] = {
    "incident_date": ["2018-06-30"], "incident_time": ["21:30"], "borough": ["Bristol"],
    "location": ["street_highway", "dwelling"], "subject_age": ["18-34"], "subject_gender": ["Male"],
    "subject_ethnicity": ["White"], "physical_disability": ["No"], "mental_disability": ["Yes"],
    "main_duty": ["Emergency response"], "single_crewed": ["Yes"], "trained_ced": ["Yes"], "carrying_ced": ["Yes"],
    "tactic_1": ["Tactical Communications"], "effective_1": ["No"],
    "tactic_3": ["Irritant Spray - PAVA Drawn"], "effective_3": ["Yes"],  # row 2 left empty: rows close up
    "tactic_4": ["CED (Taser) Red-Dotted"], "tactic_5": ["Non-Compliant Handcuffing"], "effective_5": ["Yes"],
    "ced_used": ["Yes"], "ced_serial": ["X1234567"], "ced1.levels": ["drawn", "aimed", "red_dot"],
    "reason": ["protect_self", "effect_arrest"], "impact_factor": ["alcohol", "size_gender_build"],
    "primary_conduct": ["Aggressive resistance"], "threatened_with_weapon": ["Bladed weapon/object", "Kick"],
    "assaulted_by_subject": ["Yes"], "assaulted_with_weapon": ["Punch"],
    "staff_injured": ["Yes"], "staff_injury_intentional": ["Yes"], "staff_injury_level": ["Minor"],
    "staff_med_provided": ["No"], "subject_injured": ["No"], "subject_med_offered": ["Yes"],
    "outcome": ["arrested"],
}


@dataclass
class Cast:
    """The accounts' principals by user name."""

    principals: dict[str, Principal]

    def __getitem__(self, username: str) -> Principal:
        return self.principals[username]


def cast(store: Store) -> Cast:
    """Create every account of :data:`PEOPLE`."""
    found = {}
    for username, (role, force, team, staff_id) in PEOPLE.items():
        account = accounts.create_user(store, actor=SYSTEM, username=username, password=PASSWORD, role=role,
                                       force=force, team=team, staff_id=staff_id, settings=SETTINGS)
        found[username] = account.principal()
    return Cast(found)


def record(store: Store, principal: Principal, submission: str, **changes: list[str]) -> int:
    """Record :data:`POST` (with ``changes``) as ``principal`` through the library."""
    answers = answers_from_post({**POST, **changes})
    return create_report(store, principal, answers.values, submission=submission)
