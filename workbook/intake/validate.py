"""Apply the schema's rules to raw tables: parse, quarantine, warn, account for every row.

Each row read is either used or quarantined, and every quarantined row is named by an error
(or, for touches of unknown leads, a warning). Cross-file checks (opportunities whose lead is
unknown, spend channels no lead has, ...) are warnings: the data stays usable.

See Also
--------
workbook.intake.schema.column_rules : the rules applied here.
workbook.intake.parse.parse_column : parses one column by its rule.
workbook.intake.links : the checks between files.
workbook.intake.engagement.load_engagement : finds the files and calls :func:`validate_files`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from workbook.intake.config import CONFIG_FILE, EngagementConfig
from workbook.intake.coverage import DataCoverage, data_coverage
from workbook.intake.io import RawTable, read_table
from workbook.intake.links import (
    backfill_rows,
    channel_warnings,
    converted_leads,
    lead_stage_checks,
    leads_from_opportunities,
    link_opportunities,
    opportunity_lead_warnings,
    touch_checks,
    touch_leads_coded,
)
from workbook.intake.parse import parse_column
from workbook.intake.problems import Audit, EngagementError, FileCheck, Problem, RowCount
from workbook.intake.schema import OPTIONAL_FILES, ColumnRule, column_rules
from workbook.intake.sections.mapping import FileMapping
from workbook.intake.text import TEXT_DTYPE, as_text, normalise_header, positions_in


def locate_columns(
    raw: RawTable, rules: tuple[ColumnRule, ...], mapping: FileMapping
) -> dict[str, str]:
    """Contract name -> the file's header (``raw.frame``'s column), raising for missing
    required columns and for a column two headers name.

    A column ``mapping`` gives one value for every row needs no header; a header it names
    that the file lacks is a configuration error naming the key. Two headers that name the
    same column (``created_at`` twice, or ``Created At`` beside ``created_at``) are an error
    naming both: which one holds the data cannot be told.
    """
    labels = list(raw.frame.columns)
    written = list(raw.headers) if raw.headers else [str(c) for c in labels]
    by_normal: dict[str, list[int]] = {}
    by_lower: dict[str, list[int]] = {}
    for position, header in enumerate(written):
        by_normal.setdefault(normalise_header(header), []).append(position)
        by_lower.setdefault(header.strip().lower(), []).append(position)
    headers = ", ".join(written)
    stem = raw.file.rsplit(".", 1)[0]
    found: dict[str, str] = {}
    missing: list[Problem] = []

    def unique(rule: ColumnRule, positions: list[int]) -> str | None:
        if len(positions) > 1:
            first, second = positions[:2]
            missing.append(
                Problem.coded(
                    raw.file,
                    rule.name,
                    "duplicate_header",
                    first=written[first],
                    first_position=first + 1,
                    second=written[second],
                    second_position=second + 1,
                    column=rule.name,
                )
            )
            return None
        return labels[positions[0]]

    for rule in rules:
        if rule.name in mapping.constants:
            continue
        if rule.name in mapping.headers:
            positions = by_lower.get(mapping.headers[rule.name].strip().lower())
            if not positions:
                missing.append(
                    Problem(
                        CONFIG_FILE,
                        f"columns.{stem}.{rule.name}",
                        f"the header '{mapping.headers[rule.name]}' is not in {raw.file} (its "
                        f"headers: {headers}): correct the header, or remove the line",
                    )
                )
                continue
        else:
            positions = by_normal.get(rule.name)
        if positions:
            header = unique(rule, positions)
            if header is not None:
                found[rule.name] = header
        elif rule.required:
            missing.append(
                Problem(
                    raw.file,
                    rule.name,
                    f"required column '{rule.name}' is missing (headers: {headers}); rename "
                    f"it, or map your header in engagement.yaml under columns: {stem}: "
                    f"{rule.name}: <your header>",
                )
            )
    if missing:
        raise EngagementError(missing)
    return found


def _blanks_filled(cells: pd.Series, value: str) -> pd.Series:
    """Blank cells (empty or only spaces) given ``value`` (``values:`` mapped the blanks)."""
    text = as_text(cells)
    return text.mask(text.isna() | text.str.strip().eq(""), value)


def _absent_column(rule: ColumnRule, index: pd.RangeIndex) -> pd.Series:
    """An optional column the file lacks: missing values, or the rule's default."""
    if rule.kind in ("date", "datetime", "month"):
        return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if rule.kind == "number":
        return pd.Series(np.nan, index=index, dtype="float64")
    return pd.Series(rule.default, index=index, dtype=TEXT_DTYPE)


def _duplicate_ids(ids: pd.Series, rows: pd.Series, column: str, check: FileCheck) -> None:
    """Quarantine the later rows of a repeated id, naming the row (``rows``) it first
    appeared on."""
    dup = (ids.duplicated() & ids.notna()).to_numpy(bool)
    if not dup.any():
        return
    first_row = pd.Series(rows.to_numpy()).groupby(ids.to_numpy()).transform("min")
    shown = list(zip(ids[dup], first_row[dup], strict=True))[:3]
    check.error(
        column,
        dup,
        "duplicate_id",
        column=column,
        examples=", ".join(f"'{i}'" for i, _ in shown),
        first_rows=", ".join(str(int(r)) for _, r in shown),
    )


def empty_frame(file: str, config: EngagementConfig) -> pd.DataFrame:
    """The typed frame of a file not provided: every contract column, no row."""
    index = pd.RangeIndex(0)
    out = {rule.name: _absent_column(rule, index) for rule in column_rules(file, config.stages)}
    out["source_row"] = pd.Series(np.arange(0), index=index, dtype="int64")
    return pd.DataFrame(out, index=index)


def parse_table(
    raw: RawTable, file: str, config: EngagementConfig
) -> tuple[pd.DataFrame, FileCheck]:
    """Parse one raw table by its column rules.

    Returns
    -------
    frame : DataFrame
        Every contract column (absent optional ones filled with their default or missing),
        typed, plus ``source_row`` (1-based data row as in the file, empty rows counted).
        All rows, quarantined ones included.
    check : FileCheck
        Problems and the quarantine mask.

    Raises
    ------
    EngagementError
        When a required column is missing, or a required file has no data rows.
    """
    rules = column_rules(file, config.stages)
    check = FileCheck(raw.file, len(raw.frame), raw.notes, row_numbers=raw.source_rows)
    if check.n == 0:
        if file in OPTIONAL_FILES:  # not provided (CONTRACT section 3)
            return empty_frame(file, config), check
        raise EngagementError(
            [Problem(raw.file, None, "has a header but no data rows: export the data into it")]
        )
    mapping = config.mapping(file)
    headers = locate_columns(raw, rules, mapping)
    index = pd.RangeIndex(check.n)
    out: dict[str, pd.Series] = {}
    for rule in rules:
        if rule.name in mapping.constants:
            cells = pd.Series(mapping.constants[rule.name], index=index, dtype=TEXT_DTYPE)
        elif rule.name in headers:
            cells = raw.frame[headers[rule.name]].reset_index(drop=True)
        else:
            out[rule.name] = _absent_column(rule, index)
            continue
        if rule.name in mapping.blanks:
            cells = _blanks_filled(cells, mapping.blanks[rule.name])
        column = parse_column(
            cells,
            rule,
            check,
            decimal_comma=raw.decimal_comma,
            value_map=mapping.values.get(rule.name),
        )
        out[rule.name] = (
            column * mapping.scales[rule.name] if rule.name in mapping.scales else column
        )
    out["source_row"] = pd.Series(raw.row_numbers, index=index, copy=False)
    frame = pd.DataFrame(out, index=index, copy=False)  # fresh columns: no copies
    for rule in rules:
        if rule.unique:
            _duplicate_ids(frame[rule.name], frame["source_row"], rule.name, check)
    return frame, check


def duplicate_emails(emails: pd.Series, usable: np.ndarray) -> np.ndarray:
    """Rows whose e-mail (case- and space-insensitive) is on an earlier usable row.

    Examples
    --------
    >>> emails = pd.Series(["Ann@x", " ann@x", "b@y", "ann @x"])
    >>> duplicate_emails(emails, np.array([True, True, True, False])).tolist()
    [False, True, False, False]
    """
    key = as_text(emails).str.lower().str.replace(" ", "", regex=False).str.strip()
    key = key.where(np.asarray(usable, bool) & key.ne("").to_numpy(bool))
    return (key.duplicated() & key.notna()).to_numpy(bool)


def _opportunity_checks(opportunities: pd.DataFrame, check: FileCheck) -> pd.DataFrame:
    """Closed without a date or an amount (errors), open with a date, closed before created
    (warnings). An open opportunity may have no amount.

    Returns the opportunities with the close date of open ones cleared.
    """
    status, closed_at = opportunities["status"], opportunities["closed_at"]
    closed = status.isin(["won", "lost"]).to_numpy(bool)
    check.error("closed_at", closed & closed_at.isna().to_numpy(), "closed_without_date")
    no_amount = closed & opportunities["amount"].isna().to_numpy()
    check.error("amount", no_amount & ~check.quarantine, "closed_without_amount")
    open_closed = (status.eq("open") & closed_at.notna()).fillna(False).to_numpy(bool)
    check.warn("closed_at", open_closed, "open_with_close_date")
    opportunities = opportunities.copy()
    opportunities.loc[open_closed, "closed_at"] = pd.NaT
    early = (opportunities["closed_at"] < opportunities["created_at"]).fillna(False)
    check.warn("closed_at", early.to_numpy(bool), "closed_before_created")
    return opportunities


def _tag_checks(
    content: pd.DataFrame,
    check: FileCheck,
    leads: pd.DataFrame,
    leads_check: FileCheck,
    config: EngagementConfig,
    *,
    full_audit: bool,
) -> pd.DataFrame:
    """Content tags and lead personas that engagement.yaml does not list (warnings).

    Returns the content with such tags cleared.
    """
    for col, allowed in (("persona", config.personas), ("buying_stage", config.buying_stages)):
        unknown = (content[col].notna() & ~content[col].isin(allowed)).to_numpy(bool)
        check.warn(col, unknown, "tag_not_in_config", column=col, allowed=", ".join(allowed))
        content[col] = content[col].where(~unknown)
    untagged = (content["persona"].isna() | content["buying_stage"].isna()).to_numpy(bool)
    check.warn(None, untagged & ~check.quarantine, "untagged_asset")
    if full_audit:  # a warning that no figure reads, from a scan of every lead
        persona = leads["persona"]
        unknown_persona = (persona.notna() & ~persona.isin(config.personas)).to_numpy(bool)
        leads_check.warn(
            "persona",
            unknown_persona & ~leads_check.quarantine,
            "persona_not_in_config",
            allowed=", ".join(config.personas),
        )
    return content


def latest_date(frames: Mapping[str, pd.DataFrame]) -> dt.date | None:
    """The latest date anywhere in the data but the content (its publication dates)."""
    candidates = []
    for name, frame in frames.items():
        for col in frame.columns:
            if col.endswith("_at") and pd.api.types.is_datetime64_any_dtype(frame[col].dtype):
                if name == "content":
                    continue
                value = frame[col].max()
                if pd.notna(value):
                    candidates.append(value)
    return max(candidates).date() if candidates else None


#: When neither engagement.yaml nor the data gives the snapshot date (never the clock's).
NO_AS_OF = Problem(
    CONFIG_FILE,
    "as_of",
    "no snapshot date: engagement.yaml sets no as_of and the data holds no date; "
    "set as_of: YYYY-MM-DD in engagement.yaml (the day the data was exported)",
)


@dataclass(frozen=True)
class ValidatedTables:
    """Used rows of every file, typed; the audit; and the as-of date in force."""

    frames: dict[str, pd.DataFrame]
    audit: Audit
    as_of: dt.date
    provided: frozenset[str]
    coverage: DataCoverage


def _audit(checks: Mapping[str, FileCheck], **extra) -> Audit:
    """The audit of every file's check: errors and warnings in file order."""
    return Audit(
        errors=tuple(p for c in checks.values() for p in c.errors),
        warnings=tuple(p for c in checks.values() for p in c.warnings),
        rows={file: c.count() for file, c in checks.items()},
        **extra,
    )


def validate_files(
    paths: Mapping[str, Path],
    config: EngagementConfig,
    *,
    prior_problems: tuple[Problem, ...] = (),
    full_audit: bool = True,
    notes: tuple[Problem, ...] = (),
) -> ValidatedTables:
    """Read, parse and cross-check every data file of an engagement.

    Each file is read (:func:`workbook.intake.io.read_table`) and parsed in turn; only its
    typed columns are kept.

    Parameters
    ----------
    paths : mapping of str to Path
        File stem (``leads``...) to the file. ``spend``, ``content`` and ``touches`` may be
        absent (not provided: empty frames, ``touches`` left out), and ``leads`` when the
        ladder has no lead stage: each opportunity is then a journey
        (:func:`workbook.intake.links.leads_from_opportunities`).
    config : EngagementConfig
    prior_problems : tuple of Problem
        Fatal problems already found (missing files).
    full_audit : bool
        False skips the checks that only warn, that no figure reads, and that scan every
        lead or touch: repeated e-mails, touches of unknown assets, opportunities of unknown
        leads, spend channels without leads (and lead channels without spend), personas not
        in the config (``audit.complete`` is then False). The rows used, the quarantine and
        the other warnings are the same.
    notes : tuple of Problem
        Warnings found before reading (a leads file the ladder does not use).

    Returns
    -------
    ValidatedTables
        ``frames`` keeps only used rows (quarantined ones removed), with ``source_row``.

    Raises
    ------
    EngagementError
        When a file cannot be read, lacks a required column or has no usable rows (nothing
        can be used), or ``prior_problems`` is not empty. Its ``audit`` reports every file
        all the same.
    """
    parsed: dict[str, pd.DataFrame] = {}
    checks: dict[str, FileCheck] = {}
    unreadable: list[Problem] = []
    unparsable: list[Problem] = []
    unusable: dict[str, int] = {}
    for file, path in paths.items():
        try:
            raw = read_table(path)
        except EngagementError as exc:
            unreadable.extend(exc.problems)
            continue
        try:
            parsed[file], checks[file] = parse_table(raw, file, config)
        except EngagementError as exc:
            unparsable.extend(exc.problems)
            unusable[file] = len(raw.frame)
        del raw  # only the typed columns are kept
    fatal = [*prior_problems, *unreadable, *unparsable]
    if fatal:
        audit = _audit(checks)
        rows = audit.rows | {
            f: RowCount(read=n, used=0, quarantined=n) for f, n in unusable.items()
        }
        raise EngagementError(
            fatal, audit=replace(audit, errors=(*fatal, *audit.errors), rows=rows)
        )

    provided = frozenset(f for f, c in checks.items() if c.n > 0)
    for file in ("spend", "content"):  # not provided: typed, empty
        if file not in parsed:
            parsed[file] = empty_frame(file, config)
            checks[file] = FileCheck(f"{file}.csv", 0, ())
    if "touches" in parsed and "touches" not in provided:
        del parsed["touches"], checks["touches"]
    opportunities = _opportunity_checks(parsed["opportunities"], checks["opportunities"])
    if "leads" in parsed:
        used_leads = ~checks["leads"].quarantine
        opportunities = converted_leads(parsed["leads"], used_leads, opportunities)
    parsed["opportunities"] = opportunities
    used_opportunities = opportunities.loc[~checks["opportunities"].quarantine]
    if "leads" in parsed:
        leads_check = checks["leads"]
        lead_ids = parsed["leads"]["lead_id"][~leads_check.quarantine]  # the used leads' ids
        if full_audit:  # a warning that no figure reads, from a scan of every lead id
            opportunity_lead_warnings(opportunities, checks["opportunities"], lead_ids)
        leads = link_opportunities(parsed["leads"], used_opportunities)
    else:  # a ladder starting at opportunity: each opportunity is a journey
        leads = leads_from_opportunities(used_opportunities)
        # and its own lead: the deal's figures join its journey (the export's lead ids name
        # leads that are not read)
        parsed["opportunities"] = opportunities.assign(lead_id=opportunities["opportunity_id"])
        leads_check = FileCheck(
            checks["opportunities"].file,
            len(leads),
            (),
            row_numbers=leads["source_row"].to_numpy(),
        )
        lead_ids = leads["lead_id"]
    leads = lead_stage_checks(leads, leads_check, config)
    duplicates: dict[str, int] = {}
    has_email = "leads" in parsed and bool(leads["email"].notna().any())
    if full_audit and has_email:  # a warning no figure reads, from every e-mail; without any
        # e-mail in the export, duplicates cannot be looked for: none is counted, not 0
        dup_email = duplicate_emails(leads["email"], ~leads_check.quarantine)
        leads_check.warn("email", dup_email, "duplicate_email")
        duplicates["leads"] = int(dup_email.sum())
    if full_audit and "leads" in parsed and "spend" in provided:
        channel_warnings(leads, leads_check, parsed["spend"], checks["spend"])
    if "leads" in parsed:
        parsed["leads"] = leads
    parsed["content"] = _tag_checks(
        parsed["content"],
        checks["content"],
        leads,
        leads_check,
        config,
        full_audit=full_audit and "leads" in parsed,
    )
    if "touches" in parsed:
        asset_ids = parsed["content"]["asset_id"].dropna() if full_audit else None
        lead_rows = touch_checks(parsed["touches"], checks["touches"], lead_ids, asset_ids)
        parsed["touches"] = parsed["touches"].assign(lead_id=touch_leads_coded(lead_rows, lead_ids))

    frames = {
        file: frame.loc[~checks[file].quarantine].reset_index(drop=True)
        if checks[file].quarantine.any()
        else frame
        for file, frame in parsed.items()
    }
    if "leads" not in frames:
        frames["leads"] = leads
    empty_files = [
        Problem.coded(checks[f].file, None, "no_usable_rows")
        for f, frame in frames.items()
        if f not in OPTIONAL_FILES and f in provided and len(frame) == 0
    ]
    # an optional file whose every row was quarantined is read (its errors say why) but
    # gives nothing: the figures that need it are missing, as when it was not provided
    provided = frozenset(f for f in provided if len(frames[f]) > 0)
    as_of = config.as_of or latest_date(frames)
    first = frames["leads"]["created_at"].min()
    if as_of is not None and pd.notna(first) and pd.Timestamp(as_of) < first:  # nothing yet
        empty_files.append(
            Problem(
                CONFIG_FILE,
                "as_of",
                f"{as_of} is before the data, whose dates run from {first:%Y-%m-%d} (the first "
                f"journey of {leads_check.file}) to {latest_date(frames)}; set as_of to the day "
                "the data was exported",
            )
        )
    if as_of is not None:
        after = (frames["leads"]["created_at"] > pd.Timestamp(as_of)).to_numpy(bool)
        if after.any():
            leads_check.warnings.append(
                Problem.coded(
                    leads_check.file,
                    "created_at",
                    "created_after_as_of",
                    tuple(int(r) for r in frames["leads"]["source_row"].to_numpy()[after]),
                    as_of=str(as_of),
                )
            )
    audit = _audit(
        {f: c for f, c in checks.items() if c.n > 0},
        duplicates=duplicates,
        complete=full_audit,
    )
    if notes:
        audit = replace(audit, warnings=(*notes, *audit.warnings))
    coverage = None
    if as_of is not None:  # files that stop well before as_of or start well after the others
        coverage = data_coverage(
            {f: frames[f] for f in provided},
            as_of,
            files={f: c.file for f, c in checks.items()},
        )
        audit = replace(audit, warnings=(*audit.warnings, *coverage.warnings))
    # no date in the data means no usable lead: then the empty files are the error to report
    unusable_files = empty_files or ([] if as_of is not None else [NO_AS_OF])
    if unusable_files:
        raise EngagementError(
            unusable_files, audit=replace(audit, errors=(*audit.errors, *unusable_files))
        )
    return ValidatedTables(
        frames=frames, audit=audit, as_of=as_of, provided=provided, coverage=coverage
    )


__all__ = [
    "NO_AS_OF",
    "TEXT_DTYPE",  # TEXT_DTYPE, as_text, positions_in, backfill_rows: importable from here
    "ValidatedTables",  # until every analysis imports them from workbook.intake.text/links
    "as_text",
    "backfill_rows",
    "duplicate_emails",
    "latest_date",
    "locate_columns",
    "parse_table",
    "positions_in",
    "validate_files",
]
