"""Column-wise normalisation of national-form reports: the rules of :mod:`form_values`, applied.

:func:`normalise_frame` takes a frame of values as written (one column per form field, named as in
:mod:`forcewatch.form`, strings or nulls) and returns the stored shape: one row per report with the
normalised keys, masks and quality flags; the ordered tactic uses; the CED device blocks; and every
problem found. Each value rule runs once per *distinct* value of a column; the cross-field rules
(CED, injuries, tactics without answers) are Polars expressions over whole columns. The web form
calls the same function on a one-row frame (:func:`forcewatch.record.normalise_report`), so a rule
is defined exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import polars as pl

from . import ced as ced_rules
from .form import CED_BLOCKS, CED_DETAIL_ITEMS, CED_LEVEL_ITEMS, FIELDS, TACTIC_SLOTS, fields_of_group
from .form_values import FORM_TACTIC_TO_HO, read, written_as
from .masks import MASK_KEYS, QUALITY_FLAGS, flag
from .problems import ProblemLog

__all__ = ["NormalisedForms", "normalise_frame", "DTYPES"]

DTYPES: dict[str, pl.DataType] = {
    "yes_no": pl.Boolean(), "date": pl.Date(), "time": pl.Time(), "timestamp": pl.Datetime("us"),
    "count": pl.Int64(), "weapons": pl.Int64(),
}
_KIND = {f.name: f.kind for f in FIELDS}
_VECTOR_KINDS = {"text", "id"}
_HO_TACTIC_BIT = {key: 1 << i for i, key in enumerate(MASK_KEYS["tactic"])}


@dataclass
class NormalisedForms:
    """Reports in the stored shape, before ids are given (``_idx`` links the three frames)."""

    reports: pl.DataFrame
    tactics: pl.DataFrame
    devices: pl.DataFrame
    log: ProblemLog
    present: frozenset[str] = field(default_factory=frozenset)


def _distinct(raw: pl.DataFrame, names: list[str]) -> dict[str, list[str | None]]:
    """Every distinct value of each column, found in one parallel pass."""
    if not names:
        return {}
    row = raw.select([pl.col(n).unique().implode() for n in names]).row(0)
    return dict(zip(names, row))


def _read_column(raw: pl.DataFrame, name: str, values: list[str | None], log: ProblemLog,
                 flags: dict[str, list[pl.Expr]]) -> pl.Expr:
    """The typed column for one field, logging each distinct value's problems once."""
    kind = _KIND[name]
    col = pl.col(name)
    if kind in _VECTOR_KINDS:
        stripped = col.str.strip_chars()
        return pl.when(stripped == "").then(None).otherwise(stripped).alias(name)
    old: list[str] = []
    new: list[object] = []
    quiet = True  # no value repaired, warned about, refused or flagged
    for value in values:
        key = "" if value is None else value
        reading = read(kind, value)
        if key not in old:
            old.append(key)
            new.append(reading.value)
        if reading.severity:
            rows = raw.filter(col.fill_null("") == key).get_column("_row")
            log.value_problem(reading.severity, reading.message, name, value, reading.expected,
                              rows.head(101).to_list(), len(rows))
        if reading.flag:
            flags.setdefault(reading.flag, []).append(col.fill_null("") == key)
        quiet = quiet and not reading.severity and not reading.flag
    dtype = DTYPES.get(kind, pl.String())
    written = {v for v in values if v is not None}
    if quiet and all(n is None for o, n in zip(old, new) if o == ""):  # fast paths: most columns of most files
        if not written:
            return pl.lit(None, dtype).alias(name)
        if kind == "yes_no" and written <= {"Yes", "No"}:
            return (col == "Yes").alias(name)
        if dtype == pl.String() and all(o == n for o, n in zip(old, new) if o != ""):
            return col.alias(name)
    return col.fill_null("").replace_strict(old, new, default=None, return_dtype=dtype).alias(name)


def _as_written(raw: pl.DataFrame, name: str, values: list[str | None]) -> pl.Series | pl.Expr:
    """The text as written, only in the rows where it differs from the form's own spelling of its value."""
    kind = _KIND[name]
    differs = [v for v in values if v is not None and v.strip() and v.strip() != written_as(kind, read(kind, v).value)]
    if not differs or name not in raw.columns:
        return pl.lit(None, pl.String)
    return raw.select(pl.when(pl.col(name).is_in(differs)).then(pl.col(name).str.strip_chars())
                      .otherwise(None)).to_series()


def _c(typed: pl.DataFrame, name: str) -> pl.Expr:
    if name in typed.columns:
        return pl.col(name)
    return pl.lit(None, dtype=DTYPES.get(_KIND[name], pl.String()))


def _or(exprs: list[pl.Expr]) -> pl.Expr:
    if not exprs:
        return pl.lit(0, dtype=pl.Int64)
    return pl.reduce(lambda acc, x: acc | x, exprs) if len(exprs) > 1 else exprs[0]


def _masks(typed: pl.DataFrame, group: str) -> tuple[pl.Expr, pl.Expr]:
    yes, stated = [], []
    for f in fields_of_group(group):
        b = 1 << MASK_KEYS[group].index(f.key)
        c = _c(typed, f.name)
        yes.append(pl.when(c.fill_null(False)).then(pl.lit(b, pl.Int64)).otherwise(0))
        stated.append(pl.when(c.is_not_null()).then(pl.lit(b, pl.Int64)).otherwise(0))
    return _or(yes).alias(f"{group}_mask"), _or(stated).alias(f"{group}_stated_mask")


def _tactics(typed: pl.DataFrame) -> pl.DataFrame:
    parts = []
    for n in TACTIC_SLOTS:
        if f"tactic_{n}" not in typed.columns:
            continue
        parts.append(typed.select(
            "_idx", pl.lit(n, pl.Int16).alias("seq"), pl.col(f"tactic_{n}").alias("form_tactic"),
            _c(typed, f"effective_{n}").alias("effective"),
        ).filter(pl.col("form_tactic").is_not_null()))
    if not parts:
        return pl.DataFrame(schema={"_idx": pl.UInt32, "seq": pl.Int16, "form_tactic": pl.String,
                                    "tactic": pl.String, "effective": pl.Boolean})
    frame = pl.concat(parts).sort("_idx", "seq")
    tactic = pl.col("form_tactic").replace_strict(FORM_TACTIC_TO_HO, return_dtype=pl.String).alias("tactic")
    return frame.with_columns(tactic).select("_idx", "seq", "form_tactic", "tactic", "effective")


def _ced_block(typed: pl.DataFrame, block: int) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(levels mask, any value present, inconsistent) for one device block."""
    p = f"ced{block}."
    levels = [pl.when(_c(typed, p + key).fill_null(False)).then(pl.lit(ced_rules.LEVEL_BITS[key], pl.Int64))
              .otherwise(0) for _, key in CED_LEVEL_ITEMS if key in ced_rules.LEVEL_BITS]
    names = [f.name for f in FIELDS if f.name.startswith(p)]
    present = pl.any_horizontal([_c(typed, n).is_not_null() for n in names])
    fired = _c(typed, p + "fired").fill_null(False)
    fired_detail = pl.any_horizontal([_c(typed, p + key).is_not_null() for _, key, _ in CED_DETAIL_ITEMS])
    body = pl.any_horizontal([_c(typed, n).fill_null(False) for n in names if ".front_" in n or ".back_" in n])
    repeat_alone = _c(typed, p + "drive_stun_repeat").fill_null(False) & ~_c(typed, p + "drive_stun").fill_null(False)
    inconsistent = repeat_alone | ((fired_detail | body) & ~fired & ~_c(typed, p + "angled_drive_stun").fill_null(False))
    return _or(levels), present, inconsistent


def _devices(typed: pl.DataFrame) -> pl.DataFrame:
    frames = []
    for block in CED_BLOCKS:
        p = f"ced{block}."
        _, present, _ = _ced_block(typed, block)
        cols = [pl.col("_idx"), pl.lit(block, pl.Int16).alias("block")]
        cols += [_c(typed, p + key).alias(key) for _, key in CED_LEVEL_ITEMS]
        cols += [_c(typed, p + key).alias(key) for _, key, _ in CED_DETAIL_ITEMS]
        for side, zones in (("front", MASK_KEYS["front"]), ("back", MASK_KEYS["back"])):
            yes = [pl.when(_c(typed, f"{p}{side}_{z}").fill_null(False)).then(pl.lit(1 << i, pl.Int64)).otherwise(0)
                   for i, z in enumerate(zones)]
            no = [pl.when(_c(typed, f"{p}{side}_{z}") == False).then(pl.lit(1 << i, pl.Int64)).otherwise(0)  # noqa: E712
                  for i, z in enumerate(zones)]
            cols += [_or(yes).alias(f"{side}_mask"), _or(no).alias(f"{side}_no_mask")]
        frames.append(typed.filter(present).select(cols))
    return pl.concat(frames).sort("_idx", "block")


def _summarise(typed: pl.DataFrame, condition: pl.Expr, log: ProblemLog, message: str, field: str | None) -> None:
    rows = typed.filter(condition).get_column("_row")
    if len(rows):
        log.value_problem("warning", message, field or "", None, "", rows.head(3).to_list(), len(rows))


def normalise_frame(raw: pl.DataFrame, *, headers: Mapping[str, str] | None = None, file: str | None = None,
                    log: ProblemLog | None = None) -> NormalisedForms:
    """Normalise a frame of written values (columns named after form fields, plus ``_row``)."""
    log = log or ProblemLog(file, headers)
    if "_row" not in raw.columns:
        raw = raw.with_row_index("_row", offset=2)
    raw = raw.with_row_index("_idx")
    present = frozenset(c for c in raw.columns if c in _KIND)
    flags: dict[str, list[pl.Expr]] = {}
    fields = [name for name in raw.columns if name in _KIND]
    distinct = _distinct(raw, [n for n in fields if _KIND[n] not in _VECTOR_KINDS])
    columns = [_read_column(raw, name, distinct.get(name, []), log, flags) for name in fields]
    flag_cols = [pl.when(pl.any_horizontal(exprs)).then(pl.lit(flag(name), pl.Int64)).otherwise(0)
                 for name, exprs in flags.items()]
    typed = raw.select("_idx", "_row", *columns, _or(flag_cols).alias("_value_flags"))
    typed = typed.with_columns([pl.lit(None, DTYPES.get(k, pl.String())).alias(n)
                                for n, k in _KIND.items() if n not in typed.columns])

    undated = typed.filter(pl.col("incident_date").is_null()).get_column("_idx")
    if len(undated):  # an unreadable date is already an error of its own; this is an empty one
        written = raw.filter(pl.col("_idx").is_in(undated.implode()))
        if "incident_date" in written.columns:
            written = written.filter(pl.col("incident_date").str.strip_chars().fill_null("") == "")
        if written.height:
            log.value_problem("error", "the incident date is empty", "incident_date", None,
                              "the date of the incident as YYYY-MM-DD",
                              written.get_column("_row").head(101).to_list(), written.height)

    tactics = _tactics(typed)
    tactic_bits = tactics.group_by("_idx").agg(
        pl.col("tactic").replace_strict(_HO_TACTIC_BIT, return_dtype=pl.Int64).unique().sum().alias("tactic_mask"),
        pl.len().cast(pl.Int16).alias("tactic_count"),
    )
    ced_tactic_bits = tactics.filter(pl.col("tactic").str.starts_with("ced_")).group_by("_idx").agg(
        pl.col("tactic").str.slice(4).replace_strict(ced_rules.LEVEL_BITS, return_dtype=pl.Int64)
        .unique().sum().alias("_ced_tactic_levels"))
    typed = (typed.join(tactic_bits, on="_idx", how="left").join(ced_tactic_bits, on="_idx", how="left")
             .with_columns(pl.col("tactic_mask", "_ced_tactic_levels").fill_null(0), pl.col("tactic_count").fill_null(0)))

    blocks = [_ced_block(typed, b) for b in CED_BLOCKS]
    levels = _or([pl.col("_ced_tactic_levels"), *[b[0] for b in blocks]]).alias("ced_levels_mask")
    ced_used = _c(typed, "ced_used")
    typed = typed.with_columns(levels, pl.any_horizontal([b[2] for b in blocks]).alias("_block_inconsistent"))
    ced = (ced_used.fill_null(False) | (pl.col("ced_levels_mask") != 0)).alias("ced")
    typed = typed.with_columns(ced)
    ced_inconsistent = pl.col("_block_inconsistent") | ((ced_used == False) & (pl.col("ced_levels_mask") != 0))  # noqa: E712

    effective_orphan = pl.any_horizontal([_c(typed, f"effective_{n}").is_not_null() & _c(typed, f"tactic_{n}").is_null()
                                          for n in TACTIC_SLOTS if f"effective_{n}" in typed.columns] or [pl.lit(False)])
    staff_contra = (_c(typed, "staff_injured") == "no") & _c(typed, "staff_injury_level").is_not_null()
    subject_contra = (_c(typed, "subject_injured") == "no") & _c(typed, "subject_injury_level").is_not_null()
    fatality = _c(typed, "outcome.fatality").fill_null(False)
    death = _c(typed, "subject_injury_level") == "death"
    timestamps = [_c(typed, n).is_null() for n in ("form_started", "form_completed") if n in present]
    checks = {
        "no_tactic": (pl.col("tactic_count") == 0) & ~pl.col("ced"),
        "ced_not_stated": pl.col("ced") & (pl.col("ced_levels_mask") == 0),
        "injury_contradiction": staff_contra | subject_contra,
        "fatality_without_death": fatality & ~death.fill_null(False),
        "death_without_fatality": death.fill_null(False) & ~fatality,
        "missing_timestamp": pl.any_horizontal(timestamps) if timestamps else pl.lit(False),
        "out_of_force": _c(typed, "borough") == "Out of force",
        "ced_inconsistent": ced_inconsistent,
        "effective_without_tactic": effective_orphan,
    }
    _summarise(typed, effective_orphan, log, "an Effective answer with no tactic in the same position; "
               "the answer is not stored", None)
    _summarise(typed, ced_inconsistent, log, "CED detail contradicts itself (CED Used = No with a level ticked, a "
               "repeat drive stun without a drive stun, or firing detail without Fired); stored as recorded "
               "and flagged", None)
    quality = _or([pl.col("_value_flags"),
                   *[pl.when(expr.fill_null(False)).then(pl.lit(flag(n), pl.Int64)).otherwise(0) for n, expr in checks.items()]])
    assert set(checks) <= set(QUALITY_FLAGS)

    physical, mental = _c(typed, "physical_disability"), _c(typed, "mental_disability")
    health = (pl.when(physical.is_null() & mental.is_null()).then(pl.lit("not_reported"))
              .when(physical.fill_null(False) & mental.fill_null(False)).then(pl.lit("physical_and_mental"))
              .when(physical.fill_null(False)).then(pl.lit("physical"))
              .when(mental.fill_null(False)).then(pl.lit("mental"))
              .when((physical == False) & (mental == False)).then(pl.lit("none"))  # noqa: E712
              .otherwise(pl.lit("not_reported")))
    date = _c(typed, "incident_date")
    year = date.dt.year() - (date.dt.month() < 4).cast(pl.Int32)
    financial_year = pl.format("{}-{}", year, ((year + 1) % 100).cast(pl.String).str.zfill(2))
    raws = {n: _as_written(raw, n, distinct.get(n, [])) for n in ("subject_age", "subject_gender", "subject_ethnicity",
                                                              "borough", "staff_injured", "threatened_with_weapon",
                                                              "assaulted_with_weapon")}
    typed = typed.with_columns(**{f"_raw_{k}": v for k, v in raws.items()})
    reports = typed.select(
        "_idx", "_row",
        date.alias("incident_date"), _c(typed, "incident_time").alias("incident_time"),
        financial_year.alias("financial_year"),
        _c(typed, "form_started").alias("form_started"), _c(typed, "form_completed").alias("form_completed"),
        _c(typed, "borough").alias("borough"), pl.col("_raw_borough").alias("borough_raw"),
        _c(typed, "primary_conduct").alias("primary_conduct"),
        _c(typed, "assaulted_by_subject").alias("assaulted_by_subject"),
        _c(typed, "threatened_with_weapon").alias("threatened_weapon_mask"),
        pl.col("_raw_threatened_with_weapon").alias("threatened_with_weapon"),
        _c(typed, "assaulted_with_weapon").alias("assaulted_weapon_mask"),
        pl.col("_raw_assaulted_with_weapon").alias("assaulted_with_weapon"),
        *_masks(typed, "location"), *_masks(typed, "reason"), *_masks(typed, "impact_factor"), *_masks(typed, "outcome"),
        _c(typed, "main_duty").alias("main_duty"), _c(typed, "single_crewed").alias("single_crewed"),
        _c(typed, "trained_ced").alias("trained_ced"), _c(typed, "carrying_ced").alias("carrying_ced"),
        "tactic_mask", "tactic_count",
        "ced", ced_used.alias("ced_used"), _c(typed, "ced_serial").alias("ced_serial"), "ced_levels_mask",
        ced_rules.ced_class_expr(pl.col("ced"), pl.col("ced_levels_mask")).alias("ced_class"),
        _c(typed, "firearms_aimed").alias("firearms_aimed"), _c(typed, "firearms_fired").alias("firearms_fired"),
        _c(typed, "subject_age").fill_null("not_reported").alias("age"), pl.col("_raw_subject_age").alias("age_raw"),
        _c(typed, "subject_gender").fill_null("not_reported").alias("gender"), pl.col("_raw_subject_gender").alias("gender_raw"),
        _c(typed, "subject_ethnicity").fill_null("not_reported").alias("ethnicity"),
        pl.col("_raw_subject_ethnicity").alias("ethnicity_raw"),
        physical.alias("physical_disability"), mental.alias("mental_disability"), health.alias("health"),
        _c(typed, "staff_injured").alias("staff_injured"), pl.col("_raw_staff_injured").alias("staff_injured_raw"),
        _c(typed, "staff_injury_intentional").alias("staff_injury_intentional"),
        _c(typed, "staff_injury_level").alias("staff_injury_level"),
        _c(typed, "staff_med_provided").alias("staff_med_provided"),
        _c(typed, "subject_injured").alias("subject_injured"), _c(typed, "subject_injury_level").alias("subject_injury_level"),
        _c(typed, "subject_med_offered").alias("subject_med_offered"),
        _c(typed, "subject_med_provided").alias("subject_med_provided"),
        quality.alias("quality_flags"),
        _c(typed, "simulated").fill_null(False).alias("simulated"),
        *[_c(typed, n).alias(n) for n in ("force", "incident_id", "person_id", "report_id", "officer_id")],
        _c(typed, "officer_team").str.slice(0, 80).alias("officer_team"),
    )
    return NormalisedForms(reports, tactics, _devices(typed), log, present)
