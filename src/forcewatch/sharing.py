"""Who may see free text about officers beyond their force: consent scopes, sharing levels, moderation.

A learning item or a review submission reaches an audience beyond its force only when **all** hold:

- its moderation status is ``approved`` (``received`` -> ``redacted`` -> ``approved`` or ``rejected``);
- the consent scope given by the officer covers that audience (:func:`consent_covers`);
- for a learning item, its sharing level reaches that audience (:func:`level_reaches`);
- what is shown is the redacted text, with dates coarsened to a quarter, geography to a region
  (outside the force), and no direct identifiers (:func:`identifiers_left` must find none);
- internal links (source assault ids, the author) are dropped.

Every change of consent, redaction or sharing level is an audit event (:class:`ConsentChanged` here;
the others in :mod:`forcewatch.learning` and :mod:`forcewatch.review.store`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from . import audit
from .access import NATIONAL_ROLES, Principal, Role
from .errors import Conflict, UnknownName

__all__ = ["CONSENT_SCOPES", "SHARING_LEVELS", "AUDIENCES", "MODERATION", "ConsentChanged", "consent_covers",
           "level_reaches", "audience_of", "check_transition", "identifiers_left", "quarter", "choice"]

#: The officer's consent, narrowest first, and the widest audience each allows.
CONSENT_SCOPES = {
    "internal_force_only": "Only my force and the review team may read it (redacted); never quoted outside my force",
    "national_review": "It may also inform the national review and reports to the chiefs' council (redacted)",
    "publish_anonymised_quotes": "Anonymised (redacted) quotes may also be published",
}
#: Audiences, narrowest first.
AUDIENCES = ("force", "region", "national_network", "public")
#: A learning item's sharing level: the widest audience it is meant for.
SHARING_LEVELS = {
    "force": "This force only", "region": "Forces in the same region", "national_network": "Every force and the "
    "national network (College of Policing, NPCC)", "public": "The public",
}
_CONSENT_REACH = {"internal_force_only": "force", "national_review": "national_network",
                  "publish_anonymised_quotes": "public"}
#: Moderation: the states and the moves allowed between them.
MODERATION = {"received": ("redacted", "rejected"), "redacted": ("redacted", "approved", "rejected"),
              "approved": ("redacted", "rejected"), "rejected": ("redacted",)}


@audit.register
@dataclass(frozen=True, kw_only=True)
class ConsentChanged(audit.AuditEvent):
    """Fires when the consent scope of a review submission or a learning item is set or changed."""

    name: ClassVar[str] = "consent.changed"
    record_type: str
    from_scope: str | None
    to_scope: str

    def subject(self) -> tuple[str | None, str | None]:
        return self.record_type, self.subject_id


def choice(kind: str, value: str, options: dict[str, str] | tuple[str, ...]) -> str:
    """``value`` when it is one of ``options`` (keys of a dict); :class:`UnknownName` otherwise."""
    wanted = (value or "").strip().lower()
    if wanted not in options:
        raise UnknownName(kind, value, list(options))
    return wanted


def _rank(audience: str) -> int:
    return AUDIENCES.index(audience)


def consent_covers(scope: str, audience: str) -> bool:
    """Whether a consent scope allows showing (redacted) text to ``audience``."""
    return _rank(audience) <= _rank(_CONSENT_REACH[scope])


def level_reaches(level: str, audience: str) -> bool:
    """Whether a learning item's sharing level reaches ``audience``."""
    return _rank(audience) <= _rank(level)


def audience_of(principal: Principal, force_code: str, region_code: str | None) -> str | None:
    """The audience ``principal`` is for an item of ``force_code``: ``force``, ``region``,
    ``national_network`` or ``public`` (``None`` is never returned for a logged-in user)."""
    if principal.role is Role.public:
        return "public"
    if principal.force_code == force_code:
        return "force"
    if principal.role not in NATIONAL_ROLES and region_code is not None:
        from .forces import try_resolve

        mine = try_resolve(principal.force_code) if principal.force_code else None
        if mine is not None and mine.region_code == region_code:
            return "region"
    return "national_network"


def check_transition(record_type: str, record_id: int, current: str, wanted: str) -> None:
    """Refuse a moderation move the workflow does not allow (:class:`Conflict`)."""
    if wanted not in MODERATION.get(current, ()):
        allowed = ", ".join(MODERATION.get(current, ())) or "nothing"
        raise Conflict(f"{record_type} {record_id} is {current}: it cannot become {wanted}",
                       hint=f"from {current} it can become {allowed}")


def identifiers_left(*texts: str | None) -> list[str]:
    """The kinds of identifier the redactor still finds in already-redacted texts (placeholders ignored)."""
    from .review import find_identifiers

    found: list[str] = []
    for text in texts:
        if text:
            found += [f.type for f in find_identifiers(text)]
    return sorted(set(found))


def quarter(month: str) -> str:
    """``2024-05`` -> ``2024 Q2``: the coarsened date of anything shared beyond the force."""
    year, mm = month.split("-")[:2]
    return f"{year} Q{(int(mm) - 1) // 3 + 1}"

