"""The register's cross-checks as rules of the Taser recording-quality scorecard.

Every rule of :data:`forcewatch.register_checks.RULES` (keys never renamed) becomes a scorecard
rule of kind ``cross-check`` (:func:`forcewatch.monitoring.quality.register`), so that "CED used by
an officer whose requalification had lapsed" is counted per force and month beside the
completeness and consistency rules. This module is declared in the ``forcewatch.quality_rules``
entry-point group (``pyproject.toml``: :func:`register_rules`), so the scorecard loads it without
importing the register.

- **Numerator**: the reports with that finding (:func:`forcewatch.register_checks.check_reports`,
  over the scorecard's dates); **denominator**: the reports the check applies to (CED used or
  carried; a serial recorded; TrainedCED = No).
- **Coverage**: only forces that keep their register in forcewatch are checked, and only they get
  rows for these rules: a force without a register is not "0% lapsed", it is not checked.
- **Who sees what**: the counts are statistics like the rest of the scorecard
  (``facts.read_records``); the finding rows (report ids, officer pseudonyms, training dates) only
  go to readers who may read both the force's reports and its register.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from .access import force_operator
from .monitoring.quality import Finding, QualityRule, register
from .monitoring.scope import Scope
from .register import holds_register
from .register_checks import RULES as CHECKS
from .register_checks import check_reports
from .store import Store

__all__ = ["REGISTER_RULES", "register_coverage", "register_findings", "register_rules"]

_CED_USED_OR_CARRIED = pl.col("ced").fill_null(False) | pl.col("carrying_ced").fill_null(False)
_SERIAL = pl.col("ced_serial_recorded").fill_null(False)
_SAID_UNTRAINED = _CED_USED_OR_CARRIED & (pl.col("trained_ced") == False)  # noqa: E712
_CED = "reports on which CED was used or carried"
_WITH_SERIAL = "reports recording a CED serial"

#: key -> (title, plain-language definition, numerator, denominator, applies)
REGISTER_RULES: Final[dict[str, tuple[str, str, str, str, pl.Expr]]] = {
    "officer_not_identified": (
        "Officer not identified", "A report on which CED was used or carried names its officer, so that it can be "
        "checked against the Taser-trained officer register.", "CED reports naming no officer", _CED,
        _CED_USED_OR_CARRIED),
    "officer_not_in_register": (
        "Officer not in the register", "The officer of a report on which CED was used or carried is in the force's "
        "Taser-trained officer register.", "CED reports whose officer the register does not hold", _CED,
        _CED_USED_OR_CARRIED),
    "officer_not_serving": (
        "Officer not serving that day", "The officer has a serving posting in the register on the incident date "
        "(not before their first posting, not after leaving).", "CED reports whose officer was not serving", _CED,
        _CED_USED_OR_CARRIED),
    "ced_untrained": (
        "CED by an officer never trained", "CED is used or carried only by officers with a Taser pass on or before "
        "the incident date.", "CED reports by an officer with no pass", _CED, _CED_USED_OR_CARRIED),
    "ced_lapsed": (
        "CED by an officer whose requalification had lapsed", "CED is used or carried only by officers whose Taser "
        "authorisation is in date: a pass lasts until its recorded expiry (else the policy's validity, 12 months "
        "by default); an officer who had not requalified by then had lapsed.",
        "CED reports by an officer whose authorisation had lapsed", _CED, _CED_USED_OR_CARRIED),
    "ced_failed": (
        "CED after a failed requalification", "CED is not used or carried by an officer whose last Taser "
        "requalification was failed.", "CED reports by an officer who had failed", _CED, _CED_USED_OR_CARRIED),
    "ced_withdrawn": (
        "CED while the authorisation was withdrawn", "CED is not used or carried by an officer whose Taser "
        "authorisation was withdrawn that day.", "CED reports by an officer whose authorisation was withdrawn", _CED,
        _CED_USED_OR_CARRIED),
    "ced_ineligible": (
        "CED by an officer not eligible under the policy", "CED is used or carried only by officers whose status "
        "(officer, student officer, special constable ...) the eligibility policy in force that day allows.",
        "CED reports by an ineligible officer", _CED, _CED_USED_OR_CARRIED),
    "serial_unknown": (
        "Device serial not in the register", "A CED serial recorded on a report was issued at some time in the "
        "force's register.", "reports whose serial the register never saw", _WITH_SERIAL, _SERIAL),
    "device_wrong_hands": (
        "Device issued to another officer", "The CED whose serial a report records was issued that day to the "
        "report's officer, not to someone else.", "reports whose device was another officer's that day",
        _WITH_SERIAL, _SERIAL),
    "device_not_issued": (
        "Device not issued that day", "The CED whose serial a report records was issued to someone on the incident "
        "date.", "reports whose device was not issued that day", _WITH_SERIAL, _SERIAL),
    "trained_answer_contradicts_register": (
        "'Not trained' answer contradicts the register", "A report that says its officer was not Taser-trained "
        "(TrainedCED = No) agrees with the register.", "such reports whose officer the register has in date",
        "CED reports answering TrainedCED = No", _SAID_UNTRAINED),
}


def register_coverage(store: Store, scope: Scope) -> list[str]:
    """The forces of the scope that keep their register in forcewatch (the only ones checked)."""
    return [code for code in scope.forces if holds_register(store, code)]


def register_findings(store: Store, scope: Scope) -> list[Finding]:
    """Every cross-check finding for the scope's forces and dates (read with a force analyst's rights,
    for counting; the scorecard decides who sees the rows)."""
    found: list[Finding] = []
    for code in register_coverage(store, scope):
        found += check_reports(store, force_operator(code), code, between=(scope.start, scope.end)).findings
    return found


def register_rules() -> None:
    """Register every cross-check as a scorecard rule (idempotent: the ``forcewatch.quality_rules`` entry point)."""
    for key, (title, definition, numerator, denominator, applies) in REGISTER_RULES.items():
        register(QualityRule(key, "cross-check", title, definition, numerator, denominator, applies,
                             findings=register_findings, severity=CHECKS[key][0], coverage=register_coverage,
                             finding_access=("report.read", "register.read")))


if set(REGISTER_RULES) != set(CHECKS):  # pragma: no cover - a new check needs its scorecard definition here
    raise RuntimeError(f"register_quality.py lacks definitions for {sorted(set(CHECKS) - set(REGISTER_RULES))}")
