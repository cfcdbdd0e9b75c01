"""The demo's assaults on officers, outcome trails, learning and review submissions: all SIMULATED.

:func:`seed_assaults_demo` builds, for Avon and Somerset and West Midlands, a year of assaults (a
seeded, scaled-down sample: a few hundred, not the thousands a year these forces record) with
outcome trails reaching every layer, some cases near or past the six-month limit, a few corrected
entries, welfare records, learning items, and review submissions drawn from the bundled synthetic
review data, tagged by the classifier and partly moderated by the demo review team. Everything goes
through the library's write path, so the audit log records it as it would real work. Every assault
is marked simulated.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from . import learning
from .access import SYSTEM, Principal
from .accounts import get_user
from .assault_access import load_assault
from .assault_fields import check_assault
from .assaults import store_checked
from .outcome_fields import check_event
from .outcomes import insert_event
from .review import store as review_store
from .review.submissions import held_out_set, training_set
from .settings import Settings
from .store import Store

__all__ = ["seed_assaults_demo", "DEMO_FORCES"]

#: force code -> (key, sample size, teams)
DEMO_FORCES = {
    "E23000036": ("avon", 220, ("Bristol Response A", "Bristol Response B", "Bath Neighbourhood", "Keynsham Custody")),
    "E23000014": ("wmids", 380, ("Birmingham Response A", "Birmingham Response B", "Coventry Neighbourhood",
                                 "Oldbury Custody", "Wolverhampton Response")),
}


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _assault_row(rng: random.Random, force_key: str, teams: tuple[str, ...], n: int, day: date) -> dict[str, str]:
    role = _pick(rng, {"constable": 85, "special_constable": 4, "pcso": 5, "detention_staff": 4, "other_staff": 2})
    constable = role in ("constable", "special_constable")
    offence = _pick(rng, {"ew_common_assault": 58, "s89_assault_constable": 12 if constable else 0, "ew_abh": 22,
                          "common_assault": 4, "ew_gbh_s20": 2, "ew_strangulation": 2})
    injured = offence not in ("ew_common_assault", "s89_assault_constable", "common_assault")
    injury = _pick(rng, {"minor": 40, "medical": 42, "hospital": 14, "serious": 4}) if injured else "none"
    methods = {_pick(rng, {"push": 25, "punch": 20, "kick": 15, "spit": 16, "bite": 6, "headbutt": 5,
                           "thrown_object": 4, "cough_threat": 3, "bladed": 1, "vehicle": 1, "strangulation": 1})
               for _ in range(rng.choice((1, 1, 2)))}
    if offence == "ew_strangulation":
        methods.add("strangulation")
    duty = "custody" if "Custody" in (team := rng.choice(teams)) else _pick(
        rng, {"response": 70, "neighbourhood": 12, "roads_policing": 6, "public_order": 8, "investigation": 4})
    taser = rng.random() < (0.35 if duty == "response" else 0.1)
    self_victim = force_key == "avon" and n % 40 == 0  # a few on the demo officer, so "own" scope shows something
    welfare = rng.random() < 0.8
    row = {
        "CrimeRef": f"{force_key.upper()}/{day:%y}/{10000 + n}", "IncidentRef": f"INC-{day:%y%m%d}-{n:04d}",
        "VictimStaffId": f"{force_key.upper()}1001" if self_victim else f"{force_key.upper()}{2000 + rng.randrange(900)}",
        "VictimTeam": f"{'Bristol' if force_key == 'avon' else 'Birmingham'} Response A" if self_victim else team,
        "VictimRole": "constable" if self_victim else role, "DutyRole": "response" if self_victim else duty,
        "ServiceBand": _pick(rng, {"lt2": 30, "2_5": 30, "5_10": 18, "10_20": 15, "20_plus": 7}),
        "SingleCrewed": "yes" if rng.random() < 0.25 else "no", "TaserCarried": "yes" if taser else "no",
        "Offence": offence, "OffenceDate": day.isoformat(),
        "RecordedDate": (day + timedelta(days=rng.choice((0, 0, 1, 2)))).isoformat(),
        "InjuryLevel": injury, "Methods": "; ".join(sorted(methods)),
        "BodyParts": "; ".join(sorted({_pick(rng, {"head": 20, "face": 20, "arm": 25, "hand": 15, "torso": 10,
                                                   "leg": 10}) for _ in range(rng.choice((1, 2)))})),
        "SuspectDemeanour": "; ".join(sorted({k for k, p in (("hostile", .6), ("resisting", .5), ("alcohol", .45),
                                                             ("drugs", .2), ("mental_health_crisis", .12))
                                              if rng.random() < p})),
        "EquipmentCarried": "; ".join(["body_worn_video", "body_armour", "handcuffs", "irritant_spray"]
                                      + (["taser"] if taser else [])),
        "ExposureRisk": "yes" if methods & {"spit", "bite"} else "no",
        "Circumstances": "Simulated record for the demo.", "Simulated": "yes",
    }
    if welfare:
        row.update({"FirstWelfareContactDate": (day + timedelta(days=rng.choice((0, 0, 1, 1, 2, 4)))).isoformat(),
                    "WelfareContacts": str(rng.randint(1, 4)),
                    "VictimRemovedFromInvestigation": "no" if rng.random() < 0.04 else "yes",
                    "InvestigatorIsVictim": "yes" if rng.random() < 0.03 else "no",
                    "VpsOffered": "yes", "VpsTaken": "yes" if rng.random() < 0.55 else "no",
                    "OccupationalHealthReferral": "yes" if injured and rng.random() < 0.5 else "no",
                    "AbsenceDays": str(rng.choice((0, 0, 0, 1, 2, 5, 14)) if injured else 0)})
    return row


def _trail(rng: random.Random, offence: str, day: date, today: date) -> list[dict[str, str]]:
    """A plausible outcome trail for one assault, cut off at ``today``."""
    e: list[dict[str, str]] = []

    def add(when: date, kind: str, **fields: str) -> bool:
        if when > today:
            return False
        e.append({"event_type": kind, "event_date": when.isoformat(), **fields})
        return True

    if rng.random() < 0.08:
        add(day + timedelta(days=rng.randint(10, 40)), "ho_outcome", ho_outcome="18")
        return e
    add(day, "arrest")
    add(day + timedelta(days=rng.randint(0, 2)), "interview")
    summary = offence in ("s89_assault_constable", "common_assault")
    wait = rng.randint(150, 200) if summary and rng.random() < 0.35 else rng.randint(3, 70)
    decided = day + timedelta(days=wait)
    if decided > today:
        add(day + timedelta(days=3), "released_under_investigation")
        return e
    roll = rng.random()
    if summary and wait > 182:
        add(decided, "ho_outcome", ho_outcome="17")
        return e
    if roll < 0.08:
        add(decided, "oocd") and add(decided, "ho_outcome", ho_outcome=rng.choice(("3", "8")))
        return e
    if roll < 0.15:
        add(decided, "ho_outcome", ho_outcome="16")
        return e
    if roll < 0.25:
        add(decided, "nfa", pre_charge_decision="nfa_evidential") and add(decided, "ho_outcome", ho_outcome="15")
        return e
    charged = "ew_common_assault" if offence == "common_assault" and rng.random() < 0.5 else offence
    if offence in ("ew_abh", "ew_gbh_s20", "ew_strangulation"):
        add(decided - timedelta(days=2), "cps_referral")
    add(decided, "charge", charged_offences=charged,
        charge_route="cps_charge" if offence not in ("ew_common_assault", "s89_assault_constable") else "police_charge")
    add(decided, "ho_outcome", ho_outcome="1")
    if rng.random() < 0.03:  # a wrong entry, withdrawn
        wrong = len(e)
        add(decided + timedelta(days=1), "ho_outcome", ho_outcome="8")
        if len(e) > wrong:
            e.append({"event_type": "entered_in_error", "event_date": (decided + timedelta(days=2)).isoformat(),
                      "corrects_event_id": f"@{wrong}"})
    hearing = decided + timedelta(days=rng.randint(14, 40))
    court = "crown" if offence in ("ew_gbh_s20",) else "magistrates"
    if rng.random() < 0.08:
        add(hearing - timedelta(days=5), "discontinuance") and add(hearing - timedelta(days=5), "cps_finalised",
                                                                   cps_finalisation="discontinued")
        return e
    if not add(hearing, "first_hearing", court=court):
        return e
    guilty = rng.random() < 0.65
    add(hearing, "plea", plea="guilty" if guilty else "not_guilty", court=court)
    when = hearing
    if not guilty:
        when = hearing + timedelta(days=rng.randint(60, 150))
        if not add(when, "trial", court=court):
            return e
        convicted = rng.random() < 0.6
        add(when, "verdict", verdict="convicted" if convicted else "acquitted", court=court,
            **({"convicted_offences": charged} if convicted else {}))
        add(when, "cps_finalised", cps_finalisation="conviction_after_trial" if convicted else "acquitted_after_trial")
        if not convicted:
            return e
    else:
        add(hearing, "cps_finalised", cps_finalisation="guilty_plea")
    disposal = _pick(rng, {"fine": 20, "community_order": 25, "suspended_sentence": 20, "immediate_custody": 15,
                           "conditional_discharge": 12, "referral_order": 3})
    fields = {"sentence_disposal": disposal, "court": court, "s67_stated": rng.choice(("yes", "yes", "no")),
              "vps_read": rng.choice(("yes", "no")),
              "ancillary_orders": "; ".join(["surcharge"] + (["compensation"] if rng.random() < 0.4 else []))}
    if disposal == "immediate_custody":
        fields["custody_days"] = str(rng.choice((28, 56, 84, 112, 168)))
    add(when + timedelta(days=rng.choice((0, 0, 21, 28))), "sentence", **fields)
    return e


_SUMMARY = ("s89_assault_constable", "common_assault")


def _shift(row: dict[str, str], day: date) -> date:
    """Move a generated row's dates so that its offence date is ``day``."""
    delta = day - date.fromisoformat(row["OffenceDate"])
    for column in ("OffenceDate", "RecordedDate", "FirstWelfareContactDate"):
        if row.get(column):
            row[column] = (date.fromisoformat(row[column]) + delta).isoformat()
    return day


def _principal(store: Store, username: str) -> Principal:
    return get_user(store, actor=SYSTEM, username=username).principal()


#: (title, theme, areas, what happened, what helped, what to change) - written for the demo
_LEARNING = (
    ("Spat at while restraining a detained person in custody", "spitting_blood_borne", ["equipment", "investigation_aftercare"],
     "A detained person spat in an officer's face during a search at the custody desk. PC Dave Morgan was waiting "
     "three weeks to hear whether he needed treatment.", "A spit and bite guard was available at the desk and fitted "
     "quickly once the risk was seen.", "Refer every spitting or biting victim for blood-borne virus advice the same day."),
    ("Single-crewed officer assaulted at a repeat domestic address", "single_crewing", ["deployment"],
     "An officer sent alone to an address with a warning marker for violence was punched on arrival.",
     "Control room upgraded backup once the emergency button was pressed.",
     "Warning markers should stop a single-crewed dispatch unless a supervisor decides otherwise."),
    ("Vehicle driven at an officer during a stop", "vehicle_as_weapon", ["deployment", "criminal_justice"],
     "A driver accelerated towards an officer during a roadside stop and was later charged.",
     "Body-worn video captured the whole event and was shown in court.",
     "Ask the CPS to show footage in court whatever the plea."),
    ("Cell entry went wrong without a plan", "cell_entry", ["training", "deployment"],
     "Officers entered a cell to remove a ligature without a briefing; two were bitten.",
     "A sergeant stopped the entry and re-briefed before the second attempt.",
     "Cell entry drills in personal safety training, with a standard briefing card."),
    ("Officer investigated the assault on herself", "other", ["investigation_aftercare"],
     "Short of staff, the shift left the assaulted officer to take her own statements and file.",
     "The inspector moved the case to another team when it was spotted.",
     "No assault on an officer is ever allocated to the victim or their own shift (Operation Hampshire)."),
    ("Mental-health crisis call attended without specialist support", "mental_health_crisis", ["training", "deployment"],
     "A man in crisis assaulted two officers who had waited an hour for a mental-health practitioner.",
     "Calm communication by one officer de-escalated a second struggle.",
     "Street triage available through the night; refresher on acute behavioural disturbance."),
    ("Radio failed in a basement during an arrest", "equipment_failure", ["equipment"],
     "An officer could not call for help from a basement flat while a suspect fought her.",
     "A neighbour called 999.", "Survey known radio black spots and brief them at the start of every shift."),
    ("Court accepted a downgraded plea without the officer's view", "other", ["criminal_justice", "investigation_aftercare"],
     "The charge was reduced to a lesser offence at the first hearing; the officer learnt of it weeks later.",
     "The witness care unit apologised and explained the Victims' Right to Review.",
     "Officer victims are told of any plea offer before it is accepted, as any other victim would be."),
)


def _seed_force(store: Store, settings: Settings, code: str, rng: random.Random, today: date,
                scale: float) -> tuple[int, int]:
    key, size, teams = DEMO_FORCES[code]
    size = max(1, round(size * scale))
    analyst = _principal(store, f"{key}.force_analyst")
    assaults = events = 0
    with store.write() as conn:
        for n in range(size):
            day = today - timedelta(days=rng.randint(1, 365))
            row = _assault_row(rng, key, teams, n, day)
            near_limit = row["Offence"] in _SUMMARY and rng.random() < 0.2
            if near_limit:  # still open as the six-month limit nears or passes: what the alerts are for
                day = _shift(row, today - timedelta(days=rng.randint(150, 200)))
            checked = check_assault(row, today=today)
            if not checked.ok:  # pragma: no cover - the generator only writes valid rows
                raise ValueError([str(p) for p in checked.problems])
            _, assault_id = store_checked(conn, analyst, checked, code, settings=settings, source="demo")
            assaults += 1
            record = load_assault(conn, analyst, "assault.write", assault_id)
            ids: list[int | None] = []
            trail = _trail(rng, row["Offence"], day, today)
            if near_limit:
                trail = [e for e in trail if e["event_type"] in ("arrest", "interview")][:2] + [
                    {"event_type": "released_under_investigation", "event_date": (day + timedelta(days=2)).isoformat()}]
            for values in trail:
                if str(values.get("corrects_event_id", "")).startswith("@"):
                    values["corrects_event_id"] = str(ids[int(values["corrects_event_id"][1:])])
                event, problems = check_event(values, offence_date=day, today=today)
                if problems:  # pragma: no cover
                    raise ValueError([str(p) for p in problems])
                event_id, _ = insert_event(conn, analyst, record, event, settings=settings, source="police_system")
                ids.append(event_id)
                events += 1
    return assaults, events


def _seed_learning(store: Store, code: str, rng: random.Random, today: date) -> int:
    key = DEMO_FORCES[code][0]
    analyst, chief = _principal(store, f"{key}.force_analyst"), _principal(store, f"{key}.chief_officer")
    made = 0
    for i, (title, theme, areas, happened, helped, change) in enumerate(_LEARNING):
        month = today - timedelta(days=30 * rng.randint(1, 11))
        learning_id = learning.write_learning(store, analyst, {
            "title": title, "period": f"{month:%Y-%m}", "area_tags": areas, "theme": theme, "what_happened": happened,
            "what_helped": helped, "what_to_change": change, "handling": "OFFICIAL" if i % 2 == 0 else None,
            "consent_scope": ("publish_anonymised_quotes", "national_review", "internal_force_only")[i % 3],
            "target_owner": ("force", "college", "npcc_lead", "cps_area")[i % 4]}, simulated=True)
        made += 1
        if i % 4 == 3:
            continue  # left for the demo user to redact
        learning.redact_learning(store, analyst, learning_id)
        learning.set_sharing_level(store, analyst, learning_id, ("public", "national_network", "region")[i % 3])
        if i % 4 != 2:
            learning.moderate_learning(store, chief, learning_id, "approved")
    return made


def _seed_submissions(store: Store, settings: Settings, rng: random.Random, today: date,
                      scale: float) -> tuple[int, int]:
    texts = [(s.text, s.areas) for s in (*training_set()[:120], *held_out_set())]
    rng.shuffle(texts)
    texts = texts[:max(1, round(len(texts) * scale))]
    reviewer = _principal(store, "review.team")
    authors = {code: [_principal(store, f"{key}.{role}") for role in ("officer", "supervisor", "force_analyst")]
               for code, (key, _, _) in DEMO_FORCES.items()}
    confirmed = 0
    for i, (text, areas) in enumerate(texts):
        code = "E23000014" if i % 5 < 3 else "E23000036"
        author = rng.choice(authors[code])
        submitted = datetime.combine(today - timedelta(days=rng.randint(1, 360)), time(12), tzinfo=timezone.utc)
        submission_id = review_store.submit(store, author, {
            "free_text": text, "consent_scope": _pick(rng, {"national_review": 5, "publish_anonymised_quotes": 3,
                                                            "internal_force_only": 2}),
            "role_band": _pick(rng, {"constable": 6, "sergeant_inspector": 2, "pcso": 1, "staff": 1}),
            "duty_role": _pick(rng, {"response": 6, "neighbourhood": 2, "custody": 2}),
            "anonymous": rng.random() < 0.6,
            "ratings": {a: str(rng.randint(1, 3) if a in areas else rng.randint(2, 5)) for a in areas}},
            settings=settings, simulated=True, submitted_at=submitted)
        if rng.random() < 0.35:
            continue  # still waiting for the review team
        review_store.redact_submission(store, reviewer, submission_id)
        if rng.random() < 0.15:
            continue
        review_store.confirm_areas(store, reviewer, submission_id, list(areas))  # the reviewer's reading
        confirmed += 1
        review_store.moderate_submission(store, reviewer, submission_id,
                                         "rejected" if rng.random() < 0.05 else "approved")
    return len(texts), confirmed


def seed_assaults_demo(store: Store, settings: Settings, *, today: date | None = None, seed: int = 7,
                       scale: float = 1.0) -> str:
    """Seed the demo's simulated assaults, trails, learning and submissions; returns a one-line summary.

    Needs the demo accounts (the demo's accounts step) for the force analysts, chief officers, review
    team and submission authors it acts as. ``scale`` shrinks the numbers of assaults and submissions
    (for tests).
    """
    today = today or date.today()
    rng = random.Random(seed)
    assaults = events = items = 0
    for code in DEMO_FORCES:
        a, e = _seed_force(store, settings, code, rng, today, scale)
        assaults, events = assaults + a, events + e
        items += _seed_learning(store, code, rng, today)
    submissions, confirmed = _seed_submissions(store, settings, rng, today, scale)
    return (f"{assaults} SIMULATED assaults with {events:,} outcome events, {items} learning items, {submissions} "
            f"review submissions ({confirmed} with areas confirmed by the demo reviewer)")
