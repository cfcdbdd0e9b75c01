"""Eligibility policies: versioned, dated rules per force over a national default, and the checks.

A policy is a YAML document (``profiles/register/national_default.yaml`` is the bundled national
default): for each skill (``ced``, ``afo``, ``arv``, ``ctsfo``) a list of dated periods, each
saying which statuses may train and deploy (``eligible``) and how long a pass is valid
(``valid_months``). The period in force on a day is the latest one starting on or before it. A
document is read into a :class:`PolicyDocument` and fingerprinted with the SHA-256 of its
canonical JSON, so comments and layout do not change it and every check names the exact rules used.

A force loads its own documents (:func:`load_policy`, ``forcewatch register policy load``); the
newest loaded is its policy. :class:`PolicySet` answers for a (skill, day) from the force's
document when it has a period in force then, else from the national default, and says which.

Checks (pure, over an :class:`~forcewatch.register_state.OfficerHistory`):

- :func:`check_deployment`: may this officer use or carry the skill on this day (in date, and of
  an eligible status under the policy in force that day)?
- :func:`check_history`: every training event and every device issue of an officer against the
  policy in force on its date (rules in :data:`HISTORY_RULES`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, Final

import yaml
from sqlalchemy import insert, select

from . import audit
from .access import Principal, require
from .errors import Conflict, UnknownName, UsageError
from .forces import resolve
from .method.document import SEMVER, Fields
from .periods import add_months
from .register_state import Authorisation, OfficerHistory, authorisation_on
from .register_vocab import SKILLS, STATUSES
from .stats.canonical import sha256_of
from .store import Store
from .store.tables.register import register_policy

__all__ = ["PolicyPeriod", "PolicyDocument", "PolicySet", "Deployment", "PolicyFinding", "HISTORY_RULES",
           "read_policy", "national_default", "policy_for", "load_policy", "show_policy",
           "check_deployment", "check_history", "PolicyLoaded"]

_TOP = ("policy", "skills")
_HEAD = ("name", "version", "scope", "status", "approver", "source")
_PERIOD = ("from", "eligible", "valid_months", "note")


@dataclass(frozen=True)
class PolicyPeriod:
    """The rules for one skill from one day until the next period starts."""

    skill: str
    starts: date
    eligible: frozenset[str]
    valid_months: int
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"skill": self.skill, "from": self.starts.isoformat(), "eligible": sorted(self.eligible),
                "valid_months": self.valid_months, "note": self.note}


@dataclass(frozen=True)
class PolicyDocument:
    """A policy document as read: its head, its dated periods per skill, and its fingerprint."""

    name: str
    version: str
    scope: str
    status: str
    approver: str
    source: str
    periods: dict[str, tuple[PolicyPeriod, ...]]
    sha256: str
    text: str

    def period_on(self, skill: str, on: date) -> PolicyPeriod | None:
        found = None
        for period in self.periods.get(skill, ()):
            if period.starts > on:
                break
            found = period
        return found

    def canonical(self) -> dict[str, Any]:
        head = {k: getattr(self, k) for k in _HEAD}
        return {"policy": head, "skills": {s: [p.as_dict() for p in ps] for s, ps in sorted(self.periods.items())}}

    def summary(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "scope": self.scope, "sha256": self.sha256}

    def as_dict(self) -> dict[str, Any]:
        return {**self.canonical(), "sha256": self.sha256}


def _period(skill: str, i: int, raw: Any) -> PolicyPeriod:
    f = Fields(raw, f"skills.{skill}[{i}]", _PERIOD)
    starts = f.raw("from", "a date, e.g. from: 2019-02-01")
    if isinstance(starts, datetime) or not isinstance(starts, date):
        raise UsageError(f"{f.path('from')} = {starts!r} must be a date (YYYY-MM-DD)")
    eligible = f.raw("eligible", "a list of statuses, e.g. [officer, student_officer]")
    if not isinstance(eligible, list) or not all(isinstance(s, str) for s in eligible):
        raise UsageError(f"{f.path('eligible')} must be a list of statuses (it may be empty: [])")
    unknown = [s for s in eligible if s not in STATUSES or s == "left"]
    if unknown:
        raise UsageError(f"{f.path('eligible')} names unknown status {unknown[0]!r}",
                         hint="statuses: " + ", ".join(s for s in STATUSES if s != "left"))
    months = f.integer("valid_months", low=1, high=60, hint="how long a pass is valid, e.g. 12")
    note = str(f.data.get("note") or "").strip()
    return PolicyPeriod(skill, starts, frozenset(eligible), months, note)


def read_policy(text: str, source: str = "policy document") -> PolicyDocument:
    """Read a policy document (YAML), refusing unknown keys, unknown statuses and unordered periods."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{source} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{source} must be a YAML mapping with a policy: and a skills: section",
                         hint="see profiles/register/national_default.yaml")
    top = Fields(data, "", _TOP)
    head = top.section("policy", _HEAD, "name, version, scope ...")
    version = head.text("version")
    if not SEMVER.match(version):
        raise UsageError(f"policy.version = {version!r} must be a version like 1.0.0")
    scope = head.text("scope", "national, or the force's name or ONS code")
    if scope != "national":
        try:
            scope = resolve(scope, "force").code
        except UnknownName as exc:
            raise UsageError(f"policy.scope = {scope!r}: {exc.message}", hint=exc.hint) from None
    skills = top.section("skills", SKILLS, "one list of periods per skill: ced, afo, arv, ctsfo")
    periods: dict[str, tuple[PolicyPeriod, ...]] = {}
    for skill in SKILLS:
        if not skills.has(skill):
            continue
        raw = skills.raw(skill)
        if not isinstance(raw, list) or not raw:
            raise UsageError(f"skills.{skill} must be a non-empty list of periods")
        found = tuple(_period(skill, i, p) for i, p in enumerate(raw))
        for a, b in zip(found, found[1:]):
            if b.starts <= a.starts:
                raise UsageError(f"skills.{skill}: the period from {b.starts} must start after {a.starts}",
                                 hint="list periods in date order, each starting on a later day")
        periods[skill] = found
    if not periods:
        raise UsageError("the policy has no skills", hint="give at least skills.ced")
    doc = PolicyDocument(head.text("name"), version, scope, head.text("status", choices=("proposal", "approved",
                         "withdrawn")), head.text("approver"), head.text("source"), periods, "", text)
    return PolicyDocument(**{**doc.__dict__, "sha256": sha256_of(doc.canonical())})


_NATIONAL: PolicyDocument | None = None


def national_default() -> PolicyDocument:
    """The bundled national default policy."""
    global _NATIONAL
    if _NATIONAL is None:
        path = Path(str(resources.files("forcewatch") / "profiles" / "register" / "national_default.yaml"))
        _NATIONAL = read_policy(path.read_text(encoding="utf-8"), str(path.name))
    return _NATIONAL


@dataclass(frozen=True)
class PolicySet:
    """A force's policy over the national default: which rule is in force for a skill on a day."""

    force_code: str
    own: PolicyDocument | None
    national: PolicyDocument
    _expiries: dict[tuple[str, date], date | None] = field(default_factory=dict, compare=False, repr=False)

    def rule_on(self, skill: str, on: date) -> tuple[PolicyPeriod, PolicyDocument] | None:
        for doc in (self.own, self.national):
            if doc is not None and (period := doc.period_on(skill, on)) is not None:
                return period, doc
        return None

    def expiry_of(self, skill: str, pass_date: date) -> date | None:
        """Last valid day of a pass on ``pass_date``: the day before the same date N months later."""
        key = (skill, pass_date)
        if key not in self._expiries:
            rule = self.rule_on(skill, pass_date)
            self._expiries[key] = (None if rule is None else
                                   date.fromordinal(add_months(pass_date, rule[0].valid_months).toordinal() - 1))
        return self._expiries[key]

    def documents(self) -> list[dict[str, str]]:
        return [d.summary() for d in (self.own, self.national) if d is not None]


def policy_for(conn: Any, force_code: str) -> PolicySet:
    """The policies in force for ``force_code`` (call after an access check; policies hold no personal data)."""
    row = conn.execute(select(register_policy.c.source_text).where(register_policy.c.force_code == force_code)
                       .order_by(register_policy.c.id.desc()).limit(1)).first()
    own = read_policy(row.source_text, "stored policy") if row else None
    return PolicySet(force_code, own, national_default())


@audit.register
@dataclass(frozen=True, kw_only=True)
class PolicyLoaded(audit.AuditEvent):
    """Fires when a force's eligibility policy document is loaded into the register."""

    name: ClassVar[str] = "register.policy_loaded"
    subject_type: ClassVar[str] = "register_policy"
    policy_name: str
    version: str
    sha256: str


def load_policy(store: Store, principal: Principal, text: str, force: str, *, source: str = "policy") -> PolicyDocument:
    """Store a force's policy document (it becomes the force's policy); loading the same one again changes nothing."""
    force_code = resolve(force, "force").code
    require(principal, "register.write", force_code=force_code)
    doc = read_policy(text, source)
    if doc.scope != force_code:
        raise UsageError(f"the document's scope is {doc.scope!r}, not {force_code}",
                         hint="set policy.scope to the force's name or ONS code")
    with store.write() as conn:
        held = conn.execute(select(register_policy.c.sha256, register_policy.c.version)
                            .where(register_policy.c.force_code == force_code)).all()
        if any(h.sha256 == doc.sha256 for h in held):
            return doc
        if any(h.version == doc.version for h in held):
            raise Conflict(f"version {doc.version} of {doc.name!r} is already loaded with other content",
                           hint="a version never changes: give the new document a new version")
        policy_id = conn.execute(insert(register_policy).returning(register_policy.c.id), {
            "force_code": force_code, "name": doc.name[:80], "version": doc.version, "sha256": doc.sha256,
            "document": doc.canonical(), "source_text": text, "loaded_at": datetime.now(timezone.utc),
            "loaded_by": principal.username[:120]}).scalar_one()
        audit.append(conn, PolicyLoaded(force_code=force_code, subject_id=str(policy_id), policy_name=doc.name,
                                        version=doc.version, sha256=doc.sha256), actor=principal)
    return doc


def show_policy(store: Store, principal: Principal, force: str, on: date | None = None) -> dict[str, Any]:
    """The policies in force for a force, and (with ``on``) the rule for each skill that day."""
    force_code = resolve(force, "force").code
    require(principal, "register.read", force_code=force_code)
    with store.read() as conn:
        policies = policy_for(conn, force_code)
    result: dict[str, Any] = {"force_code": force_code, "documents": [d.as_dict() for d in
                                                                       (policies.own, policies.national) if d]}
    if on is not None:
        rules = {}
        for skill in SKILLS:
            rule = policies.rule_on(skill, on)
            rules[skill] = None if rule is None else {**rule[0].as_dict(), "document": rule[1].summary()}
        result["on"], result["rules"] = on, rules
    return result


@dataclass(frozen=True)
class Deployment:
    """Whether an officer could use or carry ``skill`` on ``on``: authorisation, status and rule."""

    authorisation: Authorisation
    status: str | None
    eligible: bool | None
    rule: PolicyPeriod | None
    document: dict[str, str] | None

    @property
    def allowed(self) -> bool:
        return self.authorisation.in_date and bool(self.eligible)


def check_deployment(history: OfficerHistory, skill: str, on: date, policies: PolicySet) -> Deployment:
    """The officer's authorisation and eligibility for ``skill`` on ``on`` under the policy in force."""
    auth = authorisation_on(history, skill, on, policies.expiry_of)
    posting = history.posting_on(on)
    status = posting.status if posting else None
    rule = policies.rule_on(skill, on)
    eligible = None if rule is None or status is None else status in rule[0].eligible
    return Deployment(auth, status, eligible, rule[0] if rule else None, rule[1].summary() if rule else None)


#: rule key -> (severity, what it means)
HISTORY_RULES: Final = {
    "training_while_ineligible": ("error", "trained when their status was not eligible under the policy in force"),
    "training_without_posting": ("warning", "a training event before the officer's first posting (status unknown)"),
    "training_without_policy": ("warning", "no policy period covers the training date"),
    "requalification_without_initial": ("warning", "a requalification with no earlier pass"),
    "expiry_beyond_policy": ("warning", "the recorded expiry is later than the policy allows"),
    "device_issued_not_authorised": ("error", "a CED issued to an officer not in date or not eligible that day"),
}


@dataclass(frozen=True)
class PolicyFinding:
    """One register event that the policy in force on its date does not allow."""

    event_id: int
    officer_pseudonym: str
    event_date: date
    rule: str
    severity: str
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "officer_pseudonym": self.officer_pseudonym, "event_date": self.event_date,
                "rule": self.rule, "severity": self.severity, "explanation": self.explanation}


def check_history(history: OfficerHistory, policies: PolicySet) -> list[PolicyFinding]:
    """Every training event and device issue of one officer against the policy in force on its date."""
    found: list[PolicyFinding] = []

    def add(event_id: int, on: date, rule: str, detail: str) -> None:
        found.append(PolicyFinding(event_id, history.pseudonym, on, rule, HISTORY_RULES[rule][0], detail))

    passed: set[str] = set()
    for e in history.of_kind("training"):
        assert e.skill is not None
        rule = policies.rule_on(e.skill, e.event_date)
        posting = history.posting_on(e.event_date)
        what = f"{e.skill} {e.course} ({e.result}) on {e.event_date}"
        if rule is None:
            add(e.id, e.event_date, "training_without_policy", f"{what}: no policy period covers this date")
        elif posting is None:
            add(e.id, e.event_date, "training_without_posting", f"{what}: no posting on or before this date")
        elif posting.status not in rule[0].eligible:
            add(e.id, e.event_date, "training_while_ineligible",
                f"{what}: status {posting.status} is not eligible under {rule[1].name} {rule[1].version} "
                f"(from {rule[0].starts}: {', '.join(sorted(rule[0].eligible)) or 'nobody'})")
        if e.course == "requalification" and e.skill not in passed:
            add(e.id, e.event_date, "requalification_without_initial", f"{what}: no earlier pass is recorded")
        limit = policies.expiry_of(e.skill, e.event_date)
        if e.result == "pass" and e.expires_on and limit and e.expires_on > limit:
            add(e.id, e.event_date, "expiry_beyond_policy",
                f"{what}: recorded expiry {e.expires_on} is after {limit}, the last day the policy allows")
        if e.result == "pass":
            passed.add(e.skill)
    for e in history.of_kind("device_issued"):
        deployment = check_deployment(history, "ced", e.event_date, policies)
        if not deployment.allowed:
            reason = (f"authorisation {deployment.authorisation.state}" if not deployment.authorisation.in_date
                      else f"status {deployment.status or 'unknown'} not eligible")
            add(e.id, e.event_date, "device_issued_not_authorised", f"CED {e.serial} issued on {e.event_date}: {reason}")
    return found
