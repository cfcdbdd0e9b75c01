"""Reference data and the register of imported files.

``area``: the forces, regions and England and Wales (seeded from :mod:`forcewatch.forces`).
``source_file``: every file an importer accepted, by SHA-256, so a repeated import changes
nothing and every stored figure can name the file it came from.
"""

from sqlalchemy import JSON, BigInteger, Column, DateTime, ForeignKey, Integer, String, Table, UniqueConstraint

from .base import metadata

area = Table(
    "area",
    metadata,
    Column("code", String(12), primary_key=True),
    # "West Midlands" is both a force and a region, so names are unique only within a kind
    Column("name", String(80), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("region_code", String(12), ForeignKey("area.code"), nullable=True),
    UniqueConstraint("kind", "name"),
)

source_file = Table(
    "source_file",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    #: what the file holds: official_uof, official_workforce, official_ced, population, official_iopc_deaths,
    #: records ...
    Column("kind", String(40), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("filename", String(400), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    #: the force code a records file belongs to, or "national" for a national publication
    Column("scope", String(12), nullable=False),
    #: publication date of an official release, as published (ISO date) where known
    Column("vintage", String(10), nullable=True),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("imported_by", String(120), nullable=False),
    #: what the import stored and what it repaired or warned about
    Column("summary", JSON, nullable=False),
    UniqueConstraint("kind", "sha256", "scope"),
)
