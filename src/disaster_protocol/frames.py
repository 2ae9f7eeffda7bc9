"""Tidy pandas DataFrames of the library's results, for analysts in notebooks.

pandas is optional (``pip install 'disaster-protocol[analysis]'``) and imported only when a
frame is asked for, so the core never pays for it. Each frame has one row per item and typed
columns: ids as text, levels as nullable integers (``Int64``: n/a and unassessed are
missing), flags as booleans, titles in the language asked for.

The values delegate here: ``Assessment.to_frame``, ``Portfolio.to_frame``,
``Comparison.to_frame``, ``CooperationPlan.to_frame`` and ``Protocol.to_frame``.

Frames hold the values as they are, for analysis. Before handing one to ``to_excel`` or
``to_csv`` for people to open in a spreadsheet, pass it through :func:`for_spreadsheet`, which
applies the CSV outputs' cell rule to its text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

from ._compare import Comparison
from ._i18n import Lang, check_lang
from ._output import neutral_cell
from .assessment import ActionResult, Assessment
from .cooperation import CooperationPlan, Evaluation
from .model import Protocol
from .portfolio import Breakdown, Portfolio, Summary

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["assessment_frame", "breakdown_frame", "comparison_frame", "evaluation_frame",
           "for_spreadsheet", "plan_frame", "portfolio_frame", "protocol_frame"]

INSTALL = "pip install 'disaster-protocol[analysis]'"


def _frame(rows: Iterable[dict[str, object]], columns: Sequence[str],
           types: dict[str, str]) -> pd.DataFrame:
    """The rows as a frame with these columns, of these types (pandas imported here)."""
    try:
        import pandas
    except ImportError:
        raise ImportError(f"DataFrames need pandas, which is not installed: {INSTALL}") from None
    frame = pandas.DataFrame(list(rows), columns=list(columns))
    typed: pd.DataFrame = frame.astype(types)
    return typed


AssessmentFrame = Literal["actions", "findings", "plan", "groups"]

_ACTION_COLUMNS = {"action": "string", "title": "string", "phase": "string",
                   "lead": "string", "critical": "boolean", "weight": "float64",
                   "status": "string", "claimed": "Int64", "effective": "Int64",
                   "waived": "boolean", "evidence": "int64"}


def _action_row(r: ActionResult, lang: Lang) -> dict[str, object]:
    return {"action": r.action, "title": r.title.get(lang), "phase": r.phase, "lead": r.lead,
            "critical": r.critical, "weight": r.weight, "status": r.status,
            "claimed": r.claimed, "effective": r.effective, "waived": r.waived,
            "evidence": r.evidence}


def assessment_frame(assessment: Assessment, kind: AssessmentFrame = "actions",
                     lang: Lang = "es") -> pd.DataFrame:
    """One row per action, finding, plan step or group score of ``assessment``.

    Raises
    ------
    ValueError
        For another ``kind`` or language.
    ImportError
        Without pandas (the ``analysis`` extra).
    """
    check_lang(lang)
    a = assessment
    if kind == "actions":
        return _frame((_action_row(r, lang) for r in a.actions), list(_ACTION_COLUMNS),
                      _ACTION_COLUMNS)
    if kind == "findings":
        types = {"kind": "string", "action": "string", "role": "string", "message": "string"}
        return _frame(({"kind": f.kind, "action": f.action, "role": f.role,
                        "message": f.text(lang)} for f in a.findings), list(types), types)
    if kind == "plan":
        types = {"rank": "int64", "action": "string", "title": "string", "phase": "string",
                 "lead": "string", "unit": "string", "critical": "boolean",
                 "unlocks": "int64", "weight": "float64", "uplift": "float64"}
        return _frame(({"rank": s.rank, "action": s.action, "title": s.title.get(lang),
                        "phase": s.phase, "lead": s.lead, "unit": s.unit,
                        "critical": s.critical, "unlocks": s.unlocks, "weight": s.weight,
                        "uplift": s.uplift} for s in a.plan), list(types), types)
    if kind == "groups":
        types = {"family": "string", "group": "string", "label": "string",
                 "score": "float64", "coverage": "float64", "score_low": "float64",
                 "score_high": "float64"}
        rows: list[dict[str, object]] = [
                {"family": family.removeprefix("by_"), "group": group,
                 "label": a.labels[group].get(lang) if group in a.labels else group,
                 "score": g.score, "coverage": g.coverage,
                 "score_low": g.score_range[0] if g.score_range else None,
                 "score_high": g.score_range[1] if g.score_range else None}
                for family in ("by_phase", "by_priority", "by_role", "by_hazard")
                for group, g in a.groups[family].items()]
        return _frame(rows, list(types), types)
    raise ValueError(f"unknown frame kind {kind!r}; choose actions, findings, plan or groups")


PortfolioFrame = Literal["institutions", "groups", "actions"]

_EVIDENCE_COLUMNS = {"provisional": "boolean", "score_low": "float64", "score_high": "float64",
                     "reliability": "string", "evidence_needed": "int64",
                     "rank_best": "Int64", "rank_worst": "Int64", "rank_supported": "boolean"}


def _evidence_row(s: Summary) -> dict[str, object]:
    """How much one institution's figures rest on: range, reliability, rank interval."""
    low, high = s.score_range or (s.score, s.score)
    best, worst = s.rank or (None, None)
    return {"provisional": s.provisional, "score_low": low, "score_high": high,
            "reliability": s.reliability, "evidence_needed": len(s.evidence_needed),
            "rank_best": best, "rank_worst": worst, "rank_supported": s.rank_supported}


def portfolio_frame(portfolio: Portfolio, kind: PortfolioFrame = "institutions",
                    lang: Lang = "es") -> pd.DataFrame:
    """One row per institution; or long, per institution and group score (``groups``) or
    per institution and action (``actions``, which needs the assessments kept).

    Raises
    ------
    ValueError
        For another ``kind``, or ``actions`` of a portfolio without its assessments.
    ImportError
        Without pandas (the ``analysis`` extra).
    """
    check_lang(lang)
    if kind == "institutions":
        types = {"institution": "string", "name": "string", "country": "string",
                 "subregion": "string", "type": "string", "language": "string",
                 "as_of": "datetime64[s]", "score": "float64", "grade": "string",
                 "coverage": "float64", "blocking": "int64", **_EVIDENCE_COLUMNS,
                 "source": "string"}
        return _frame(({"institution": s.institution.id, "name": s.institution.name,
                        "country": s.institution.country, "subregion": s.institution.subregion,
                        "type": s.institution.type, "language": s.institution.language,
                        "as_of": s.as_of, "score": s.score, "grade": s.grade,
                        "coverage": s.coverage, "blocking": len(s.blocking),
                        **_evidence_row(s), "source": s.source}
                       for s in portfolio.summaries), list(types), types)
    if kind == "groups":
        types = {"institution": "string", "as_of": "datetime64[s]", "family": "string",
                 "group": "string", "score": "float64"}
        rows = [{"institution": s.institution.id, "as_of": s.as_of,
                 "family": family.removeprefix("by_"), "group": group, "score": score}
                for s in portfolio.summaries for family in ("by_phase", "by_priority")
                for group, score in getattr(s, family).items()]
        return _frame(rows, list(types), types)
    if kind == "actions":
        if portfolio.summaries and not portfolio.assessments:
            raise ValueError("the actions frame needs the assessments: build the portfolio "
                             "with assess_many(..., keep_assessments=True)")
        types = {"institution": "string", "as_of": "datetime64[s]", **_ACTION_COLUMNS}
        rows = [{"institution": a.institution.id, "as_of": a.as_of, **_action_row(r, lang)}
                for a in portfolio.assessments for r in a.actions]
        return _frame(rows, list(types), types)
    raise ValueError(f"unknown frame kind {kind!r}; choose institutions, groups or actions")


def comparison_frame(comparison: Comparison) -> pd.DataFrame:
    """One row per action whose level changed or stayed: before, after, change and how."""
    c = comparison
    rows: list[dict[str, object]] = []
    for how, changes in (("rose", c.rose), ("fell", c.fell), ("rescoped", c.rescoped)):
        rows += [{"action": x.action, "before": x.before, "after": x.after,
                  "change": None if x.before is None or x.after is None
                  else x.after - x.before, "how": how} for x in changes]
    rows += [{"action": x.action, "before": x.before, "after": x.after, "change": None,
              "how": how} for how, changes in (("newly-assessed", c.newly_assessed),
                                               ("no-longer-assessed", c.no_longer_assessed))
             for x in changes]
    rows += [{"action": a, "before": None, "after": None, "change": 0, "how": "stayed"}
             for a in c.stayed]
    types = {"action": "string", "before": "Int64", "after": "Int64", "change": "Int64",
             "how": "string"}
    return _frame(rows, list(types), types)


def plan_frame(plan: CooperationPlan, lang: Lang = "es") -> pd.DataFrame:
    """One row per match (workshop participations included) and per unmet demand."""
    check_lang(lang)

    def title(action: str) -> str:
        text = plan.titles.get(action)
        return text.get(lang) if text is not None else action

    rows: list[dict[str, object]] = [
        {"kind": "workshop" if m.workshop else "match", "round": m.round,
         "provider": m.provider, "recipient": m.recipient, "action": m.action,
         "title": title(m.action),
         "phase": m.phase, "provider_level": m.provider_level,
         "recipient_level": m.recipient_level, "gap": m.gap, "uplift": m.uplift,
         "shared": ",".join(m.shared), "workshop": m.workshop, "cost": m.cost, "reason": None}
        for m in plan.matches]
    rows += [{"kind": "unmet", "round": None, "provider": None, "recipient": u.institution,
              "action": u.action, "title": title(u.action), "phase": u.phase,
              "provider_level": None, "recipient_level": u.level, "gap": None,
              "uplift": None, "shared": None, "workshop": None, "cost": None,
              "reason": u.reason} for u in plan.unmet]
    types = {"kind": "string", "round": "Int64", "provider": "string",
             "recipient": "string", "action": "string", "title": "string", "phase": "string",
             "provider_level": "Int64", "recipient_level": "Int64", "gap": "Int64",
             "uplift": "float64", "shared": "string", "workshop": "string",
             "cost": "Int64", "reason": "string"}
    return _frame(rows, list(types), types)


def breakdown_frame(breakdown: Breakdown) -> pd.DataFrame:
    """One row per group of a regional summary (suppressed groups keep their count alone),
    then the total."""
    types = {"group": "string", "institutions": "int64", "suppressed": "boolean",
             "mean_score": "float64", "median_score": "float64", "mean_coverage": "float64",
             "weakest_priority": "string", "common_blocking": "string"}
    return _frame(({"group": g.group, "institutions": g.institutions,
                    "suppressed": g.suppressed, "mean_score": g.mean_score,
                    "median_score": g.median_score, "mean_coverage": g.mean_coverage,
                    "weakest_priority": g.weakest_priority,
                    "common_blocking": ",".join(g.common_blocking)}
                   for g in (*breakdown.groups, breakdown.total)), list(types), types)


def evaluation_frame(evaluation: Evaluation) -> pd.DataFrame:
    """One row per recipient and demanded action: matched or not, measured or not
    (``status``), effective and claimed levels and their changes (missing unless measured)."""
    types = {"recipient": "string", "action": "string", "matched": "boolean",
             "provider": "string", "status": "string", "before": "Int64", "after": "Int64",
             "change": "Int64", "claimed_before": "Int64", "claimed_after": "Int64",
             "claimed_change": "Int64"}
    return _frame(({name: getattr(o, name) for name in types} for o in evaluation.outcomes),
                  list(types), types)


def protocol_frame(protocol: Protocol, lang: Lang = "es") -> pd.DataFrame:
    """One row per action of the protocol, with its place, roles, links and provenance."""
    check_lang(lang)
    types = {"action": "string", "title": "string", "phase": "string", "lead": "string",
             "support": "string", "requires": "string", "critical": "boolean",
             "weight": "float64", "hazards": "string", "priority": "string",
             "paragraphs": "string", "indicators": "string", "custom_indicators": "string",
             "provenance": "string"}
    return _frame(({"action": a.id, "title": a.title.get(lang), "phase": a.phase,
                    "lead": a.lead, "support": ",".join(a.support),
                    "requires": ",".join(a.requires), "critical": a.critical,
                    "weight": a.weight, "hazards": ",".join(a.hazards),
                    "priority": a.sendai.priority, "paragraphs": ",".join(a.sendai.paragraph),
                    "indicators": ",".join(a.sendai.indicators),
                    "custom_indicators": ",".join(a.sendai.custom_indicators),
                    "provenance": a.provenance.status} for a in protocol.actions),
                  list(types), types)


def for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` safe to open in a spreadsheet: every text cell (of any column, the
    index and column names left as they are) neutralised as the CSV outputs do it — control
    and bidirectional characters shown as ``\\xNN``/``\\uNNNN``, and text beginning with
    ``=``, ``+``, ``-``, ``@`` or a tab given a leading single quote. Numbers, dates and
    missing values are unchanged.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame of this module (or another).

    Returns
    -------
    pandas.DataFrame
        A new frame; ``frame`` is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> for_spreadsheet(pd.DataFrame({"name": ["=1+1", "Caja"], "delta": [-3, 2]}))
        name  delta
    0  '=1+1     -3
    1   Caja      2
    """
    out: pd.DataFrame = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(neutral_cell)
    return out
