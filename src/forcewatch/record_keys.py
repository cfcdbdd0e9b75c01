"""Who and what each report is: natural keys, content hashes, incident and person refs, pseudonyms.

The MPS open file has no incident, person, report or officer identifier. forcewatch accepts them
as extension columns (``IncidentId``, ``PersonId``, ``ReportId``, ``OfficerId``) and otherwise
derives them deterministically, so importing a revised file finds the reports, incidents and
people it already holds:

- ``content_hash``: MD5 of the report's *normalised* answers as stored (:func:`fingerprint`: every
  national-form answer, from the report's columns, its ordered tactic uses and its CED device
  blocks; ids, raw spellings and derived columns excluded), so letter case or a borough spelling
  changing between two exports does not make an old report look new;
- ``natural_key``: ``id:<ReportId>`` when the file has ``ReportId``; otherwise
  ``fp:<content_hash>:<n>`` where *n* numbers identical rows within the file (two officers can file
  word-for-word identical reports);
- incident ``ref``: ``id:<IncidentId>`` (``declared``), else ``h:<date>|<time>|<borough>``
  (``heuristic``: the public code's own de-duplication rule, which can merge or split real events);
- person ``ref`` within its incident: ``id:<PersonId>`` (``declared``), else
  ``h:<age>|<gender>|<ethnicity>`` as perceived (``heuristic``);
- ``officer_pseudonym``: :func:`forcewatch.pseudonyms.officer_pseudonym` of ``OfficerId``.
"""

from __future__ import annotations

import hashlib

import polars as pl

from .pseudonyms import officer_pseudonym

__all__ = ["add_keys", "fingerprint", "FINGERPRINT_COLUMNS"]


#: the officer_report columns that hold the form's answers, normalised (raw spellings, ids, provenance
#: and columns derived from other answers are left out), in a fixed order that never changes
FINGERPRINT_COLUMNS = (
    "incident_date", "incident_time", "borough", "primary_conduct", "assaulted_by_subject", "threatened_weapon_mask",
    "assaulted_weapon_mask", "location_mask", "location_stated_mask", "reason_mask", "reason_stated_mask",
    "impact_factor_mask", "impact_factor_stated_mask", "outcome_mask", "outcome_stated_mask", "main_duty",
    "single_crewed", "trained_ced", "carrying_ced", "ced_used", "ced_serial", "firearms_aimed", "firearms_fired", "age",
    "gender", "ethnicity", "physical_disability", "mental_disability", "staff_injured", "staff_injury_intentional",
    "staff_injury_level", "staff_med_provided", "subject_injured", "subject_injury_level", "subject_med_offered",
    "subject_med_provided",
)
_SEP = "\x1f"


def _text(columns: list[str]) -> list[pl.Expr]:
    return [pl.col(c).cast(pl.String).fill_null("") for c in columns]


def fingerprint(reports: pl.DataFrame, tactics: pl.DataFrame, devices: pl.DataFrame) -> pl.Series:
    """Each report's normalised answers as one text (the input of ``content_hash``), in ``reports`` order.

    The report's answer columns (:data:`FINGERPRINT_COLUMNS`), then its tactic uses in order
    (``seq=form_tactic/effective``), then its CED device blocks (every column), joined with
    unprintable separators; an empty answer is empty text.
    """
    uses = (tactics.sort("_idx", "seq")
            .select("_idx", pl.concat_str(_text(["seq", "form_tactic", "effective"]), separator="/").alias("t"))
            .group_by("_idx", maintain_order=True).agg(pl.col("t").str.join(";").alias("_tactic_text")))
    block_columns = [c for c in devices.columns if c != "_idx"]
    blocks = (devices.sort("_idx", "block")
              .select("_idx", pl.concat_str(_text(block_columns), separator="/").alias("b"))
              .group_by("_idx", maintain_order=True).agg(pl.col("b").str.join(";").alias("_device_text")))
    joined = (reports.select("_idx", *FINGERPRINT_COLUMNS).join(uses, on="_idx", how="left")
              .join(blocks, on="_idx", how="left"))
    return joined.select(pl.concat_str([*_text(list(FINGERPRINT_COLUMNS)), pl.col("_tactic_text").fill_null(""),
                                        pl.col("_device_text").fill_null("")], separator=_SEP)).to_series()


def _md5(texts: pl.Series) -> pl.Series:
    return pl.Series([hashlib.md5(t.encode("utf-8")).hexdigest() for t in texts.to_list()], dtype=pl.String)


def add_keys(reports: pl.DataFrame, tactics: pl.DataFrame, devices: pl.DataFrame, *,
             pseudonym_key: str | None) -> pl.DataFrame:
    """``reports`` (from :func:`forcewatch.normalise.normalise_frame`, with ``force_code``) plus
    ``content_hash``, ``natural_key``, ``report_ref``, ``incident_ref``, ``incident_grouping``,
    ``person_ref``, ``person_grouping`` and ``officer_pseudonym``; the raw id columns are dropped.
    ``tactics`` and ``devices`` are the same normalisation's tactic uses and CED blocks."""
    frame = reports.with_columns(_md5(fingerprint(reports, tactics, devices)).alias("content_hash"))
    occurrence = (pl.int_range(pl.len()).over("force_code", "content_hash") + 1).cast(pl.String)
    frame = frame.with_columns(
        pl.when(pl.col("report_id").is_not_null()).then(pl.lit("id:") + pl.col("report_id"))
        .otherwise(pl.lit("fp:") + pl.col("content_hash") + pl.lit(":") + occurrence).alias("natural_key"),
        pl.col("report_id").alias("report_ref"),
        pl.when(pl.col("incident_id").is_not_null()).then(pl.lit("id:") + pl.col("incident_id"))
        .otherwise(pl.concat_str([pl.lit("h:"), pl.col("incident_date").cast(pl.String),
                                  pl.col("incident_time").cast(pl.String).fill_null(""),
                                  pl.col("borough").fill_null("")], separator="|").str.replace(r"^h:\|", "h:"))
        .alias("incident_ref"),
        pl.when(pl.col("incident_id").is_not_null()).then(pl.lit("declared")).otherwise(pl.lit("heuristic"))
        .alias("incident_grouping"),
        pl.when(pl.col("person_id").is_not_null()).then(pl.lit("id:") + pl.col("person_id"))
        .otherwise(pl.concat_str([pl.lit("h:") + pl.col("age"), pl.col("gender"), pl.col("ethnicity")], separator="|"))
        .alias("person_ref"),
        pl.when(pl.col("person_id").is_not_null()).then(pl.lit("declared")).otherwise(pl.lit("heuristic"))
        .alias("person_grouping"),
    )
    officers = frame.select("force_code", "officer_id").unique().drop_nulls()
    if officers.height:
        assert pseudonym_key is not None, "a pseudonym key is needed when OfficerId is present"
        officers = officers.with_columns(pl.Series(
            "officer_pseudonym",
            [officer_pseudonym(pseudonym_key, f, o) for f, o in officers.iter_rows()], dtype=pl.String))
        frame = frame.join(officers, on=["force_code", "officer_id"], how="left")
    else:
        frame = frame.with_columns(pl.lit(None, pl.String).alias("officer_pseudonym"))
    return frame.drop("report_id", "incident_id", "person_id", "officer_id", "force")
