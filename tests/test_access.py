"""The access policy: every role, every action, every situation a record can be in.

``SPEC`` below is the policy restated by hand, as the specification; the test fails if
``forcewatch.access.POLICY`` differs from it in any cell, and then checks what each scope means
for a record in each of six situations (own force, other force, own team, other team, own
record, another officer's record).
"""

from __future__ import annotations

import pytest

from forcewatch.access import (
    ACCOUNT_ROLES,
    ACTIONS,
    ALL,
    NATIONAL_ROLES,
    POLICY,
    PUBLIC,
    SYSTEM,
    Principal,
    Role,
    Scope,
    allows,
    can,
    force_operator,
    require,
    scope_of,
    visible_forces,
)
from forcewatch.errors import PermissionDenied, UsageError

SPEC = """
action                      officer supervisor force_analyst assurer chief_officer pcc   scrutiny_panel national_analyst review_team administrator
report.read                 own     team       force         force   force         -     -              all              -           -
report.create               own     own        -             -       -             -     -              -                -           -
report.review               -       team       -             -       -             -     -              -                -           -
facts.read_records          -       -          force         force   force         force -              all              -           -
assessment.read             -       -          force         force   force         force force          all              -           -
assessment.read_restricted  -       -          force         force   force         force -              all              -           -
assessment.draft            -       -          force         -       -             -     -              -                -           -
assessment.assure           -       -          -             force   -             -     -              -                -           -
assessment.approve          -       -          -             -       force         -     -              -                -           -
assessment.publish          -       -          -             -       force         -     -              -                -           -
assault.read                own     team       force         -       force         -     -              all              -           -
assault.write               own     team       force         -       -             -     -              -                -           -
review.read                 -       -          force         -       -             -     -              -                all         -
welfare.read                own     team       force         -       -             -     -              -                -           -
welfare.write               -       team       force         -       -             -     -              -                -           -
learning.read               -       force      force         -       force         -     -              -                all         -
learning.write              -       force      force         -       -             -     -              -                -           -
learning.moderate           -       -          -             -       force         -     -              -                all         -
review.read_author          -       -          -             -       -             -     -              -                all         -
review.submit               force   force      force         force   force         -     -              -                -           -
review.moderate             -       -          -             -       -             -     -              -                all         -
review.report               -       -          force         -       force         -     -              all              all         -
register.read               own     team       force         -       force         -     -              -                -           -
register.write              -       -          force         -       -             -     -              -                -           -
dashboard.read              force   force      force         force   force         force force          all              -           -
publication.write           -       -          force         -       force         -     -              -                -           all
publication.write_national  -       -          -             -       -             -     -              all              -           all
user.manage                 -       -          -             -       -             -     -              -                -           all
audit.read                  -       -          -             force   force         -     -              -                -           all
"""


def _spec() -> dict[tuple[str, str], Scope | None]:
    header, *rows = [line.split() for line in SPEC.strip().splitlines()]
    table = {}
    for action, *cells in rows:
        for role, cell in zip(header[1:], cells, strict=True):
            table[(role, action)] = None if cell == "-" else Scope(cell)
    return table


EXPECTED = _spec()
AVON, WMIDS = "E23000036", "E23000014"

#: (record force, record team, record owner) for a principal in Avon, team "T1", pseudonym "P".
SITUATIONS = {
    "own force (no team or owner known)": (AVON, None, None),
    "own team, another officer's record": (AVON, "T1", "Q"),
    "other team in the same force": (AVON, "T2", "Q"),
    "own record (filed under another team)": (AVON, "T2", "P"),
    "another officer's record, team unknown": (AVON, None, "Q"),
    "other force (same team name and pseudonym)": (WMIDS, "T1", "P"),
}

#: What each scope allows in each situation.
ALLOWED = {
    None: set(),
    Scope.own: {"own record (filed under another team)"},
    Scope.team: {"own team, another officer's record", "own record (filed under another team)"},
    Scope.force: {s for s, (force, _, _) in SITUATIONS.items() if force == AVON},
    Scope.all: set(SITUATIONS),
}


def _principal(role: Role) -> Principal:
    if role in NATIONAL_ROLES:
        return Principal(user_id=9, username=f"a.{role}", role=role)
    return Principal(user_id=9, username=f"a.{role}", role=role, force_code=AVON, team="T1", officer_pseudonym="P")


def test_the_policy_table_is_exactly_the_specification() -> None:
    actual = {(str(role), action): POLICY[action].scopes.get(role) for action in ACTIONS for role in ACCOUNT_ROLES}
    assert actual == EXPECTED
    assert set(ACTIONS) == {action for _, action in EXPECTED}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ACCOUNT_ROLES, ids=str)
def test_every_role_and_action_in_every_situation(role: Role, action: str) -> None:
    principal = _principal(role)
    scope = EXPECTED[(str(role), action)]
    assert scope_of(principal, action) is scope
    assert can(principal, action) is (scope is not None)
    for situation, (force, team, owner) in SITUATIONS.items():
        allowed = situation in ALLOWED[scope]
        assert (allows(principal, action, force_code=force, team=team, owner=owner) is not None) is allowed, situation
        if allowed:
            assert require(principal, action, force_code=force, team=team, owner=owner) is scope
        else:
            with pytest.raises(PermissionDenied) as refused:
                require(principal, action, force_code=force, team=team, owner=owner)
            assert str(role) in str(refused.value) and action in str(refused.value)
            assert force in str(refused.value)


def test_a_refusal_names_the_role_the_action_and_the_force() -> None:
    officer = _principal(Role.officer)
    with pytest.raises(PermissionDenied) as refused:
        require(officer, "report.read", force_code=WMIDS, owner="Q")
    message = str(refused.value)
    assert message.startswith("officer 'a.officer' may not report.read")
    assert "force E23000014 (West Midlands)" in message
    assert "only their own records in their force" in message


def test_nobody_logged_in_has_no_record_level_rights() -> None:
    for action in ACTIONS:
        assert not can(PUBLIC, action)
        assert visible_forces(PUBLIC, action) == set()
        with pytest.raises(PermissionDenied):
            require(PUBLIC, action, force_code=AVON)
    assert not PUBLIC.is_authenticated


def test_only_the_review_team_may_see_who_wrote_a_review_submission() -> None:
    may = {role for role in ACCOUNT_ROLES if can(_principal(role), "review.read_author")}
    assert may == {Role.review_team}


def test_administrators_manage_accounts_but_read_no_records() -> None:
    admin = _principal(Role.administrator)
    assert can(admin, "user.manage") and can(admin, "audit.read")
    record_actions = [a for a in ACTIONS if a.split(".")[0] in {"report", "facts", "assessment", "assault", "review", "register"}]
    assert [a for a in record_actions if can(admin, a)] == []


def test_visible_forces_is_what_a_query_filters_by() -> None:
    assert visible_forces(_principal(Role.national_analyst), "report.read") is ALL
    assert AVON in ALL and "anything" in ALL
    assert visible_forces(_principal(Role.force_analyst), "report.read") == {AVON}
    assert visible_forces(_principal(Role.officer), "report.read") == {AVON}  # and by owner: scope_of says own
    assert visible_forces(_principal(Role.pcc), "report.read") == set()


def test_the_command_line_acts_as_an_administrator() -> None:
    assert SYSTEM.role is Role.administrator and SYSTEM.username == "system"
    assert require(SYSTEM, "user.manage", force_code=None) is Scope.all


def test_the_command_line_acts_for_one_named_force_with_an_analysts_rights() -> None:
    operator = force_operator(AVON)
    assert operator.username == "system" and operator.role is Role.force_analyst
    assert require(operator, "register.read", force_code=AVON) is Scope.force
    assert require(operator, "register.write", force_code=AVON) is Scope.force
    with pytest.raises(PermissionDenied):
        require(operator, "register.read", force_code=WMIDS)
    assert not can(operator, "user.manage")


def test_an_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(UsageError, match="unknown action 'report.delete'"):
        can(_principal(Role.officer), "report.delete")


def test_a_force_role_needs_a_force() -> None:
    with pytest.raises(UsageError, match="needs a force code"):
        Principal(user_id=1, username="x", role=Role.officer)
    assert Principal(user_id=1, username="x", role="national_analyst").role is Role.national_analyst


def test_readable_forces_gives_the_forces_a_listing_may_cover_or_refuses_naming_the_role() -> None:
    from forcewatch.access import operator, readable_forces

    analyst = Principal(user_id=1, username="a", role=Role.force_analyst, force_code="E23000036")
    assert readable_forces(analyst, "learning.read") == {"E23000036"}
    assert readable_forces(analyst, "facts.read_records", force_code="E23000036") == {"E23000036"}
    with pytest.raises(PermissionDenied, match="force_analyst 'a' may not facts.read_records"):
        readable_forces(analyst, "facts.read_records", force_code="E23000014")
    with pytest.raises(PermissionDenied, match="may not audit.read"):
        readable_forces(analyst, "audit.read")
    assert readable_forces(operator(Role.national_analyst), "facts.read_records") is ALL
    assert operator(Role.force_analyst, "E23000036") == force_operator("E23000036")
    assert force_operator("E23000036").username == "system"
