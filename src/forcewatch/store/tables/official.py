"""Published statistics: one row per publication, one row per published cell.

``official_release``: one publication (a Home Office data-tables workbook, a census table) read
from one registered ``source_file``: its kind, title as published, publication date (the
*vintage*) and the period it covers.

``fact``: one row per published cell, in the tidy form promised in ``docs/interfaces.md``
(``year, source, vintage, table, area_code, area, tactic, dimension, category, measure, value,
note``), plus where it came from: the release, the cell address (``Table_13!D5``) and the table's
number and title as published. A figure revised by a later publication is a second row with a
later vintage; nothing is ever overwritten.
"""

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from .base import metadata

official_release = Table(
    "official_release",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_file_id", Integer, ForeignKey("source_file.id"), nullable=False),
    #: official_uof, official_workforce, official_ced, population, official_iopc_deaths
    Column("kind", String(40), nullable=False),
    Column("title", String(400), nullable=False),
    Column("publisher", String(80), nullable=False),
    #: publication date, ISO (2019-12-19): the vintage of every fact of this release
    Column("vintage", String(10), nullable=False),
    #: period covered as forcewatch keys it (2018-19, 2011 to 2016, 2011)
    Column("period", String(40), nullable=False),
    Column("facts", Integer, nullable=False),
    UniqueConstraint("kind", "vintage", "title"),
)

fact = Table(
    "fact",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("release_id", Integer, ForeignKey("official_release.id"), nullable=False),
    Column("year", String(10), nullable=False),
    Column("source", String(10), nullable=False),
    Column("vintage", String(10), nullable=False),
    Column("table", String(40), nullable=False),
    Column("area_code", String(12), ForeignKey("area.code"), nullable=False),
    Column("area", String(80), nullable=False),
    Column("tactic", String(40), nullable=False),
    Column("dimension", String(80), nullable=False),
    Column("category", String(80), nullable=False),
    Column("measure", String(40), nullable=False),
    Column("value", Float, nullable=True),
    Column("note", String(40), nullable=False),
    #: where the figure is printed: sheet!A1 address
    Column("cell", String(60), nullable=False),
    #: the table's number and title as published ("13", "Use of CED by type and police force")
    Column("table_number", String(10), nullable=False),
    Column("table_title", String(300), nullable=False),
    UniqueConstraint("release_id", "table", "year", "area_code", "tactic", "dimension", "category", "measure",
                     name="uq_fact_cell"),
    Index("ix_fact_table_year", "table", "year"),
    Index("ix_fact_area_code_table", "area_code", "table"),
)
