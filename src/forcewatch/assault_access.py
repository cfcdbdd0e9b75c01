"""How assault records are scoped: one place that turns the access policy into query filters and checks.

An assault's owner is its victim (by officer pseudonym) and its team is the victim's team, so the
policy's ``own`` scope lets an officer see the assaults on them, ``team`` lets a supervisor see
their team's, ``force`` a force analyst their force's and ``all`` the national analyst every force's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, false, or_, select

from . import access
from .access import Principal, Scope
from .errors import NotFound
from .store.tables.assaults import officer_assault

__all__ = ["assault_filters", "load_assault", "require_on", "allowed_on"]


def assault_filters(principal: Principal, action: str) -> list[ColumnElement[bool]]:
    """WHERE clauses limiting ``officer_assault`` to the rows ``principal`` may ``action``.

    Raises :class:`~forcewatch.errors.PermissionDenied` when the role never has the action.
    """
    scope = access.scope_of(principal, action)
    if scope is None:
        access.require(principal, action, force_code=principal.force_code)  # raises, naming role and action
    visible = access.visible_forces(principal, action)
    t = officer_assault.c
    clauses: list[ColumnElement[bool]] = []
    if isinstance(visible, set):
        clauses.append(t.force_code.in_(sorted(visible)) if visible else false())
    own = t.victim_pseudonym == principal.officer_pseudonym if principal.officer_pseudonym else false()
    if scope is Scope.own:
        clauses.append(own)
    elif scope is Scope.team:
        clauses.append(or_(t.team == principal.team if principal.team else false(), own))
    return clauses


def require_on(principal: Principal, action: str, row: Any) -> Scope:
    """Check ``action`` on one assault row (its force, victim and team); raises when it is not allowed."""
    return access.require(principal, action, force_code=row.force_code, owner=row.victim_pseudonym, team=row.team)


def allowed_on(principal: Principal, action: str, row: Any) -> bool:
    """Whether ``action`` is allowed on one assault row."""
    return access.allows(principal, action, force_code=row.force_code, owner=row.victim_pseudonym,
                         team=row.team) is not None


def load_assault(conn: Connection, principal: Principal, action: str, assault_id: int) -> Row[Any]:
    """The assault row, after checking ``action`` on it.

    An assault the principal may not see is reported exactly like one that does not exist, so ids
    reveal nothing; a role that never has the action is refused outright.
    """
    if not access.can(principal, action):
        access.require(principal, action, force_code=principal.force_code)
    row = conn.execute(select(officer_assault).where(officer_assault.c.id == assault_id)).first()
    if row is None or not allowed_on(principal, action, row):
        raise NotFound(f"no assault {assault_id} that you may {action.split('.')[-1]}",
                       hint="check the id; you see only the assaults your role and force allow")
    return row
