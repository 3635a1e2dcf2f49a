"""The lead management framework: shared stage definitions, SLA, recycling, merge review.

Marketing and sales agree what each stage means, what a lead must show to pass to the next
one and how fast the next team acts on it (DOMAIN.md, "Lead management framework"). This
module holds the defaults, reads engagement.yaml's ``lead_management`` section, and measures
from the data how the funnel lives up to them:

- **SLA compliance**: of the leads that entered a stage, the share the next team acted on
  (advanced or disqualified) within the agreed days;
- **recycling**: leads disqualified at each stage, those that came back (recycled), and
  those whose cooling-off period is over and should return to nurture;
- the **merge review list** before a hand-off: leads sharing an e-mail (compared case- and
  space-insensitively) and accounts with several warm leads. The list shows lead ids and
  companies, never an e-mail address.

engagement.yaml
---------------
Every key is optional; the defaults are shown.

.. code-block:: yaml

    lead_management:
      stages:                    # any stage of engagement.yaml's ladder
        mql:
          definition: An inquiry whose fit and engagement ...   # text, or {en: ..., fr: ...}
          exit_criteria: Score at or above the MQL threshold ...
          owner: marketing       # who works leads at this stage (marketing, sales, ...)
      sla_days:                  # <from>_<to> of adjacent stages: days the next team has to
        mql_sal: 2               # act on a lead that entered <from> (accept or reject)
        sal_sql: 14
        sql_opportunity: 30
      recycle:
        nurture_days: 90         # a disqualified lead returns to nurture after this many days
        from_stages: [mql, sal, sql]   # the stages whose disqualified leads are recycled
      accounts:
        engaged_days: 90         # an open lead active this recently is warm
        min_warm_leads: 2        # accounts with this many warm leads go to the review list

See Also
--------
workbook.analysis.scoring : the scoring model behind the MQL threshold.
workbook.deliverables.strategy : the final report's lead-management section.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from workbook.i18n import CATALOGUE, LANGUAGES, check_language, text
from workbook.intake.config import CONFIG_FILE, unknown_key_problem
from workbook.intake.problems import EngagementError, Problem

if TYPE_CHECKING:
    from workbook.analysis.journeys import Journeys
    from workbook.analysis.scoring import ScoreReport
    from workbook.intake.engagement import Engagement

SECTION = "lead_management"
SECTION_KEYS: tuple[str, ...] = ("stages", "sla_days", "recycle", "accounts")
STAGE_KEYS: tuple[str, ...] = ("definition", "exit_criteria", "owner")

#: Who works leads at each default stage.
DEFAULT_OWNERS: Mapping[str, str] = {
    "inquiry": "marketing",
    "mql": "marketing",
    "sal": "sales",
    "sql": "sales",
    "opportunity": "sales",
    "won": "customer_success",
}
#: Days the next team has to act on a lead that entered a stage (``<from>_<to>``).
DEFAULT_SLA_DAYS: Mapping[str, int] = {"mql_sal": 2, "sal_sql": 14, "sql_opportunity": 30}
DEFAULT_NURTURE_DAYS = 90
DEFAULT_RECYCLE_FROM: tuple[str, ...] = ("mql", "sal", "sql")
DEFAULT_ENGAGED_DAYS = 90
DEFAULT_MIN_WARM_LEADS = 2

REVIEW_KINDS: tuple[str, ...] = ("same_email", "same_account")
REVIEW_COLUMNS: tuple[str, ...] = (
    "review_kind",
    "lead_ids",
    "lead_count",
    "account_id",
    "company",
    "hot_leads",
    "keep_lead_id",
)


@dataclass(frozen=True)
class LeadManagementSettings:
    """engagement.yaml's ``lead_management`` with the defaults filled in.

    Attributes
    ----------
    stages : dict
        Stage -> {"definition", "exit_criteria": text or {language: text}, "owner": str};
        only what engagement.yaml gives (defaults come from the catalogue).
    sla_days : dict
        ``<from>_<to>`` -> days.
    nurture_days : int
    recycle_from : tuple of str
    engaged_days, min_warm_leads : int
    """

    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    sla_days: dict[str, int] = field(default_factory=dict)
    nurture_days: int = DEFAULT_NURTURE_DAYS
    recycle_from: tuple[str, ...] = DEFAULT_RECYCLE_FROM
    engaged_days: int = DEFAULT_ENGAGED_DAYS
    min_warm_leads: int = DEFAULT_MIN_WARM_LEADS


def _whole_number(
    value: object, where: str, *, minimum: int, problems: list[Problem]
) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        problems.append(
            Problem(CONFIG_FILE, where, f"must be a whole number >= {minimum}, got {value!r}")
        )
        return None
    return int(value)


def parse_lead_management(
    raw: Mapping[str, Any] | None, *, stages: tuple[str, ...]
) -> tuple[LeadManagementSettings, list[Problem]]:
    """Read engagement.yaml's ``lead_management`` section (see the module docstring).

    Parameters
    ----------
    raw : mapping or None
    stages : tuple of str
        The funnel ladder of engagement.yaml.

    Returns
    -------
    settings : LeadManagementSettings
        Defaults wherever the section is silent or wrong.
    problems : list of Problem
        Each names its engagement.yaml key (``lead_management.sla_days.mql_sal``...) and, for
        an unknown key, the closest valid one.

    Examples
    --------
    >>> s, p = parse_lead_management({"sla_days": {"mql_sal": 1}}, stages=("inquiry", "mql", "sal"))
    >>> s.sla_days, p
    ({'mql_sal': 1}, [])
    >>> _, p = parse_lead_management({"sla_dayz": {}}, stages=("inquiry", "mql"))
    >>> p[0].column, p[0].message
    ('lead_management.sla_dayz', "unknown key 'sla_dayz': did you mean 'sla_days'?")
    """
    pairs = tuple(f"{a}_{b}" for a, b in zip(stages[:-1], stages[1:], strict=True))
    sla = {k: v for k, v in DEFAULT_SLA_DAYS.items() if k in pairs}
    problems: list[Problem] = []
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        return LeadManagementSettings(sla_days=sla), [
            Problem(CONFIG_FILE, SECTION, "must be a section of key: value lines")
        ]
    for key in raw:
        if key not in SECTION_KEYS:
            problems.append(unknown_key_problem(SECTION, key, SECTION_KEYS, what="key"))

    stage_texts: dict[str, dict[str, Any]] = {}
    for stage, spec in (raw.get("stages") or {}).items():
        where = f"{SECTION}.stages.{stage}"
        if stage not in stages:
            problems.append(unknown_key_problem(f"{SECTION}.stages", stage, stages, what="stage"))
            continue
        if not isinstance(spec, Mapping):
            problems.append(
                Problem(CONFIG_FILE, where, "must hold definition, exit_criteria and/or owner")
            )
            continue
        clean: dict[str, Any] = {}
        for key, value in spec.items():
            if key not in STAGE_KEYS:
                problems.append(unknown_key_problem(where, key, STAGE_KEYS, what="key"))
            elif key == "owner":
                if not isinstance(value, str) or not value.strip():
                    problems.append(Problem(CONFIG_FILE, f"{where}.owner", "must be a team name"))
                else:
                    clean["owner"] = value.strip()
            elif isinstance(value, str) and value.strip():
                clean[key] = value.strip()
            elif (
                isinstance(value, Mapping)
                and value
                and all(
                    lang in LANGUAGES and isinstance(v, str) and v.strip()
                    for lang, v in value.items()
                )
            ):
                clean[key] = {lang: v.strip() for lang, v in value.items()}
            else:
                problems.append(
                    Problem(
                        CONFIG_FILE,
                        f"{where}.{key}",
                        f"must be text, or texts per language ({', '.join(LANGUAGES)})",
                    )
                )
        stage_texts[stage] = clean

    for pair, days in (raw.get("sla_days") or {}).items():
        where = f"{SECTION}.sla_days"
        if pair not in pairs:
            problems.append(unknown_key_problem(where, pair, pairs, what="stage pair"))
            continue
        value = _whole_number(days, f"{where}.{pair}", minimum=0, problems=problems)
        if value is not None:
            sla[pair] = value

    recycle = raw.get("recycle") or {}
    nurture_days, recycle_from = DEFAULT_NURTURE_DAYS, DEFAULT_RECYCLE_FROM
    recycle_from = tuple(s for s in recycle_from if s in stages)
    if not isinstance(recycle, Mapping):
        problems.append(Problem(CONFIG_FILE, f"{SECTION}.recycle", "must be a section"))
        recycle = {}
    for key in recycle:
        if key not in ("nurture_days", "from_stages"):
            problems.append(
                unknown_key_problem(
                    f"{SECTION}.recycle", key, ("nurture_days", "from_stages"), what="key"
                )
            )
    if "nurture_days" in recycle:
        value = _whole_number(
            recycle["nurture_days"], f"{SECTION}.recycle.nurture_days", minimum=0, problems=problems
        )
        nurture_days = value if value is not None else nurture_days
    if "from_stages" in recycle:
        given = recycle["from_stages"]
        if not isinstance(given, list) or not given:
            problems.append(
                Problem(CONFIG_FILE, f"{SECTION}.recycle.from_stages", "must be a list of stages")
            )
        else:
            bad = [s for s in given if s not in stages]
            for s in bad:
                problems.append(
                    unknown_key_problem(f"{SECTION}.recycle.from_stages", s, stages, what="stage")
                )
            if not bad:
                recycle_from = tuple(str(s) for s in given)

    accounts = raw.get("accounts") or {}
    engaged_days, min_warm = DEFAULT_ENGAGED_DAYS, DEFAULT_MIN_WARM_LEADS
    if not isinstance(accounts, Mapping):
        problems.append(Problem(CONFIG_FILE, f"{SECTION}.accounts", "must be a section"))
        accounts = {}
    for key in accounts:
        if key not in ("engaged_days", "min_warm_leads"):
            problems.append(
                unknown_key_problem(
                    f"{SECTION}.accounts", key, ("engaged_days", "min_warm_leads"), what="key"
                )
            )
    if "engaged_days" in accounts:
        value = _whole_number(
            accounts["engaged_days"],
            f"{SECTION}.accounts.engaged_days",
            minimum=1,
            problems=problems,
        )
        engaged_days = value if value is not None else engaged_days
    if "min_warm_leads" in accounts:
        value = _whole_number(
            accounts["min_warm_leads"],
            f"{SECTION}.accounts.min_warm_leads",
            minimum=2,
            problems=problems,
        )
        min_warm = value if value is not None else min_warm
    settings = LeadManagementSettings(
        stages=stage_texts,
        sla_days=sla,
        nurture_days=nurture_days,
        recycle_from=recycle_from,
        engaged_days=engaged_days,
        min_warm_leads=min_warm,
    )
    return settings, problems


def _text_in(value: Any, language: str) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return value.get(language) or next(iter(value.values()), None)
    return None


def stage_definitions(
    stages: tuple[str, ...],
    settings: LeadManagementSettings | None = None,
    *,
    language: str = "en",
) -> pd.DataFrame:
    """The shared definition, exit criteria, owner and SLA of every funnel stage.

    Parameters
    ----------
    stages : tuple of str
    settings : LeadManagementSettings, optional
        engagement.yaml's overrides.
    language : {"en", "fr"}

    Returns
    -------
    DataFrame
        ``stage``, ``owner`` (a key such as ``marketing``), ``definition``, ``exit_criteria``,
        ``sla_days`` (days the next team has to act, NaN when no SLA), ``source`` (default |
        engagement.yaml).
    """
    check_language(language)
    settings = settings or LeadManagementSettings(sla_days=dict(DEFAULT_SLA_DAYS))
    catalogue = CATALOGUE[language]
    rows = []
    for i, stage in enumerate(stages):
        given = settings.stages.get(stage, {})
        nxt = stages[i + 1] if i + 1 < len(stages) else None
        texts = {}
        for key, cat in (("definition", "definition"), ("exit_criteria", "exit")):
            own = _text_in(given.get(key), language)
            default_key = f"lm.stage.{stage}.{cat}"
            if own:
                texts[key] = own
            elif default_key in catalogue:
                texts[key] = catalogue[default_key]
            else:
                texts[key] = text(
                    f"lm.stage.generic.{cat}",
                    language,
                    stage=stage.replace("_", " "),
                    next=(nxt or "").replace("_", " "),
                )
        sla = settings.sla_days.get(f"{stage}_{nxt}") if nxt else None
        rows.append(
            (
                stage,
                given.get("owner") or DEFAULT_OWNERS.get(stage, "marketing" if i < 2 else "sales"),
                texts["definition"],
                texts["exit_criteria"],
                float(sla) if sla is not None else np.nan,
                "engagement.yaml" if given else "default",
            )
        )
    return pd.DataFrame(
        rows, columns=["stage", "owner", "definition", "exit_criteria", "sla_days", "source"]
    )


# --- measured from the data ------------------------------------------------------------------


def sla_compliance(
    journeys: Journeys,
    *,
    sla_days: Mapping[str, int],
    since: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """How often the next team acted on a lead within the agreed days.

    Parameters
    ----------
    journeys : Journeys
    sla_days : mapping
        ``<from>_<to>`` -> days.
    since : Timestamp, optional
        Only leads that entered ``<from>`` on or after this day (e.g. the KPI window).

    Returns
    -------
    DataFrame
        One row per SLA: ``from``, ``to``, ``sla_days``, ``entered`` (leads that entered
        ``from``), ``within_sla`` (acted on, advanced or disqualified, within ``sla_days``),
        ``breached`` (acted on later, or still waiting past ``sla_days`` at ``as_of``),
        ``pending`` (still waiting, inside the SLA), ``compliance_rate``
        (``within / (within + breached)``, 0..1, NaN when none is due) and
        ``median_response_days`` (among leads acted on).

    Examples
    --------
    See ``tests/analysis/test_leadmgmt.py`` for a hand-computed case.
    """
    rows = []
    for a, b in journeys.pairs:
        key = f"{a}_{b}"
        if key not in sla_days:
            continue
        limit = float(sla_days[key])
        step = journeys.step(a)
        if since is not None:
            step = step.loc[step["entered_at"] >= since]
        days = step["duration_days"].to_numpy(float)
        acted = step["event"].to_numpy() > 0
        within = acted & (days <= limit)
        breached = days > limit  # acted on late, or still waiting past the SLA
        pending = ~acted & (days <= limit)
        due = int(within.sum() + breached.sum())
        rows.append(
            {
                "from": a,
                "to": b,
                "sla_days": int(sla_days[key]),
                "entered": int(len(step)),
                "within_sla": int(within.sum()),
                "breached": int(breached.sum()),
                "pending": int(pending.sum()),
                "compliance_rate": float(within.sum() / due) if due else np.nan,
                "median_response_days": float(np.median(days[acted])) if acted.any() else np.nan,
            }
        )
    columns = ["from", "to", "sla_days", "entered", "within_sla", "breached", "pending",
               "compliance_rate", "median_response_days"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _stage_on(journeys: Journeys, when: np.ndarray) -> np.ndarray:
    """Index of the stage each lead was in on ``when`` (-1 before its first stage or NaT)."""
    dates = np.column_stack(
        [journeys.leads[f"{s}_at"].to_numpy("datetime64[ns]") for s in journeys.stages]
    )
    entered = (dates <= when[:, None]).sum(axis=1) - 1
    return np.where(np.isnat(when), -1, entered)


def recycle_summary(
    journeys: Journeys,
    *,
    nurture_days: int = DEFAULT_NURTURE_DAYS,
    recycle_from: tuple[str, ...] = DEFAULT_RECYCLE_FROM,
    since: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Disqualified, recycled and due-for-recycling leads per stage.

    Parameters
    ----------
    journeys : Journeys
    nurture_days : int
        Cooling-off period before a disqualified lead returns to nurture.
    recycle_from : tuple of str
        Stages whose disqualified leads are recycled.
    since : Timestamp, optional
        Count only disqualifications on or after this day.

    Returns
    -------
    DataFrame
        One row per lead stage (before ``opportunity``): ``stage``, ``recycles``
        (bool: in ``recycle_from``), ``disqualified`` (leads disqualified while in that stage),
        ``recycled`` (of those, leads that came back and reached a later stage),
        ``due_for_nurture`` (disqualified, not back, cooling-off over: to return to
        nurture now), ``cooling_off`` (disqualified less than ``nurture_days`` ago).
    """
    leads = journeys.leads
    disq = leads["disqualified_at"].to_numpy("datetime64[ns]")
    at = _stage_on(journeys, disq)
    came_back = leads["recycled"].to_numpy(bool)
    counted = ~np.isnat(disq)
    if since is not None:
        counted &= disq >= np.datetime64(pd.Timestamp(since).to_datetime64())
    ready = (journeys.as_of - pd.Timedelta(days=nurture_days)).to_datetime64()
    stages = journeys.stages
    end = stages.index("opportunity") if "opportunity" in stages else len(stages)
    rows = []
    for k, stage in enumerate(stages[:end]):
        here = counted & (at == k)
        waiting = here & ~came_back
        rows.append(
            {
                "stage": stage,
                "recycles": stage in recycle_from,
                "disqualified": int(here.sum()),
                "recycled": int((here & came_back).sum()),
                "due_for_nurture": int((waiting & (disq <= ready)).sum())
                if stage in recycle_from
                else 0,
                "cooling_off": int((waiting & (disq > ready)).sum())
                if stage in recycle_from
                else 0,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["stage", "recycles", "disqualified", "recycled", "due_for_nurture", "cooling_off"],
    )


def normalised_email(email: pd.Series) -> pd.Series:
    """E-mail compared case- and space-insensitively (as ``validate`` counts duplicates).

    Examples
    --------
    >>> normalised_email(pd.Series([" Ann@Alpha.example", "ann@alpha.example "])).tolist()
    ['ann@alpha.example', 'ann@alpha.example']
    """
    clean = email.astype("string").str.lower().str.replace(r"\s+", "", regex=True)
    return clean.mask(clean == "")


def merge_review(
    leads: pd.DataFrame,
    journeys: Journeys,
    *,
    engaged_days: int = DEFAULT_ENGAGED_DAYS,
    min_warm_leads: int = DEFAULT_MIN_WARM_LEADS,
    scores: pd.DataFrame | None = None,
    threshold: float | None = None,
    last_touch: np.ndarray | None = None,
) -> pd.DataFrame:
    """The duplicate/merge review list to work through before handing hot leads to sales.

    Parameters
    ----------
    leads : DataFrame
        The engagement's leads with ``lead_id`` and, when present, ``email`` (read only to
        group; never returned).
    journeys : Journeys
    engaged_days : int
        An open lead (not disqualified, not yet an opportunity) with a stage entered or a
        touch within this many days before ``as_of`` is *warm*.
    min_warm_leads : int
        Accounts with at least this many warm leads are listed.
    scores : DataFrame, optional
        ``lead_id``, ``score`` (:attr:`workbook.analysis.scoring.ScoreReport.scores`).
    threshold : float, optional
        With ``scores``: a warm lead scoring at or above it is *hot*. Without: a warm lead
        that reached the second stage (MQL) is hot.
    last_touch : ndarray of datetime64, optional
        Latest touch of each lead of ``journeys.leads`` (NaT when none).

    Returns
    -------
    DataFrame
        Columns :data:`REVIEW_COLUMNS`: ``review_kind`` (same_email | same_account),
        ``lead_ids`` (comma-separated, oldest first), ``lead_count``, ``account_id``,
        ``company`` (distinct values, `` / ``-separated), ``hot_leads``, ``keep_lead_id``
        (suggested survivor of a merge: the most advanced lead, then the oldest; empty for
        same_account). No e-mail address appears.
    """
    jl = journeys.leads
    stage_codes = jl["last_stage"].cat.codes.to_numpy()
    first = journeys.stages[0]
    inquiry = jl[f"{first}_at"].to_numpy("datetime64[ns]")
    open_lead = jl["exit_at"].isna().to_numpy() & (
        stage_codes
        < (
            journeys.stages.index("opportunity")
            if "opportunity" in journeys.stages
            else len(journeys.stages)
        )
    )
    dates = np.column_stack([jl[f"{s}_at"].to_numpy("datetime64[ns]") for s in journeys.stages])
    activity = np.where(np.isnat(dates), np.datetime64(0, "ns"), dates).max(axis=1)
    if last_touch is not None:
        activity = np.where(~np.isnat(last_touch) & (last_touch > activity), last_touch, activity)
    since = (journeys.as_of - pd.Timedelta(days=engaged_days)).to_datetime64()
    warm = open_lead & (activity >= since)
    if scores is not None and threshold is not None:
        score = (
            pd.Series(scores["score"].to_numpy(float), index=scores["lead_id"].astype(object))
            .reindex(jl["lead_id"].astype(object))
            .to_numpy()
        )
        hot = warm & (np.nan_to_num(score, nan=0.0) >= threshold)
    else:
        hot = warm & (stage_codes >= 1)

    base = pd.DataFrame(
        {
            "lead_id": jl["lead_id"].astype(object).to_numpy(),
            "account_id": jl["account_id"].astype(object).to_numpy(),
            "company": jl["company"].astype(object).to_numpy(),
            "stage_code": stage_codes,
            "inquiry_at": inquiry,
            "hot": hot,
            "warm": warm,
        }
    )
    parts = []
    if "email" in leads:
        email = normalised_email(leads["email"])
        by_id = pd.Series(email.to_numpy(object), index=leads["lead_id"].astype(object))
        base["email_key"] = by_id.reindex(base["lead_id"]).to_numpy(object)
        dup = base.loc[base["email_key"].notna() & base.duplicated("email_key", keep=False)]
        if len(dup):
            dup = dup.sort_values(["inquiry_at", "lead_id"], kind="stable")
            ranked = dup.sort_values(
                ["stage_code", "inquiry_at", "lead_id"],
                ascending=[False, True, True],
                kind="stable",
            )
            keep = ranked.groupby("email_key", sort=False)["lead_id"].first()
            groups = dup.groupby("email_key", sort=False).agg(
                lead_ids=("lead_id", lambda s: ", ".join(map(str, s))),
                lead_count=("lead_id", "size"),
                account_id=("account_id", _distinct),
                company=("company", _distinct),
                hot_leads=("hot", "sum"),
                first=("inquiry_at", "min"),
            )
            groups["keep_lead_id"] = keep.reindex(groups.index).to_numpy(object)
            groups["review_kind"] = "same_email"
            parts.append(groups.sort_values("first", kind="stable").reset_index(drop=True))
    warm_leads = base.loc[base["warm"] & base["account_id"].notna()]
    if len(warm_leads):
        warm_leads = warm_leads.sort_values(["inquiry_at", "lead_id"], kind="stable")
        accounts = warm_leads.groupby("account_id", sort=True).agg(
            lead_ids=("lead_id", lambda s: ", ".join(map(str, s))),
            lead_count=("lead_id", "size"),
            company=("company", _distinct),
            hot_leads=("hot", "sum"),
        )
        accounts = accounts.loc[accounts["lead_count"] >= min_warm_leads].reset_index()
        accounts["keep_lead_id"] = ""
        accounts["review_kind"] = "same_account"
        accounts = accounts.sort_values(
            ["hot_leads", "lead_count", "account_id"], ascending=[False, False, True], kind="stable"
        )
        parts.append(accounts)
    if not parts:
        return pd.DataFrame(columns=list(REVIEW_COLUMNS))
    review = pd.concat([p[list(REVIEW_COLUMNS)] for p in parts], ignore_index=True)
    review["lead_count"] = review["lead_count"].astype("int64")
    review["hot_leads"] = review["hot_leads"].astype("int64")
    return review


def _distinct(values: pd.Series) -> str:
    seen = [str(v) for v in pd.unique(values.dropna())]
    return " / ".join(seen)


# --- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeadManagementReport:
    """The lead management framework of an engagement, defined and measured.

    Attributes
    ----------
    settings : LeadManagementSettings
    stages : DataFrame
        :func:`stage_definitions`, in the report's language.
    sla : DataFrame
        :func:`sla_compliance` over the KPI window.
    recycling : DataFrame
        :func:`recycle_summary` over the KPI window.
    recycled_leads : int
        Leads that came back after a disqualification (all time).
    review : DataFrame
        :func:`merge_review`.
    threshold : float or None
        The scoring model's MQL threshold, when a model was available.
    language : str
    """

    settings: LeadManagementSettings
    stages: pd.DataFrame
    sla: pd.DataFrame
    recycling: pd.DataFrame
    recycled_leads: int
    review: pd.DataFrame
    threshold: float | None
    language: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able view (NaN as None); the review list carries ids, never e-mails."""

        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            out = []
            for row in frame.to_dict("records"):
                out.append({k: _plain(v) for k, v in row.items()})
            return out

        return {
            "stages": records(self.stages),
            "sla": records(self.sla),
            "recycling": records(self.recycling),
            "recycled_leads": int(self.recycled_leads),
            "review": records(self.review),
            "threshold": _plain(self.threshold),
        }


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if np.isfinite(value) else None
    return value


def lead_management_settings(engagement: Engagement) -> LeadManagementSettings:
    """engagement.yaml's ``lead_management``, checked.

    Raises
    ------
    workbook.intake.problems.EngagementError
        Listing every problem, each naming its engagement.yaml key.
    """
    settings, problems = parse_lead_management(
        engagement.config.lead_management, stages=engagement.config.stages
    )
    if problems:
        raise EngagementError(problems)
    return settings


def build_lead_management(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    scoring: ScoreReport | None = None,
    language: str | None = None,
) -> LeadManagementReport:
    """The lead management framework: definitions, SLA, recycling and the merge review.

    Parameters
    ----------
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
    scoring : ScoreReport, optional
        Its scores and threshold decide which warm leads are hot in the review list.
    language : {"en", "fr"}, optional
        engagement.yaml's by default.

    Raises
    ------
    workbook.intake.problems.EngagementError
        When engagement.yaml's ``lead_management`` section is invalid (naming the key).
    """
    from workbook.analysis.journeys import build_journeys

    settings = lead_management_settings(engagement)
    journeys = journeys if journeys is not None else build_journeys(engagement)
    language = check_language(language or engagement.config.language)
    since = engagement.window_start
    last_touch = None
    if engagement.touches is not None and len(engagement.touches):
        from workbook.analysis.scoring import last_touch_by_lead

        last_touch = last_touch_by_lead(journeys, engagement.touches)
    return LeadManagementReport(
        settings=settings,
        stages=stage_definitions(engagement.config.stages, settings, language=language),
        sla=sla_compliance(journeys, sla_days=settings.sla_days, since=since),
        recycling=recycle_summary(
            journeys,
            nurture_days=settings.nurture_days,
            recycle_from=settings.recycle_from,
            since=since,
        ),
        recycled_leads=int(journeys.leads["recycled"].sum()),
        review=merge_review(
            engagement.leads,
            journeys,
            engaged_days=settings.engaged_days,
            min_warm_leads=settings.min_warm_leads,
            scores=scoring.scores if scoring is not None else None,
            threshold=scoring.threshold if scoring is not None else None,
            last_touch=last_touch,
        ),
        threshold=scoring.threshold if scoring is not None else None,
        language=language,
    )


__all__ = [
    "DEFAULT_OWNERS",
    "DEFAULT_SLA_DAYS",
    "REVIEW_COLUMNS",
    "LeadManagementReport",
    "LeadManagementSettings",
    "build_lead_management",
    "lead_management_settings",
    "merge_review",
    "normalised_email",
    "parse_lead_management",
    "recycle_summary",
    "sla_compliance",
    "stage_definitions",
]
