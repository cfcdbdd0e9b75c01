"""Monitoring judgements: explanations of funnel-plot outliers.

``outlier_explanation``: one row per explanation a force analyst records for a force's point on a
funnel plot (Taser per 1,000 officers, the share of reports involving CED ...), with the figure as
it stood when explained, its author and time. Explanations are judgements the threat and risk
assessment can cite; they are only ever added, never edited (a later one supersedes by date).
"""

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, Text

from .base import metadata
from .types import UtcDateTime

outlier_explanation = Table(
    "outlier_explanation",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("force_code", String(12), ForeignKey("area.code"), nullable=False),
    #: the period of the figure (``2018-19``)
    Column("year", String(30), nullable=False),
    #: which funnel: ``rate:<tactic>:<per>`` or ``ced_share``
    Column("indicator", String(80), nullable=False),
    #: ``official`` or ``records``
    Column("source", String(10), nullable=False),
    #: the figure and its place on the funnel when the explanation was written
    Column("value", Float, nullable=True),
    Column("outside", String(4), nullable=False),
    Column("text", Text, nullable=False),
    Column("author", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_outlier_explanation_force_code_year", "force_code", "year"),
)
