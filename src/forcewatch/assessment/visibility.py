"""Who may read an assessment at which tier (the checks behind every read, list and verification).

- the **restricted** tier (the full assessment, its trace and the restricted pack):
  ``assessment.read_restricted`` for the force, or the command-line operator;
- the **public** tier (the suppressed summary, verification): ``assessment.read`` for the force at
  any state, and everyone once the assessment was published.
"""

from __future__ import annotations

from sqlalchemy import Connection

from ..access import SYSTEM, Principal, allows, require
from .model import PUBLISHED, Assessment
from .workflow import signatures

__all__ = ["may_read_public_tier", "require_restricted", "was_published"]


def require_restricted(principal: Principal, item: Assessment) -> None:
    """The command-line operator, or a role that reads the force's restricted pack; else refused."""
    if principal != SYSTEM:
        require(principal, "assessment.read_restricted", force_code=item.force_code)


def was_published(conn: Connection, item: Assessment) -> bool:
    return item.state == PUBLISHED or any(s.to_state == PUBLISHED for s in signatures(conn, item.id))


def may_read_public_tier(conn: Connection, principal: Principal, item: Assessment) -> bool:
    """The public summary: the force's readers at any state; everyone once it was published."""
    return (
        principal == SYSTEM
        or allows(principal, "assessment.read", force_code=item.force_code) is not None
        or was_published(conn, item)
    )
