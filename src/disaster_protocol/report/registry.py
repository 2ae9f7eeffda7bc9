"""One entry point for every output: :func:`render` over a registry of formats.

A format is a renderer registered for a kind of value (``Assessment``, ``Portfolio``, ...)
under a name (``"html"``, ``"junit"``); a *view* names a part of a value with formats of its
own (``view="plan"``: an assessment's plan). The ``to_*`` methods of the values and the CLI's
``--format`` reach the same renderers. Adding a format is one module (its renderer) and one
line in :data:`_BUILTIN` (or a call to :func:`register`).

Examples
--------
>>> import disaster_protocol as dp
>>> protocol = dp.load_protocol()
>>> result = dp.assess(protocol, dp.load_profile("examples/profiles/caja_intermedia.yaml",
...                                              protocol))
>>> dp.render(result, "text", lang="en").splitlines()[1]
'Score: 44.0/100   Grade: C'
>>> dp.render(result, "junit").startswith('<?xml version="1.0"')
True
>>> formats(dp.Assessment)
('csv', 'html', 'json', 'junit', 'md', 'text')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._compare import Comparison, Trend
from .._i18n import Lang, check_lang
from .._plan import CooperationPlan, Evaluation
from .._summary import Breakdown
from ..assessment import Assessment
from ..crosswalk import Crosswalk, FrameworkView
from ..graph import Playbook
from ..portfolio import Portfolio
from . import compare as _compare
from . import cooperation as _coop
from . import crosswalk as _cw
from . import data as _data
from . import html as _html
from . import junit as _junit
from . import markdown as _md
from . import portfolio as _portfolio
from . import text as _text

__all__ = ["Renderer", "formats", "register", "render"]

Renderer = Callable[..., str]
"""``renderer(value, lang, **options) -> str``."""

_Key = tuple[type, str | None, str]
_REGISTRY: dict[_Key, Renderer] = {}


def _no_lang(func: Callable[..., str]) -> Renderer:
    """A renderer whose output is the same in every language (JSON, data CSV)."""
    return lambda value, lang, **options: func(value, **options)


def register(kind: type, format: str, renderer: Renderer, *, view: str | None = None) -> None:
    """Register ``renderer`` as ``format`` for values of type ``kind`` (and its subclasses).

    ``renderer`` is called as ``renderer(value, lang, **options)`` and returns text. A
    format registered twice for the same kind and view is replaced.
    """
    _REGISTRY[(kind, view, format)] = renderer


def formats(kind: type, *, view: str | None = None) -> tuple[str, ...]:
    """The formats registered for values of type ``kind`` (and ``view``), sorted."""
    mro = set(kind.__mro__)
    return tuple(sorted({f for (k, v, f) in _REGISTRY if k in mro and v == view}))


def render(value: object, format: str, *, lang: Lang = "es", view: str | None = None,
           **options: Any) -> str:
    """``value`` rendered as ``format`` in ``lang``.

    Parameters
    ----------
    value : Assessment, Portfolio, Breakdown, Comparison, Trend, CooperationPlan, Evaluation,
        Crosswalk, FrameworkView or Playbook
        A result of the library.
    format : str
        A format registered for the value's type: :func:`formats` lists them (``text``,
        ``md``, ``html``, ``json``, ``csv``, ``junit``, ...).
    lang : {"es", "en"}
        Language of titles and sentences (JSON carries both).
    view : str, optional
        A part of the value with formats of its own: ``"plan"`` on an assessment.
    **options
        Passed to the renderer: ``top=`` (a plan), ``thresholds=`` (JUnit,
        :class:`~disaster_protocol.report.junit.Thresholds`), ``reverse=`` (a crosswalk),
        ``protocol=`` (a playbook in text or Markdown).

    Raises
    ------
    ValueError
        If no renderer is registered for the value's type, view and format (the message
        lists those there are), or if ``lang`` is unknown.
    """
    check_lang(lang)
    for kind in type(value).__mro__:
        renderer = _REGISTRY.get((kind, view, format))
        if renderer is not None:
            return renderer(value, lang, **options)
    there = formats(type(value), view=view)
    what = type(value).__name__ + (f" (view {view!r})" if view else "")
    raise ValueError(f"no format {format!r} for {what}; choose one of: "
                     f"{', '.join(there) or 'none'}")


_BUILTIN: list[tuple[type, str | None, str, Renderer]] = [
    (Assessment, None, "text", _text.assessment_text),
    (Assessment, None, "md", _md.assessment_markdown),
    (Assessment, None, "html", _html.assessment_html),
    (Assessment, None, "json", _no_lang(_data.assessment_json)),
    (Assessment, None, "csv", _data.assessment_csv),
    (Assessment, None, "junit", _junit.assessment_junit),
    (Assessment, "plan", "text", _text.plan_text),
    (Assessment, "plan", "md", _md.plan_markdown),
    (Assessment, "plan", "csv", _data.plan_csv),
    (Assessment, "plan", "json", _no_lang(_data.plan_json)),
    (Portfolio, None, "csv", _no_lang(_portfolio.portfolio_csv)),
    (Portfolio, None, "json", _no_lang(_portfolio.portfolio_json)),
    (Portfolio, None, "md", _portfolio.portfolio_markdown),
    (Portfolio, None, "html", _portfolio.portfolio_html),
    (Portfolio, None, "junit", _junit.portfolio_junit),
    (Breakdown, None, "csv", _no_lang(_portfolio.breakdown_csv)),
    (Breakdown, None, "json", _no_lang(_portfolio.breakdown_json)),
    (Breakdown, None, "md", _portfolio.breakdown_markdown),
    (Breakdown, None, "html", _portfolio.breakdown_html),
    (Comparison, None, "text", _compare.comparison_text),
    (Comparison, None, "md", _compare.comparison_markdown),
    (Comparison, None, "html", _compare.comparison_html),
    (Comparison, None, "json", _no_lang(_compare.comparison_json)),
    (Comparison, None, "csv", _no_lang(_compare.comparison_csv)),
    (Trend, None, "csv", _no_lang(_compare.trend_csv)),
    (CooperationPlan, None, "text", _coop.plan_text),
    (CooperationPlan, None, "md", _coop.plan_markdown),
    (CooperationPlan, None, "html", _coop.plan_html),
    (CooperationPlan, None, "json", _no_lang(_coop.plan_json)),
    (CooperationPlan, None, "csv", _no_lang(_coop.plan_csv)),
    (Evaluation, None, "text", _coop.evaluation_text),
    (Evaluation, None, "md", _coop.evaluation_markdown),
    (Evaluation, None, "html", _coop.evaluation_html),
    (Evaluation, None, "json", _no_lang(_coop.evaluation_json)),
    (Evaluation, None, "csv", _no_lang(_coop.evaluation_csv)),
    (Crosswalk, None, "text", _cw.crosswalk_text),
    (Crosswalk, None, "md", _cw.crosswalk_markdown),
    (Crosswalk, None, "json", _no_lang(_cw.crosswalk_json)),
    (Crosswalk, None, "csv", _no_lang(_cw.crosswalk_csv)),
    (FrameworkView, None, "text", _cw.framework_text),
    (FrameworkView, None, "md", _cw.framework_markdown),
    (FrameworkView, None, "json", _no_lang(_cw.framework_json)),
    (FrameworkView, None, "csv", _no_lang(_cw.framework_csv)),
    (Playbook, None, "text", lambda b, lang, protocol: _text.playbook_text(b, protocol, lang)),
    (Playbook, None, "md", lambda b, lang, protocol: _md.playbook_markdown(b, protocol, lang)),
    (Playbook, None, "json", _data.playbook_json),
]

for _kind, _view, _format, _renderer in _BUILTIN:
    register(_kind, _format, _renderer, view=_view)
