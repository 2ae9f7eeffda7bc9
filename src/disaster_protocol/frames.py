"""Tidy pandas DataFrames of the library's results, for analysts in notebooks.

pandas is optional (``pip install 'disaster-protocol[analysis]'``) and imported only when a
frame is asked for, so the core never pays for it. Each frame has one row per item and typed
columns: ids as text, levels as nullable integers (``Int64``: n/a and unassessed are
missing), flags as booleans, titles in the language asked for. Phases, grades, Sendai
priorities and reliability levels are *ordered* categoricals (phases in the protocol's order,
grades ``C < B < A``, priorities ``P1 < ... < P4``, reliability ``low < medium < high``), so
``groupby``, ``sort_values`` and plots follow their order, not the alphabet.

Every value has the same ``to_frame(kind=None, *, lang="es")``: ``kind`` chooses the frame
(the first of :data:`KINDS` for that value when None), ``lang`` the language of its words.
The values delegate here: ``Assessment``, ``Portfolio``, ``Breakdown``, ``Comparison``,
``Trend``, ``CooperationPlan``, ``Evaluation`` and ``Protocol``.

Frames hold the values as they are, for analysis. Before handing one to ``to_excel`` or
``to_csv`` for people to open in a spreadsheet, pass it through :func:`for_spreadsheet`, which
applies the CSV outputs' cell rule to its text.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ._compare import Comparison, Trend
from ._i18n import LANGS, Lang, check_lang, text
from ._output import neutral_cell
from .assessment import ActionResult, Assessment
from .cooperation import CooperationPlan, Evaluation
from .model import Protocol
from .portfolio import Breakdown, Portfolio, Summary

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KINDS", "assessment_frame", "breakdown_frame", "comparison_frame",
           "evaluation_frame", "for_spreadsheet", "plan_frame", "portfolio_frame",
           "protocol_frame", "trend_frame"]

INSTALL = "pip install 'disaster-protocol[analysis]'"

KINDS: Mapping[str, tuple[str, ...]] = {
    "Assessment": ("actions", "findings", "plan", "groups"),
    "Portfolio": ("institutions", "groups", "actions"),
    "Breakdown": ("groups",),
    "Comparison": ("actions",),
    "Trend": ("points", "groups"),
    "CooperationPlan": ("matches", "workshops", "roadmap"),
    "Evaluation": ("outcomes",),
    "Protocol": ("actions",),
}
"""The frames each value gives, its default first (``value.to_frame(kind)``)."""

GRADES = ("C", "B", "A")
PRIORITIES = ("P1", "P2", "P3", "P4")
RELIABILITY = ("low", "medium", "high")
_HERE = str(Path(__file__).resolve().parent)


def _outside() -> int:
    """The ``stacklevel`` of the first caller outside the package (so a warning names the
    user's line, not ours)."""
    level, frame = 1, sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_HERE):
        frame, level = frame.f_back, level + 1
    return level


def _choose(value: str, kind: str | None, lang: str) -> tuple[str, Lang]:
    """The frame ``kind`` (the value's default when None) and the checked language.

    A language given where the kind goes (``plan.to_frame("en")``, the old order of some
    values) still works, with a DeprecationWarning.
    """
    kinds = KINDS[value]
    if kind is not None and kind not in kinds and kind in LANGS:
        warnings.warn(f"{value}.to_frame({kind!r}): the first argument is now the kind of "
                      f"frame ({', '.join(kinds)}); pass the language by name: "
                      f"to_frame(lang={kind!r})", DeprecationWarning, stacklevel=_outside())
        kind, lang = kinds[0], kind
    chosen = kinds[0] if kind is None else kind
    checked = check_lang(lang)
    if chosen not in kinds:
        raise ValueError(f"unknown frame kind {chosen!r} of a {value}; choose "
                         f"{', '.join(kinds)}")
    return chosen, checked


def _frame(rows: Iterable[dict[str, object]], columns: Sequence[str],
           types: Mapping[str, object]) -> pd.DataFrame:
    """The rows as a frame with these columns, of these types (pandas imported here); a type
    given as a tuple of names is an ordered categorical of those names."""
    try:
        import pandas
    except ImportError:
        raise ImportError(f"DataFrames need pandas, which is not installed: {INSTALL}") from None
    frame = pandas.DataFrame(list(rows), columns=list(columns))
    typed: pd.DataFrame = frame.astype(
        {name: pandas.CategoricalDtype(list(kind), ordered=True) if isinstance(kind, tuple)
         else kind for name, kind in types.items()})
    return typed


AssessmentFrame = Literal["actions", "findings", "plan", "groups"]


def _action_types(phases: Sequence[str]) -> dict[str, object]:
    return {"action": "string", "title": "string", "phase": tuple(phases),
            "lead": "string", "critical": "boolean", "weight": "float64",
            "status": "string", "claimed": "Int64", "effective": "Int64",
            "waived": "boolean", "evidence": "int64"}


def _action_row(r: ActionResult, lang: Lang) -> dict[str, object]:
    return {"action": r.action, "title": r.title.get(lang), "phase": r.phase, "lead": r.lead,
            "critical": r.critical, "weight": r.weight, "status": r.status,
            "claimed": r.claimed, "effective": r.effective, "waived": r.waived,
            "evidence": r.evidence}


def _ordered(known: Iterable[str], present: Iterable[str | None]) -> tuple[str, ...]:
    """``known`` in its order, then anything else ``present`` (sorted): the categories of an
    ordered column that cannot lose a value."""
    first = tuple(dict.fromkeys(known))
    return first + tuple(sorted({p for p in present if p is not None} - set(first)))


def assessment_frame(assessment: Assessment, kind: AssessmentFrame | None = None,
                     lang: Lang = "es") -> pd.DataFrame:
    """One row per action (the default), finding, plan step or group score of
    ``assessment``.

    Raises
    ------
    ValueError
        For another ``kind`` or language.
    ImportError
        Without pandas (the ``analysis`` extra).
    """
    chosen, lang = _choose("Assessment", kind, lang)
    a = assessment
    phases = _ordered(a.groups["by_phase"], (r.phase for r in a.actions))
    if chosen == "actions":
        types = _action_types(phases)
        return _frame((_action_row(r, lang) for r in a.actions), list(types), types)
    if chosen == "findings":
        types = {"kind": "string", "action": "string", "role": "string", "message": "string"}
        return _frame(({"kind": f.kind, "action": f.action, "role": f.role,
                        "message": f.text(lang)} for f in a.findings), list(types), types)
    if chosen == "plan":
        types = {"rank": "int64", "action": "string", "title": "string", "phase": phases,
                 "lead": "string", "unit": "string", "critical": "boolean",
                 "unlocks": "int64", "weight": "float64", "uplift": "float64"}
        return _frame(({"rank": s.rank, "action": s.action, "title": s.title.get(lang),
                        "phase": s.phase, "lead": s.lead, "unit": s.unit,
                        "critical": s.critical, "unlocks": s.unlocks, "weight": s.weight,
                        "uplift": s.uplift} for s in a.plan), list(types), types)
    families = ("phase", "priority", "role", "hazard")
    types = {"family": families, "group": "string", "label": "string",
             "score": "float64", "coverage": "float64", "score_low": "float64",
             "score_high": "float64"}
    rows: list[dict[str, object]] = [
            {"family": family, "group": group,
             "label": a.labels[group].get(lang) if group in a.labels else group,
             "score": g.score, "coverage": g.coverage,
             "score_low": g.score_range[0] if g.score_range else None,
             "score_high": g.score_range[1] if g.score_range else None}
            for family in families for group, g in a.groups[f"by_{family}"].items()]
    return _frame(rows, list(types), types)


PortfolioFrame = Literal["institutions", "groups", "actions"]

_EVIDENCE_COLUMNS: dict[str, object] = {
    "provisional": "boolean", "score_low": "float64", "score_high": "float64",
    "reliability": RELIABILITY, "evidence_needed": "int64", "rank_best": "Int64",
    "rank_worst": "Int64", "rank_supported": "boolean"}


def _evidence_row(s: Summary) -> dict[str, object]:
    """How much one institution's figures rest on: range, reliability, rank interval."""
    low, high = s.score_range or (s.score, s.score)
    best, worst = s.rank or (None, None)
    return {"provisional": s.provisional, "score_low": low, "score_high": high,
            "reliability": s.reliability, "evidence_needed": len(s.evidence_needed),
            "rank_best": best, "rank_worst": worst, "rank_supported": s.rank_supported}


def portfolio_frame(portfolio: Portfolio, kind: PortfolioFrame | None = None,
                    lang: Lang = "es") -> pd.DataFrame:
    """One row per institution (the default); or long, per institution and group score
    (``groups``) or per institution and action (``actions``, which needs the assessments
    kept).

    Raises
    ------
    ValueError
        For another ``kind``, or ``actions`` of a portfolio without its assessments.
    ImportError
        Without pandas (the ``analysis`` extra).
    """
    chosen, lang = _choose("Portfolio", kind, lang)
    summaries = portfolio.summaries
    phases = tuple(dict.fromkeys(p for s in summaries for p in s.by_phase))
    if chosen == "institutions":
        types = {"institution": "string", "name": "string", "country": "string",
                 "subregion": "string", "type": "string", "language": "string",
                 "as_of": "datetime64[s]", "score": "float64", "grade": GRADES,
                 "coverage": "float64", "blocking": "int64", **_EVIDENCE_COLUMNS,
                 "source": "string"}
        return _frame(({"institution": s.institution.id, "name": s.institution.name,
                        "country": s.institution.country, "subregion": s.institution.subregion,
                        "type": s.institution.type, "language": s.institution.language,
                        "as_of": s.as_of, "score": s.score, "grade": s.grade,
                        "coverage": s.coverage, "blocking": len(s.blocking),
                        **_evidence_row(s), "source": s.source}
                       for s in summaries), list(types), types)
    if chosen == "groups":
        types = {"institution": "string", "as_of": "datetime64[s]",
                 "family": ("phase", "priority"), "group": "string", "score": "float64"}
        rows = [{"institution": s.institution.id, "as_of": s.as_of,
                 "family": family, "group": group, "score": score}
                for s in summaries for family in ("phase", "priority")
                for group, score in getattr(s, f"by_{family}").items()]
        return _frame(rows, list(types), types)
    if summaries and not portfolio.assessments:
        raise ValueError("the actions frame needs the assessments: build the portfolio "
                         "with assess_many(..., keep_assessments=True)")
    action_types = _action_types(_ordered(phases, (r.phase for a in portfolio.assessments
                                                   for r in a.actions)))
    types = {"institution": "string", "as_of": "datetime64[s]", **action_types}
    rows = [{"institution": a.institution.id, "as_of": a.as_of, **_action_row(r, lang)}
            for a in portfolio.assessments for r in a.actions]
    return _frame(rows, list(types), types)


def comparison_frame(comparison: Comparison, kind: Literal["actions"] | None = None,
                     lang: Lang = "es") -> pd.DataFrame:
    """One row per action whose level changed or stayed: before, after, change and how."""
    _choose("Comparison", kind, lang)
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


def trend_frame(trend: Trend, kind: Literal["points", "groups"] | None = None,
                lang: Lang = "es") -> pd.DataFrame:
    """One row per date of ``trend`` (the default: score, grade, coverage, blocking gaps),
    or long per date and group score (``groups``: phases and Sendai priorities)."""
    chosen, lang = _choose("Trend", kind, lang)
    institution = trend.institution.id
    if chosen == "points":
        types = {"institution": "string", "as_of": "datetime64[s]", "score": "float64",
                 "grade": GRADES, "coverage": "float64", "blocking": "int64"}
        return _frame(({"institution": institution, "as_of": p.as_of, "score": p.score,
                        "grade": p.grade, "coverage": p.coverage, "blocking": p.blocking}
                       for p in trend.points), list(types), types)
    types = {"institution": "string", "as_of": "datetime64[s]",
             "family": ("phase", "priority"), "group": "string", "score": "float64"}
    return _frame(({"institution": institution, "as_of": p.as_of, "family": family,
                    "group": group, "score": score}
                   for p in trend.points for family in ("phase", "priority")
                   for group, score in getattr(p, f"by_{family}").items()),
                  list(types), types)


def plan_frame(plan: CooperationPlan,
               kind: Literal["matches", "workshops", "roadmap"] | None = None,
               lang: Lang = "es") -> pd.DataFrame:
    """One row per match (the default; workshop participations included) and per unmet
    demand; or one per workshop (``workshops``: round, action, host, participants) or per
    round of the roadmap (``roadmap``)."""
    chosen, lang = _choose("CooperationPlan", kind, lang)

    def title(action: str) -> str:
        words = plan.titles.get(action)
        return words.get(lang) if words is not None else action

    phases = _ordered(plan.phases, [*(m.phase for m in plan.matches),
                                    *(u.phase for u in plan.unmet)])
    if chosen == "workshops":
        types = {"round": "int64", "workshop": "string", "action": "string",
                 "title": "string", "phase": phases, "host": "string", "host_level": "int64",
                 "language": "string", "participants": "int64", "members": "string",
                 "interpretation": "string"}
        return _frame(({"round": w.round, "workshop": w.id, "action": w.action,
                        "title": title(w.action), "phase": w.phase, "host": w.host,
                        "host_level": w.host_level, "language": w.language,
                        "participants": len(w.participants),
                        "members": ",".join(w.participants),
                        "interpretation": ",".join(w.interpretation)}
                       for w in plan.workshops), list(types), types)
    if chosen == "roadmap":
        types = {name: "int64" for name in ("round", "workshops", "bilateral", "demands",
                                             "stated", "blocking")}
        return _frame((r.model_dump() for r in plan.roadmap), list(types), types)
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
             "recipient": "string", "action": "string", "title": "string", "phase": phases,
             "provider_level": "Int64", "recipient_level": "Int64", "gap": "Int64",
             "uplift": "float64", "shared": "string", "workshop": "string",
             "cost": "Int64", "reason": "string"}
    return _frame(rows, list(types), types)


def breakdown_frame(breakdown: Breakdown, kind: Literal["groups"] | None = None,
                    lang: Lang = "es") -> pd.DataFrame:
    """One row per group of a regional summary (suppressed groups keep their count alone),
    then the total, whose ``group`` says "Total" in ``lang``."""
    _, lang = _choose("Breakdown", kind, lang)
    groups = (*breakdown.groups, breakdown.total)
    types = {"group": "string", "institutions": "int64", "suppressed": "boolean",
             "mean_score": "float64", "median_score": "float64", "mean_coverage": "float64",
             "weakest_priority": _ordered(PRIORITIES, (g.weakest_priority for g in groups)),
             "common_blocking": "string"}
    total = text("total", lang)
    return _frame(({"group": total if g is breakdown.total else g.group,
                    "institutions": g.institutions,
                    "suppressed": g.suppressed, "mean_score": g.mean_score,
                    "median_score": g.median_score, "mean_coverage": g.mean_coverage,
                    "weakest_priority": g.weakest_priority,
                    "common_blocking": ",".join(g.common_blocking)}
                   for g in groups), list(types), types)


def evaluation_frame(evaluation: Evaluation, kind: Literal["outcomes"] | None = None,
                     lang: Lang = "es") -> pd.DataFrame:
    """One row per recipient and demanded action: matched or not, measured or not
    (``status``), effective and claimed levels and their changes (missing unless measured)."""
    _choose("Evaluation", kind, lang)
    types = {"recipient": "string", "action": "string", "matched": "boolean",
             "provider": "string", "status": "string", "before": "Int64", "after": "Int64",
             "change": "Int64", "claimed_before": "Int64", "claimed_after": "Int64",
             "claimed_change": "Int64"}
    return _frame(({name: getattr(o, name) for name in types} for o in evaluation.outcomes),
                  list(types), types)


def protocol_frame(protocol: Protocol, kind: Literal["actions"] | None = None,
                   lang: Lang = "es") -> pd.DataFrame:
    """One row per action of the protocol, with its place, roles, links and provenance."""
    _, lang = _choose("Protocol", kind, lang)
    types = {"action": "string", "title": "string",
             "phase": tuple(p.id for p in protocol.phases), "lead": "string",
             "support": "string", "requires": "string", "critical": "boolean",
             "weight": "float64", "hazards": "string",
             "priority": _ordered((p.id for p in protocol.sendai.priorities),
                                  (a.sendai.priority for a in protocol.actions)),
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
