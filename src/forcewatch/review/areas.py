"""The five areas of the national Officer and Staff Safety Review.

Each area has the key forcewatch uses on the command line and in JSON (``interfaces.md``), the
review's own code (the terms of reference, ``assaults-and-review.md`` section 5), English and Welsh
labels, and a short description of what belongs in it: the description is what a reviewer tagging a
submission by hand would read.

The Welsh labels were written carefully but **have not been checked by a Welsh-language
specialist**: :data:`WELSH_LABELS_CHECKED` stays ``False`` until they are, and the web app should
say so wherever it shows them.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import UnknownName

__all__ = ["AREAS", "AREA_KEYS", "WELSH_LABELS_CHECKED", "ReviewArea", "area"]

#: ``False`` until a Welsh-language specialist has checked every ``label_cy``.
WELSH_LABELS_CHECKED = False


@dataclass(frozen=True)
class ReviewArea:
    """One area of the review: its key, the review's code, labels and what belongs in it."""

    key: str
    code: str
    label_en: str
    label_cy: str
    description: str

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label_cy_checked": WELSH_LABELS_CHECKED}


AREAS: tuple[ReviewArea, ...] = (
    ReviewArea(
        key="training",
        code="TRAINING",
        label_en="Officer safety training",
        label_cy="Hyfforddiant diogelwch swyddogion",
        description=(
            "Personal and officer safety training (PST/OST): how often, how long, trainer contact "
            "time, realism of scenarios, conflict management and de-escalation, restraint and "
            "ground work, edged weapons, mental health and acute behavioural disturbance, "
            "corrosive substances, first aid, training for specials, PCSOs, custody staff and "
            "supervisors, a national curriculum."
        ),
    ),
    ReviewArea(
        key="equipment",
        code="EQUIPMENT",
        label_en="Equipment",
        label_cy="Cyfarpar",
        description=(
            "Kit carried and issued: Taser availability and devices, body armour and its fit, spit "
            "and bite guards, PAVA, batons, handcuffs and limb restraints, protective and "
            "slash- or needle-resistant gloves, high-visibility clothing, radios, earpieces and "
            "emergency buttons, body-worn video as kit (batteries, mounts, recording), vehicles and "
            "cages, shields, first aid and trauma kits."
        ),
    ),
    ReviewArea(
        key="deployment",
        code="DEPLOYMENT_PLANNING",
        label_en="Deployment and operational planning",
        label_cy="Lleoli swyddogion a chynllunio gweithredol",
        description=(
            "Who is sent, with whom and knowing what: single or double crewing, minimum staffing, "
            "backup and response times, rural cover, control-room dispatch and warning markers, "
            "threat and risk assessment (STRA), Taser and ARV cover, custody and hospital staffing, "
            "shift patterns and fatigue, abstraction, briefing and planning for warrants, events "
            "and the night-time economy."
        ),
    ),
    ReviewArea(
        key="investigation_aftercare",
        code="INVESTIGATION_AFTERCARE",
        label_en="Investigation of assaults and aftercare",
        label_cy="Ymchwilio i ymosodiadau ac ôl-ofal",
        description=(
            "How an assault on an officer is recorded and investigated, and the care given "
            "afterwards: the victim never investigating their own assault, Operation Hampshire, "
            "the supervisor's duty to support, welfare contact, occupational health, TRiM and "
            "counselling, blood tests after spitting or biting, injury on duty, sickness "
            "management, Fed reps, updates under the Victim Code, taking the victim personal "
            "statement."
        ),
    ),
    ReviewArea(
        key="criminal_justice",
        code="CJS_DETERRENCE",
        label_en="Criminal justice response and deterrence",
        label_cy="Ymateb cyfiawnder troseddol ac ataliaeth",
        description=(
            "What happens to the offender: charging decisions and the charge chosen, the CPS, "
            "discontinuance and downgraded pleas, out-of-court disposals, courts, delays and "
            "adjournments, sentences and the emergency-worker aggravation, body-worn video shown "
            "in court, the victim personal statement read in court, compensation, whether any of "
            "it deters."
        ),
    ),
)

#: The five keys, in the review's order.
AREA_KEYS: tuple[str, ...] = tuple(a.key for a in AREAS)

_BY_NAME = {**{a.key: a for a in AREAS}, **{a.code.lower(): a for a in AREAS}}


def area(name: str) -> ReviewArea:
    """The area with this key or review code (any case).

    >>> area("CJS_DETERRENCE").key
    'criminal_justice'

    Raises :class:`~forcewatch.errors.UnknownName` naming the nearest keys when there is none.
    """
    found = _BY_NAME.get(name.strip().lower())
    if found is None:
        suggestions = difflib.get_close_matches(
            name.strip().lower(), list(_BY_NAME), n=3, cutoff=0.5
        )
        raise UnknownName(
            "review area", name, list(dict.fromkeys(_BY_NAME[s].key for s in suggestions))
        )
    return found
