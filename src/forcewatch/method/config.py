"""The versioned method configuration of a Taser threat and risk assessment (STRA).

Every choice that drives the answer (the demand-event definition, the service level β, pairs or
single crewing, the abstraction rate α, the buffer ρ, the MoRiLE scales, the decision rule) lives
in a *method document*: YAML written by people, read into a :class:`MethodConfig`, written out as
canonical JSON and fingerprinted with SHA-256. An assessment records the name, version, approver
and hash, so a reviewer knows exactly which method produced a number, and that it was not changed.

``load_method("default_stra")`` reads a bundled profile (``profiles/method/*.yaml``);
``load_method(path)`` reads a force's own. The bundled default is a forcewatch proposal, not
official values: its ``method.placeholders`` list the settings an assessment must confirm in its
judgement log (:attr:`MethodConfig.judgements_required`).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import UnknownName, UsageError
from ..stats.canonical import canonical_json, sha256_of
from ..stats.morile import MorileScales
from .document import SEMVER, Fields, load_yaml_file
from .settings import (
    DecisionRule,
    DemandEvent,
    DisparitySettings,
    FunnelSettings,
    HourBlock,
    IntervalSettings,
    Staffing,
    read_blocks,
    read_decision,
    read_demand_event,
    read_disparity,
    read_funnel,
    read_interval,
    read_staffing,
)

__all__ = [
    "CORE_INDICATORS",
    "SECTIONS",
    "MethodConfig",
    "MethodInfo",
    "load_method",
    "method_profiles",
]

#: the core indicator set of threat-risk-assessment.md section 4, by key
CORE_INDICATORS = (
    "assaults_on_officers",
    "violent_weapon_crime",
    "weapon_incidents",
    "taser_requests",
    "response_times",
    "sto_coverage",
    "abstraction_training",
    "taser_outcomes",
    "disproportionality",
    "cost",
)

SECTIONS = (
    "method",
    "indicators",
    "morile",
    "demand_event",
    "service_level",
    "crewing",
    "commitment_hours",
    "staffing",
    "shift_hours",
    "hour_blocks",
    "interval",
    "decision_rule",
    "funnel",
    "disparity",
    "ced_hierarchy",
)
#: the settings a placeholder may name
PLACEHOLDER_PATHS = (
    "demand_event",
    "service_level.beta",
    "crewing",
    "commitment_hours",
    "staffing.teams",
    "staffing.abstraction",
    "staffing.buffer",
    "shift_hours",
    "hour_blocks",
    "interval",
    "decision_rule.shortfall_at",
    "decision_rule.priority_threshold",
    "morile",
    "indicators",
)


@dataclass(frozen=True)
class MethodInfo:
    """Who and what: the method's name, semantic version, approver, status and placeholders."""

    name: str
    version: str
    approver: str
    status: str
    description: str
    placeholders: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "approver": self.approver,
            "status": self.status,
            "description": self.description,
            "placeholders": list(self.placeholders),
        }


@dataclass(frozen=True)
class MethodConfig:
    """A whole, validated method document. Build with :meth:`from_mapping` or :func:`load_method`."""

    info: MethodInfo
    indicators: tuple[str, ...]
    morile: MorileScales
    demand_event: DemandEvent
    beta: Decimal
    crewing: str
    commitment_hours: Decimal
    staffing: Staffing
    shift_hours: Decimal
    hour_blocks: tuple[HourBlock, ...]
    interval: IntervalSettings
    decision: DecisionRule
    funnel: FunnelSettings
    disparity: DisparitySettings
    ced_hierarchy: str

    @property
    def judgements_required(self) -> tuple[str, ...]:
        """Settings that are placeholders: each must be confirmed, with a rationale, in the judgement log."""
        return self.info.placeholders

    @property
    def block_keys(self) -> tuple[str, ...]:
        return tuple(b.key for b in self.hour_blocks)

    def as_dict(self) -> dict[str, Any]:
        """The normalised document (exact numbers as Decimal); its canonical JSON is what is hashed."""
        return {
            "method": self.info.as_dict(),
            "indicators": list(self.indicators),
            "morile": self.morile.as_dict(),
            "demand_event": self.demand_event.as_dict(),
            "service_level": {"model": "erlang_b", "beta": self.beta},
            "crewing": self.crewing,
            "commitment_hours": self.commitment_hours,
            "staffing": self.staffing.as_dict(),
            "shift_hours": self.shift_hours,
            "hour_blocks": [b.as_dict() for b in self.hour_blocks],
            "interval": self.interval.as_dict(),
            "decision_rule": self.decision.as_dict(),
            "funnel": self.funnel.as_dict(),
            "disparity": self.disparity.as_dict(),
            "ced_hierarchy": self.ced_hierarchy,
        }

    def canonical_json(self) -> str:
        return canonical_json(self.as_dict())

    @property
    def sha256(self) -> str:
        """SHA-256 of the canonical JSON: the method's fingerprint, recorded on every assessment."""
        return sha256_of(self.as_dict())

    def summary(self) -> dict[str, str]:
        return {
            "name": self.info.name,
            "version": self.info.version,
            "approver": self.info.approver,
            "sha256": self.sha256,
        }

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> MethodConfig:
        """Validate a document (from YAML with Decimal numbers, or from its own canonical JSON)."""
        top = Fields(data, "", SECTIONS)
        for key in SECTIONS:
            top.raw(key, hint="see profiles/method/default_stra.yaml for every section, documented")
        m = top.section(
            "method", ("name", "version", "approver", "status", "description", "placeholders")
        )
        version = m.text("version")
        if not SEMVER.match(version):
            raise UsageError(
                f"method.version {version!r} is not a semantic version",
                hint="write MAJOR.MINOR.PATCH, e.g. 1.2.0",
            )
        placeholders = tuple(m.raw("placeholders")) if m.has("placeholders") else ()
        for p in placeholders:
            if p not in PLACEHOLDER_PATHS:
                near = difflib.get_close_matches(str(p), PLACEHOLDER_PATHS, n=1)
                raise UsageError(
                    f"method.placeholders names {p!r}, which is not a setting",
                    hint=f"did you mean {near[0]!r}?"
                    if near
                    else "known: " + ", ".join(PLACEHOLDER_PATHS),
                )
        info = MethodInfo(
            m.text("name"),
            version,
            m.text("approver", hint="the person or body who approved this method"),
            m.text("status", choices=("proposal", "draft", "approved", "withdrawn")),
            str(m.data.get("description") or "").strip(),
            placeholders,
        )
        indicators = top.text_list("indicators")
        for ind in indicators:
            if ind not in CORE_INDICATORS:
                raise UsageError(
                    f"indicators lists {ind!r}, which is not a core indicator",
                    hint="known: " + ", ".join(CORE_INDICATORS),
                )
        sl = top.section("service_level", ("model", "beta"))
        sl.text("model", choices=("erlang_b",))
        beta = sl.decimal(
            "beta",
            low=Decimal(0),
            high=Decimal(1),
            low_open=True,
            high_open=True,
            hint="the share of incidents allowed to find every unit busy, e.g. 0.05",
        )
        hierarchy = top.text("ced_hierarchy")
        from ..vocab import ced_hierarchy

        try:
            ced_hierarchy(hierarchy)
        except UnknownName as exc:
            raise UsageError(
                f"ced_hierarchy {hierarchy!r} is not a known profile", hint=exc.hint
            ) from None
        config = cls(
            info=info,
            indicators=indicators,
            morile=MorileScales.from_mapping(top.raw("morile")),
            demand_event=read_demand_event(top.section("demand_event", ("text", "filter"))),
            beta=beta,
            crewing=top.text("crewing", choices=("pairs", "singles")),
            commitment_hours=top.decimal(
                "commitment_hours",
                low=Decimal(0),
                low_open=True,
                hint="the mean time (hours) a unit is committed to one incident",
            ),
            staffing=read_staffing(top.section("staffing", ("teams", "abstraction", "buffer"))),
            shift_hours=top.decimal(
                "shift_hours",
                low=Decimal(0),
                high=Decimal(24),
                low_open=True,
                hint="the length of a shift in hours, e.g. 8",
            ),
            hour_blocks=read_blocks(top.raw("hour_blocks")),
            interval=read_interval(top.section("interval", IntervalSettings.KEYS)),
            decision=read_decision(
                top.section("decision_rule", ("shortfall_at", "priority_threshold"))
            ),
            funnel=read_funnel(top.section("funnel", FunnelSettings.KEYS)),
            disparity=read_disparity(top.section("disparity", DisparitySettings.KEYS)),
            ced_hierarchy=hierarchy,
        )
        for name, rng, central in (
            ("commitment_hours", config.interval.commitment_range, config.commitment_hours),
            ("abstraction", config.interval.abstraction_range, config.staffing.abstraction),
        ):
            if rng is not None and not rng[0] <= central <= rng[1]:
                raise UsageError(
                    f"interval.{name} ({rng[0]} to {rng[1]}) does not contain the central value {central}",
                    hint="the Monte Carlo range must include the value used for the central estimate",
                )
        if (
            config.interval.abstraction_range is not None
            and config.interval.abstraction_range[1] >= 1
        ):
            raise UsageError("interval.abstraction.high must be below 1")
        return config


def _profile_dir() -> Path:
    return Path(str(resources.files("forcewatch") / "profiles" / "method"))


def method_profiles() -> list[str]:
    """Names of the bundled method profiles."""
    return sorted(p.stem for p in _profile_dir().glob("*.yaml"))


def load_method(name_or_path: str | Path = "default_stra") -> MethodConfig:
    """Read a method document: a bundled profile by name, or a YAML file by path."""
    path = Path(name_or_path)
    if not (path.suffix in (".yaml", ".yml") and path.exists()):
        path = _profile_dir() / f"{name_or_path}.yaml"
        if not path.exists():
            known = method_profiles()
            raise UsageError(
                f"no method profile or file {str(name_or_path)!r}",
                hint="bundled profiles: " + ", ".join(known),
            )
    return MethodConfig.from_mapping(load_yaml_file(path))
