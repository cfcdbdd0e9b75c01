"""Who may do what: roles, principals, and the one access-policy table.

Every record-level read and every write in forcewatch calls :func:`require` with the record's
force (and, where the record has them, its owner and team), or filters its query by
:func:`visible_forces`. The policy is the table :data:`POLICY` below, written in one place and
rendered into ``docs/access.md`` by ``make docs``.

Scopes, narrowest first:

- ``own``: records whose officer is the principal (by officer pseudonym), in the principal's force;
- ``team``: records of the principal's team (and their own), in their force;
- ``force``: every record of the principal's force;
- ``all``: every force;
- no entry: denied.

>>> p = Principal(user_id=1, username="sam", role=Role.officer, force_code="E23000036",
...               team="Bristol A", officer_pseudonym="abc")
>>> require(p, "report.read", force_code="E23000036", owner="abc")
<Scope.own: 'own'>
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from .errors import PermissionDenied, UsageError
from .forces import try_resolve

__all__ = [
    "Role", "Scope", "Principal", "Rule", "POLICY", "ACTIONS", "ACCOUNT_ROLES", "NATIONAL_ROLES",
    "ALL", "AllForces", "PUBLIC", "SYSTEM", "operator", "force_operator", "require", "allows", "can", "scope_of",
    "visible_forces", "readable_forces",
    "policy_markdown",
]


class Role(StrEnum):
    """A role. Every account has exactly one; ``public`` is whoever is not logged in."""

    officer = "officer"
    supervisor = "supervisor"
    force_analyst = "force_analyst"
    assurer = "assurer"
    chief_officer = "chief_officer"
    pcc = "pcc"
    scrutiny_panel = "scrutiny_panel"
    national_analyst = "national_analyst"
    review_team = "review_team"
    administrator = "administrator"
    public = "public"


ROLE_DESCRIPTIONS: Final[dict[Role, str]] = {
    Role.officer: "records their own use-of-force reports",
    Role.supervisor: "reviews the reports of their team",
    Role.force_analyst: "analyses their force's records; drafts its threat and risk assessment",
    Role.assurer: "independently verifies their force's assessment (never its analyst)",
    Role.chief_officer: "approves and publishes their force's assessment",
    Role.pcc: "police and crime commissioner: reads the force's packs and statistics",
    Role.scrutiny_panel: "reads the force's packs at the public tier, before and after publication",
    Role.national_analyst: "national chiefs' council: statistics and packs of every force",
    Role.review_team: "officer safety review team: the only people who may see a submission's author",
    Role.administrator: "manages accounts and reads the audit log; no access to records",
    Role.public: "not logged in: published, suppressed outputs only",
}

#: Roles an account can have (``public`` is not one).
ACCOUNT_ROLES: Final[tuple[Role, ...]] = tuple(r for r in Role if r is not Role.public)
#: Roles not tied to one force.
NATIONAL_ROLES: Final[frozenset[Role]] = frozenset({Role.national_analyst, Role.review_team, Role.administrator})


class Scope(StrEnum):
    """How far a role's right to an action reaches."""

    own = "own"
    team = "team"
    force = "force"
    all = "all"


@dataclass(frozen=True)
class Rule:
    """One action: what it means, and the scope each role has (roles not listed are denied)."""

    description: str
    scopes: dict[Role, Scope]


_o, _t, _f, _a = Scope.own, Scope.team, Scope.force, Scope.all
R = Role

#: THE access policy. Change it here, run ``make docs``, and update ``tests/test_access.py``.
POLICY: Final[dict[str, Rule]] = {
    "report.read": Rule("read use-of-force reports (record level)", {
        R.officer: _o, R.supervisor: _t, R.force_analyst: _f, R.assurer: _f, R.chief_officer: _f,
        R.national_analyst: _a}),
    "report.create": Rule("record a use-of-force report", {R.officer: _o, R.supervisor: _o}),
    "report.review": Rule("review (accept or return) a submitted report", {R.supervisor: _t}),
    "facts.read_records": Rule("statistics computed from records, before suppression", {
        R.force_analyst: _f, R.assurer: _f, R.chief_officer: _f, R.pcc: _f, R.national_analyst: _a}),
    "assessment.read": Rule("read assessments at the public tier (suppressed), published or not", {
        R.force_analyst: _f, R.assurer: _f, R.chief_officer: _f, R.pcc: _f, R.scrutiny_panel: _f,
        R.national_analyst: _a}),
    "assessment.read_restricted": Rule("read the restricted (OFFICIAL-SENSITIVE) assessment pack", {
        R.force_analyst: _f, R.assurer: _f, R.chief_officer: _f, R.pcc: _f, R.national_analyst: _a}),
    "assessment.draft": Rule("create and edit a draft assessment, record judgements", {R.force_analyst: _f}),
    "assessment.assure": Rule("mark an assessment assured after independent verification", {R.assurer: _f}),
    "assessment.approve": Rule("approve (sign) an assessment", {R.chief_officer: _f}),
    "assessment.publish": Rule("publish an approved assessment's public pack", {R.chief_officer: _f}),
    "assault.read": Rule("read assaults on officers (record level)", {
        R.officer: _o, R.supervisor: _t, R.force_analyst: _f, R.chief_officer: _f, R.national_analyst: _a}),
    "assault.write": Rule("record or update an assault on an officer and its outcomes", {
        R.officer: _o, R.supervisor: _t, R.force_analyst: _f}),
    "review.read": Rule("read officer safety review submissions, without their author", {
        R.force_analyst: _f, R.review_team: _a}),
    "welfare.read": Rule("read an assaulted officer's aftercare and welfare record (health data)", {
        R.officer: _o, R.supervisor: _t, R.force_analyst: _f}),
    "welfare.write": Rule("record aftercare and welfare checks after an assault", {
        R.supervisor: _t, R.force_analyst: _f}),
    "learning.read": Rule("read the force's learning items as written, with their source assaults", {
        R.supervisor: _f, R.force_analyst: _f, R.chief_officer: _f, R.review_team: _a}),
    "learning.write": Rule("write learning items from assaults, redact them, propose a sharing level", {
        R.supervisor: _f, R.force_analyst: _f}),
    "learning.moderate": Rule("approve or reject learning items for sharing beyond the force", {
        R.chief_officer: _f, R.review_team: _a}),
    "review.read_author": Rule("see who wrote a review submission", {R.review_team: _a}),
    "review.submit": Rule("submit to the officer safety review; change the consent of their own submissions", {
        R.officer: _f, R.supervisor: _f, R.force_analyst: _f, R.assurer: _f, R.chief_officer: _f}),
    "review.moderate": Rule("redact, approve or reject review submissions; confirm or change their area tags", {
        R.review_team: _a}),
    "review.report": Rule("the review's area report: counts, themes, approved quotes, assault and outcome figures", {
        R.force_analyst: _f, R.chief_officer: _f, R.national_analyst: _a, R.review_team: _a}),
    "register.read": Rule("read the Taser-trained officer register", {
        R.officer: _o, R.supervisor: _t, R.force_analyst: _f, R.chief_officer: _f}),
    "register.write": Rule("change the Taser-trained officer register", {R.force_analyst: _f}),
    "dashboard.read": Rule("the force dashboard: headline figures, assessment state and alerts for a force", {
        R.officer: _f, R.supervisor: _f, R.force_analyst: _f, R.assurer: _f, R.chief_officer: _f, R.pcc: _f,
        R.scrutiny_panel: _f, R.national_analyst: _a}),
    "publication.write": Rule("publish a force's quarterly Taser figures and statements on the public site", {
        R.force_analyst: _f, R.chief_officer: _f, R.administrator: _a}),
    "publication.write_national": Rule("publish national statements on the public site", {
        R.national_analyst: _a, R.administrator: _a}),
    "user.manage": Rule("create, disable and reset accounts; issue API tokens", {R.administrator: _a}),
    "audit.read": Rule("read the audit log", {R.assurer: _f, R.chief_officer: _f, R.administrator: _a}),
}
del R

#: Every action, in policy order.
ACTIONS: Final[tuple[str, ...]] = tuple(POLICY)


@dataclass(frozen=True)
class Principal:
    """Who is acting: a logged-in account, :data:`PUBLIC`, or :data:`SYSTEM`."""

    user_id: int | None
    username: str
    role: Role
    force_code: str | None = None
    team: str | None = None
    officer_pseudonym: str | None = None
    display_name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))
        if self.role not in NATIONAL_ROLES and self.role is not Role.public and not self.force_code:
            raise UsageError(f"a {self.role} principal needs a force code")

    @property
    def is_authenticated(self) -> bool:
        """True for a logged-in account (and :data:`SYSTEM`), False for :data:`PUBLIC`."""
        return self.role is not Role.public

    def as_dict(self) -> dict[str, object]:
        return {"user_id": self.user_id, "username": self.username, "display_name": self.display_name,
                "role": str(self.role), "force_code": self.force_code, "team": self.team}


#: Whoever is not logged in: no record-level rights at all.
PUBLIC: Final = Principal(user_id=None, username="public", role=Role.public, display_name="Public")
#: The operator at the command line (who already holds the database URL): an administrator.
SYSTEM: Final = Principal(user_id=None, username="system", role=Role.administrator, display_name="System")


def operator(role: Role, force_code: str | None = None) -> Principal:
    """The command line acting in ``role``, for one force (or nationally, for a national role).

    Whoever runs the command line already holds the database URL, so it may act in any role; it
    still goes through the access policy in that role (a force role sees only that force: naming
    the force keeps every read and write scoped to it), and the audit log names the actor ``system``.
    """
    return Principal(user_id=None, username="system", role=role, force_code=force_code,
                     display_name="System (command line)")


def force_operator(force_code: str) -> Principal:
    """The command line acting for one force with a force analyst's rights there, e.g.
    ``forcewatch register count --force F`` (:func:`operator` in that role)."""
    return operator(Role.force_analyst, force_code)


class AllForces:
    """Every force: what :func:`visible_forces` returns for a role with ``all`` scope."""

    _instance: AllForces | None = None

    def __new__(cls) -> AllForces:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __contains__(self, force_code: object) -> bool:
        return True

    def __repr__(self) -> str:
        return "ALL"


ALL: Final = AllForces()


def _rule(action: str) -> Rule:
    try:
        return POLICY[action]
    except KeyError:
        raise UsageError(f"unknown action {action!r}", hint="actions are listed in forcewatch.access.POLICY") from None


def scope_of(principal: Principal, action: str) -> Scope | None:
    """The scope ``principal``'s role has for ``action``, or ``None`` when it is denied."""
    return _rule(action).scopes.get(principal.role)


def can(principal: Principal, action: str) -> bool:
    """Whether the role may do ``action`` at all (for some force or record)."""
    return scope_of(principal, action) is not None


def allows(principal: Principal, action: str, *, force_code: str | None,
           owner: str | None = None, team: str | None = None) -> Scope | None:
    """The scope that lets ``principal`` do ``action`` on this record, or ``None``.

    ``force_code`` is the record's force; ``owner`` the officer pseudonym of the record's officer;
    ``team`` the record's team. Unknown owner or team never widen access.
    """
    scope = scope_of(principal, action)
    if scope is None:
        return None
    if scope is Scope.all:
        return scope
    if principal.force_code is None or force_code != principal.force_code:
        return None
    if scope is Scope.force:
        return scope
    own = owner is not None and principal.officer_pseudonym is not None and owner == principal.officer_pseudonym
    if scope is Scope.own:
        return scope if own else None
    same_team = team is not None and principal.team is not None and team == principal.team
    return scope if (own or same_team) else None


_REACH = {Scope.own: "only their own records in their force", Scope.team: "only their team's records in their force",
          Scope.force: "only their own force", Scope.all: "every force"}


def _force_label(code: str | None) -> str:
    if code is None:
        return "no force"
    area = try_resolve(code)
    return f"force {code} ({area.name})" if area else f"force {code}"


def require(principal: Principal, action: str, *, force_code: str | None,
            owner: str | None = None, team: str | None = None) -> Scope:
    """Return the scope that allows ``action``, or raise :class:`PermissionDenied` naming role, action and force."""
    scope = allows(principal, action, force_code=force_code, owner=owner, team=team)
    if scope is not None:
        return scope
    allowed = scope_of(principal, action)
    reach = f"the role allows it for {_REACH[allowed]}" if allowed else "the role never allows it"
    raise PermissionDenied(
        f"{principal.role} {principal.username!r} may not {action} ({_rule(action).description}) "
        f"for {_force_label(force_code)}: {reach}",
    )


def visible_forces(principal: Principal, action: str) -> set[str] | AllForces:
    """The forces whose records a query for ``action`` may return: :data:`ALL`, one force, or none.

    For ``own`` and ``team`` scopes the query must also filter by owner or team (see :func:`scope_of`).
    """
    scope = scope_of(principal, action)
    if scope is None:
        return set()
    if scope is Scope.all:
        return ALL
    return {principal.force_code} if principal.force_code else set()


def readable_forces(principal: Principal, action: str, *, force_code: str | None = None) -> set[str] | AllForces:
    """The forces a listing or aggregate for ``action`` may cover, refusing outright when there are none.

    With ``force_code`` (the reader asked for one force): that force, if the principal may do
    ``action`` there (else :class:`PermissionDenied`). Without: :func:`visible_forces`, or
    :class:`PermissionDenied` naming the role and action when the role reaches no force at all.
    Filter a query with ``column.in_(sorted(forces))`` unless it is :data:`ALL`.
    """
    if force_code is not None:
        require(principal, action, force_code=force_code)
        return {force_code}
    visible = visible_forces(principal, action)
    if not visible:
        require(principal, action, force_code=principal.force_code)
        raise PermissionDenied(f"{principal.role} may not {action} for any force")  # pragma: no cover
    return visible


def policy_markdown() -> str:
    """``docs/access.md``: the roles and the policy table, generated from :data:`POLICY`."""
    roles = list(ACCOUNT_ROLES)
    lines = [
        "# Access policy",
        "",
        "Generated from `forcewatch.access.POLICY` by `make docs`; a test keeps it current.",
        "Scopes: **own** (the officer's own records, in their force), **team** (their team's records and",
        "their own, in their force), **force** (their force), **all** (every force); `-` denied.",
        "Anyone not logged in (`public`) is denied every action below.",
        "",
        "## Roles",
        "",
        "| role | national | what it is for |",
        "|---|---|---|",
        *(f"| `{r}` | {'yes' if r in NATIONAL_ROLES else 'no'} | {ROLE_DESCRIPTIONS[r]} |" for r in Role),
        "",
        "## Actions",
        "",
        "| action | meaning | " + " | ".join(f"`{r}`" for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for action, rule in POLICY.items():
        cells = [str(rule.scopes[r]) if r in rule.scopes else "-" for r in roles]
        lines.append(f"| `{action}` | {rule.description} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
