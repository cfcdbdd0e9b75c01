"""Input snapshots: each data source freezes what the assessment reads, as canonical JSON with a SHA-256.

A *provider* is a function ``(store, request) -> SnapshotData | None`` registered under an input
key (``demand``, ``published_use_of_force``, ``current_headcount`` ...). ``None`` means "no data for
this force and period", which is not an error unless the input is required. Providers are found in
two ways, so this package does not import every data source:

- :func:`register_provider` (a decorator), used by forcewatch's own providers
  (:mod:`.inputs_official`, :mod:`.inputs_records`);
- the ``forcewatch.snapshot_providers`` entry-point group: another module declares
  ``current_headcount = "forcewatch.register.snapshot:current_headcount_snapshot"`` in
  ``pyproject.toml`` and is loaded on first use. docs/assessment.md gives the contract.

An input can also be *given* explicitly (:func:`given`): a demand extract from call-handling data,
or a headcount typed in; the snapshot then says who gave it and from what file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib.metadata import entry_points
from typing import Any

from ..access import Principal
from ..errors import UsageError
from ..method import MethodConfig
from ..stats.canonical import canonical_json, sha256_of
from ..store import Store
from .model import iso_moment, period_bounds

__all__ = [
    "ENTRY_POINT_GROUP",
    "REQUIRED_INPUTS",
    "Provider",
    "ProviderInfo",
    "Snapshot",
    "SnapshotData",
    "SnapshotRequest",
    "freeze",
    "given",
    "providers",
    "register_provider",
    "take_snapshots",
]

ENTRY_POINT_GROUP = "forcewatch.snapshot_providers"
#: inputs without which an assessment cannot be made
REQUIRED_INPUTS = ("demand",)


@dataclass(frozen=True)
class SnapshotRequest:
    """What a provider is asked for: a force, a financial year, the method in force, the day the
    assessment is as at, and who is creating it (``principal``: a provider that reads a source with
    its own access rule, such as the register, reads as that person; ``None`` or ``SYSTEM`` is the
    command-line operator)."""

    force_code: str
    period: str
    method: MethodConfig
    as_at: date
    principal: Principal | None = None

    @property
    def start(self) -> date:
        return period_bounds(self.period)[0]

    @property
    def end(self) -> date:
        return period_bounds(self.period)[1]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class SnapshotData:
    """What a provider returns: the content (JSON values, aggregates only: never person-level data),
    what was read (``source``, ``query``), the content's schema version, its row count, its quality
    checks and, when the data has one, the date it is as at (a publication's vintage)."""

    content: Mapping[str, Any]
    source: str
    query: Mapping[str, Any]
    schema_version: str
    rows: int
    quality: Mapping[str, Any] = field(default_factory=dict)
    as_at: date | None = None


Provider = Callable[[Store, SnapshotRequest], "SnapshotData | None"]


@dataclass(frozen=True)
class ProviderInfo:
    """A registered provider: the input key, the function, and what it reads."""

    key: str
    function: Provider
    description: str
    required: bool = False

    @property
    def name(self) -> str:
        fn = self.function
        return f"{getattr(fn, '__module__', '?')}:{getattr(fn, '__qualname__', repr(fn))}"


@dataclass(frozen=True)
class Snapshot:
    """A frozen input as stored: the canonical JSON text, its SHA-256, and where it came from."""

    input_key: str
    provider: str
    source: str
    query: Mapping[str, Any]
    as_at: date | None
    extracted_at: datetime
    extractor: str
    schema_version: str
    text: str
    sha256: str
    rows: int
    quality: Mapping[str, Any]

    def content(self) -> Any:
        return json.loads(self.text)

    def summary(self) -> dict[str, Any]:
        """Everything but the content (for lists, manifests and packs)."""
        return {
            "input_key": self.input_key,
            "provider": self.provider,
            "source": self.source,
            "query": dict(self.query),
            "as_at": self.as_at.isoformat() if self.as_at else None,
            "extracted_at": iso_moment(self.extracted_at),
            "extractor": self.extractor,
            "schema_version": self.schema_version,
            "sha256": self.sha256,
            "rows": self.rows,
            "quality": dict(self.quality),
        }


_REGISTRY: dict[str, ProviderInfo] = {}
_LOADED = False


def register_provider(
    key: str, *, description: str, required: bool = False
) -> Callable[[Provider], Provider]:
    """Decorator registering ``fn`` as the provider of input ``key`` (a later registration replaces it)."""
    if not key or not key.replace("_", "").isalnum() or key != key.lower():
        raise UsageError(f"input key {key!r} must be lower-case letters, digits and underscores")

    def decorator(fn: Provider) -> Provider:
        _REGISTRY[key] = ProviderInfo(key, fn, description, required or key in REQUIRED_INPUTS)
        return fn

    return decorator


def providers() -> dict[str, ProviderInfo]:
    """Every provider: forcewatch's own, then those declared in the entry-point group, by input key."""
    global _LOADED
    if not _LOADED:
        from . import inputs_official, inputs_records  # noqa: F401  (register themselves)

        for ep in entry_points(group=ENTRY_POINT_GROUP):
            fn = ep.load()
            doc = (getattr(fn, "__doc__", None) or ep.value).strip().splitlines()[0]
            _REGISTRY.setdefault(ep.name, ProviderInfo(ep.name, fn, doc, ep.name in REQUIRED_INPUTS))
        _LOADED = True
    return dict(sorted(_REGISTRY.items()))


def given(
    key: str,
    content: Mapping[str, Any],
    *,
    source: str,
    schema_version: str,
    query: Mapping[str, Any] | None = None,
    quality: Mapping[str, Any] | None = None,
    as_at: date | None = None,
    rows: int | None = None,
) -> SnapshotData:
    """An input supplied explicitly (a file, a figure typed in) instead of read from the store.

    ``rows`` defaults to the length of the content's ``rows`` list, else the number of its keys.
    """
    table = content.get("rows")
    count = rows if rows is not None else len(table) if isinstance(table, list) else len(content)
    return SnapshotData(
        content, source, dict(query or {"given": key}), schema_version, count, dict(quality or {}), as_at
    )


def freeze(
    key: str, provider: str, data: SnapshotData, *, extracted_at: datetime, extractor: str
) -> Snapshot:
    """Fix a provider's answer as canonical JSON and fingerprint it."""
    text = canonical_json(data.content)
    return Snapshot(
        key,
        provider,
        data.source,
        json.loads(canonical_json(data.query)),
        data.as_at,
        extracted_at,
        extractor,
        data.schema_version,
        text,
        sha256_of(data.content),
        int(data.rows),
        json.loads(canonical_json(data.quality)),
    )


def take_snapshots(
    store: Store,
    request: SnapshotRequest,
    *,
    given_inputs: Mapping[str, SnapshotData],
    extracted_at: datetime,
    extractor: str,
) -> list[Snapshot]:
    """Ask every provider (given inputs take the place of theirs) and freeze the answers, by key.

    Raises :class:`UsageError` naming a required input nobody could supply, and how to supply it.
    """
    found: dict[str, Snapshot] = {}
    for key, data in sorted(given_inputs.items()):
        found[key] = freeze(key, "given", data, extracted_at=extracted_at, extractor=extractor)
    for key, info in providers().items():
        if key in found:
            continue
        answer = info.function(store, request)
        if answer is not None:
            found[key] = freeze(key, info.name, answer, extracted_at=extracted_at, extractor=extractor)
    for key in REQUIRED_INPUTS:
        if key not in found:
            raise UsageError(
                f"no {key} data for {request.force_code} {request.period}: no provider found any",
                hint="import the force's use-of-force records for that year (forcewatch import records), "
                "or give a demand extract with --demand PATH.csv (columns area, block, events, hours)",
            )
    return [found[k] for k in sorted(found)]
