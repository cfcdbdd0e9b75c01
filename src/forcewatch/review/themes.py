"""Themes within each review area, coded by keyword: transparent, offline, and indicative only.

Each area has a short list of themes, each with the words that signal it (taken from the areas'
descriptions in :mod:`.areas` and the vocabulary officers use). A submission tagged to an area is
counted under every theme of that area whose pattern it matches. The themes are a reading aid for
the report, not a finding: nobody has confirmed them, and the report says so.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable

__all__ = ["THEMES", "themes_of", "count_themes"]

_T = tuple[str, str, str]  # key, label, pattern (case-insensitive)

THEMES: dict[str, tuple[_T, ...]] = {
    "training": (
        ("time", "Too little safety training, or too rarely", r"\b(one|single) day\b|a day or two|once a year|"
         r"refresher|recert|annual|hours? (of|on) |more (pst|ost|training)|contact time|tick box|a joke|e-learning"),
        ("realism", "Unrealistic scenarios", r"scenario|realistic|real[- ]world|unrealistic|on the mats?\b"),
        ("de_escalation", "Conflict management and de-escalation", r"de-?escalat|conflict management|talk(ing)? "
         r"(people|them|someone) down|communication skills"),
        ("restraint", "Restraint and ground work", r"restrain|ground ?work|on the ground|handcuff"),
        ("weapons", "Edged weapons and corrosives", r"knife|knives|blade|edged|acid|corrosive"),
        ("mental_health", "Mental health and acute behavioural disturbance", r"mental health|\babd\b|acute "
         r"behaviou?ral|crisis"),
        ("practical", "Practical skills not taught", r"never (once )?(been )?(taught|shown)|taught how|teach us|"
         r"self defence|spice|influence|deaf|autistic|statement"),
        ("who_is_trained", "Training for specials, PCSOs, custody staff and probationers", r"pcsos?|special|custody "
         r"staff|probationer|student|academy|tutor"),
        ("trainers", "Trainers and courses", r"trainer|instructor|course"),
    ),
    "equipment": (
        ("taser", "Taser availability and devices", r"taser|\bced\b"),
        ("armour", "Body armour", r"body armou?r|stab vest|\bvest\b"),
        ("spit_guards", "Spit and bite guards", r"spit (and bite )?guard|spit hood|bite guard"),
        ("bwv", "Body-worn video", r"\bbwv\b|body[- ]?(worn|cam)|camera|footage"),
        ("radios", "Radios and emergency buttons", r"radio|airwave|earpiece|emergency button|signal"),
        ("pava_baton", "PAVA, batons and restraints", r"\bpava\b|baton|\bcs\b|irritant|limb restraint|handcuff"),
        ("gloves", "Protective gloves", r"glove"),
        ("vehicles", "Vehicles and cages", r"\bvans?\b|\bcage|vehicle|\bcar\b"),
    ),
    "deployment": (
        ("single_crewing", "Single crewing and lone working", r"single[- ]?crew|on my own|alone|by myself|lone "
         r"work"),
        ("backup", "Backup and response times", r"back[- ]?up|response time|waiting for|minutes away|nearest unit"),
        ("staffing", "Staffing levels and abstraction", r"staffing|minimum|short[- ]staffed|abstract|not enough "
         r"(officers|staff)|numbers"),
        ("control_room", "Control room, dispatch and warning markers", r"control room|dispatch|call handler|"
         r"warning marker|markers?\b|\bcontrol\b"),
        ("specialist_cover", "Taser, armed and specialist cover", r"taser (officer|cover)|\barvs?\b|armed|tactical "
         r"adviser|specialist"),
        ("planning", "Briefing, planning and risk assessment", r"\bstra\b|brief|plan|risk assess"),
        ("fatigue", "Shifts and fatigue", r"fatigue|shift|nights|tired|rest days"),
    ),
    "investigation_aftercare": (
        ("own_investigation", "Who investigates an assault on an officer", r"my own (assault|case|crime)|investigat"
         r"(e|ed|ion|ing)|their own (assault|c)|cid\b|shift mates|passed around|single point of contact"),
        ("supervisor", "Supervisors' support", r"sergeant|supervisor|inspector|line manager|\bsgt\b|\bdi\b"),
        ("welfare", "Welfare contact and return to work", r"welfare|check(ed)? (on|in with) me|nobody (called|asked)|"
         r"no one (asked|thought|followed)|fit\b|phased return|restricted duties|back (out|on nights)|\bhr\b|cared"),
        ("health", "Occupational health, TRiM and mental health", r"occupational health|\btrim\b|counsell|mental "
         r"health|\boh\b"),
        ("blood_tests", "Blood tests and exposure after spitting or biting", r"blood test|\bpep\b|hepatitis|\bhiv\b|"
         r"\bbbv\b|spat|spit|bitten"),
        ("updates", "Updates under the Victim Code", r"update|victim code|kept (in touch|informed)|heard nothing|"
         r"found out|never told|nobody discussed|asked if i wanted"),
        ("recording", "Recording assaults as crimes", r"crime (code|report)|recorded|part of the job|stats"),
        ("vps", "Victim personal statements", r"victim personal statement|\bvps\b|impact statement"),
        ("hampshire", "Operation Hampshire", r"hampshire"),
    ),
    "criminal_justice": (
        ("charging", "Charging decisions and the CPS", r"\bcps\b|charg|prosecut"),
        ("downgrading", "Downgraded charges and pleas", r"downgrad|lesser|reduced to|plea"),
        ("out_of_court", "Out-of-court disposals", r"caution|community resolution|out of court"),
        ("sentences", "Sentences", r"sentenc|\bfine[ds]?\b|suspended|custody|prison|jail|referral order"),
        ("delay", "Delays and discontinuance", r"adjourn|delay|discontinu|months later|dropped"),
        ("footage_in_court", "Footage shown in court", r"footage|video|\bbwv\b"),
        ("compensation", "Compensation", r"compensation"),
        ("deterrence", "Deterrence", r"deter|no consequence|get away|walked|laugh"),
    ),
}
_COMPILED = {area: tuple((k, label, re.compile(p, re.IGNORECASE)) for k, label, p in themes)
             for area, themes in THEMES.items()}


def themes_of(area: str, text: str) -> list[str]:
    """The keys of ``area``'s themes that ``text`` matches."""
    return [key for key, _, pattern in _COMPILED[area] if pattern.search(text)]


def count_themes(area: str, texts: Iterable[str]) -> list[dict[str, Any]]:
    """How many of ``texts`` match each theme of ``area``, commonest first (themes matched by none left out)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(themes_of(area, text))
    labels = {k: label for k, label, _ in _COMPILED[area]}
    return [{"theme": k, "label": labels[k], "count": n} for k, n in counts.most_common() if n]
