"""JUnit XML for CI systems: one test suite per institution, one test case per critical
action and per threshold set.

A documented blocking gap (a critical action assessed below level 3, not waived) is a
``<failure>``; a critical action nobody assessed ("evidence needed") is ``<skipped>`` with its
message (it does not block: docs/scoring.md); a threshold the caller set is a test case that
fails when it is not met. The text goes through the one sanitiser (XML forbids control
characters) and is escaped; the same inputs give the same bytes (no clock is read).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .._i18n import Lang, finding_key, text
from .._output import sanitise
from ..assessment import Assessment
from ..portfolio import Failure, Portfolio

__all__ = ["Thresholds", "assessment_junit", "portfolio_junit"]


@dataclass(frozen=True)
class Thresholds:
    """The thresholds a run set (each a test case of every suite); ``None``/``False`` for
    those not set. ``score`` and ``coverage`` are 0-100."""

    score: float | None = None
    blocking: bool = False
    coverage: float | None = None


@dataclass(frozen=True)
class _Case:
    classname: str
    name: str
    failure: str | None = None
    kind: str = ""
    skipped: str | None = None


def _attr(value: str) -> str:
    return quoteattr(sanitise(value).replace("\t", " ").replace("\n", " "))


def _cases(a: Assessment, lang: Lang, limits: Thresholds) -> list[_Case]:
    said = {(f.kind, f.action): text(finding_key(f.kind, f.params), lang, **f.params)
            for f in a.findings}
    blocking, needed = set(a.blocking), set(a.evidence_needed)
    suite = a.institution.id
    cases = []
    for r in a.actions:
        if not r.critical:
            continue
        name = f"{r.action} {r.title.get(lang)}"
        if r.action in blocking:
            cases.append(_Case(f"{suite}.critical", name, kind="blocking-gap",
                               failure=said.get(("blocking-gap", r.action))
                               or text("junit.blocking", lang, action=r.action)))
        elif r.action in needed:
            cases.append(_Case(f"{suite}.critical", name,
                               skipped=text("junit.evidence_needed", lang, action=r.action)))
        else:
            cases.append(_Case(f"{suite}.critical", name))
    return cases + _threshold_cases(a, lang, limits)


def _threshold_cases(a: Assessment, lang: Lang, limits: Thresholds) -> list[_Case]:
    suite, cases = f"{a.institution.id}.threshold", []
    if limits.score is not None:
        below = a.score < limits.score
        cases.append(_Case(suite, text("junit.case.score", lang, limit=f"{limits.score:g}"),
                           kind="fail-under",
                           failure=text("junit.fail_under", lang, score=f"{a.score:.1f}",
                                        limit=f"{limits.score:g}") if below else None))
    if limits.blocking:
        cases.append(_Case(suite, text("junit.case.blocking", lang), kind="fail-on-blocking",
                           failure=text("junit.fail_on_blocking", lang,
                                        count=len(a.blocking), ids=", ".join(a.blocking))
                           if a.blocking else None))
    if limits.coverage is not None:
        below = 100 * a.coverage < limits.coverage
        cases.append(_Case(suite, text("junit.case.coverage", lang,
                                       limit=f"{limits.coverage:g}"),
                           kind="fail-under-coverage",
                           failure=text("junit.fail_under_coverage", lang,
                                        coverage=f"{a.coverage:.0%}",
                                        limit=f"{limits.coverage:g}") if below else None))
    return cases


def _suite(a: Assessment, lang: Lang, limits: Thresholds) -> tuple[list[str], int, int, int]:
    cases = _cases(a, lang, limits)
    failures = sum(c.failure is not None for c in cases)
    skipped = sum(c.skipped is not None for c in cases)
    name = f"{a.institution.id} {a.institution.name}"
    lines = [f"  <testsuite name={_attr(name)} tests=\"{len(cases)}\" failures=\"{failures}\" "
             f"errors=\"0\" skipped=\"{skipped}\">",
             "    <properties>"]
    for key, value in (("protocol", f"{a.protocol.id} {a.protocol.version}"),
                       ("as_of", a.as_of.isoformat()), ("score", f"{a.score:.1f}"),
                       ("grade", a.grade), ("coverage", f"{a.coverage:.4f}")):
        lines.append(f"      <property name=\"{key}\" value={_attr(value)}/>")
    lines.append("    </properties>")
    for c in cases:
        head = f"    <testcase classname={_attr(c.classname)} name={_attr(c.name)}"
        if c.failure is not None:
            lines += [head + ">",
                      f"      <failure type=\"{c.kind}\" message={_attr(c.failure)}>"
                      f"{escape(sanitise(c.failure))}</failure>", "    </testcase>"]
        elif c.skipped is not None:
            lines += [head + ">", f"      <skipped message={_attr(c.skipped)}/>",
                      "    </testcase>"]
        else:
            lines.append(head + "/>")
    lines.append("  </testsuite>")
    return lines, len(cases), failures, skipped


def _unread(failures: Sequence[Failure]) -> list[str]:
    """The files that could not be read: one suite, a test case in error for each."""
    if not failures:
        return []
    lines = [f"  <testsuite name=\"unreadable\" tests=\"{len(failures)}\" failures=\"0\" "
             f"errors=\"{len(failures)}\" skipped=\"0\">"]
    for failure in failures:
        said = "\n".join(str(p) for p in failure.problems)
        first = str(failure.problems[0]) if failure.problems else failure.source
        lines += [f"    <testcase classname=\"unreadable\" name={_attr(failure.source)}>",
                  f"      <error type=\"unreadable\" message={_attr(first)}>"
                  f"{escape(sanitise(said))}</error>", "    </testcase>"]
    return [*lines, "  </testsuite>"]


def _document(assessments: Iterable[Assessment], lang: Lang, limits: Thresholds,
              unread: Sequence[Failure] = ()) -> str:
    body: list[str] = []
    tests = failures = skipped = 0
    for a in assessments:
        lines, t, f, s = _suite(a, lang, limits)
        body += lines
        tests, failures, skipped = tests + t, failures + f, skipped + s
    body += _unread(unread)
    tests += len(unread)
    head = (f"<testsuites name=\"disaster-protocol\" tests=\"{tests}\" failures=\"{failures}\" "
            f"errors=\"{len(unread)}\" skipped=\"{skipped}\">")
    return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>', head, *body,
                      "</testsuites>"]) + "\n"


def assessment_junit(assessment: Assessment, lang: Lang = "es", *,
                     thresholds: Thresholds | None = None) -> str:
    """One institution as JUnit XML: a test suite with a test case per critical action
    (a failure for each documented blocking gap, skipped where evidence is needed) and per
    threshold in ``thresholds``."""
    return _document([assessment], lang, thresholds or Thresholds())


def portfolio_junit(portfolio: Portfolio, lang: Lang = "es", *,
                    thresholds: Thresholds | None = None) -> str:
    """Many institutions as JUnit XML, one test suite each, in the portfolio's order; the
    files that could not be read are test cases in error, in one more suite ``unreadable``.

    Raises
    ------
    ValueError
        If the portfolio did not keep its assessments (``assess_many(...,
        keep_assessments=True)``): a summary does not list the critical actions that passed.
    """
    if portfolio.summaries and not portfolio.assessments:
        raise ValueError("JUnit XML needs every assessment: use assess_many(..., "
                         "keep_assessments=True)")
    return _document(portfolio.assessments, lang, thresholds or Thresholds(),
                     portfolio.failures)
