"""One entry point for every output: :func:`render` over a registry of formats.

A format is a renderer registered for a kind of value (``Assessment``, ``Portfolio``, ...)
under a name (``"html"``, ``"junit"``); a *view* names a part of a value with formats of its
own (``view="plan"``: an assessment's plan). The ``to_*`` methods of the values and the CLI's
``--format`` reach the same renderers. Adding a format is one module (its renderer) and one
line in :data:`_BUILTIN` (or a call to :func:`register`). The built-in table names kinds and
renderers by their import path, so a renderer's module loads only when it is used.

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
from importlib import import_module
from typing import Any

from .._i18n import Lang, check_lang

__all__ = ["Renderer", "formats", "register", "render"]

Renderer = Callable[..., str]
"""``renderer(value, lang, **options) -> str``."""

_Key = tuple[str, str | None, str]  # (the kind's import path, view, format)
_REGISTRY: dict[_Key, Renderer | str] = {}  # a renderer, or its import path (loaded on use)
_NO_LANG: set[str] = set()  # import paths of renderers that take no language (JSON, data CSV)


def _path(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def register(kind: type, format: str, renderer: Renderer, *, view: str | None = None) -> None:
    """Register ``renderer`` as ``format`` for values of type ``kind`` (and its subclasses).

    ``renderer`` is called as ``renderer(value, lang, **options)`` and returns text. A
    format registered twice for the same kind and view is replaced.
    """
    _REGISTRY[(_path(kind), view, format)] = renderer


def formats(kind: type, *, view: str | None = None) -> tuple[str, ...]:
    """The formats registered for values of type ``kind`` (and ``view``), sorted."""
    mro = {_path(k) for k in kind.__mro__}
    return tuple(sorted({f for (k, v, f) in _REGISTRY if k in mro and v == view}))


def _load(path: str) -> Renderer:
    module, name = path.rsplit(".", 1)
    func: Callable[..., str] = getattr(import_module(module, __package__), name)
    if path in _NO_LANG:
        return lambda value, lang, **options: func(value, **options)
    return func


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
        renderer = _REGISTRY.get((_path(kind), view, format))
        if renderer is not None:
            if isinstance(renderer, str):
                renderer = _REGISTRY[(_path(kind), view, format)] = _load(renderer)
            return renderer(value, lang, **options)
    there = formats(type(value), view=view)
    what = type(value).__name__ + (f" (view {view!r})" if view else "")
    raise ValueError(f"no format {format!r} for {what}; choose one of: "
                     f"{', '.join(there) or 'none'}")


def _playbook_text(book: Any, lang: Lang, *, protocol: Any) -> str:
    from .text import playbook_text

    return playbook_text(book, protocol, lang)


def _playbook_markdown(book: Any, lang: Lang, *, protocol: Any) -> str:
    from .markdown import playbook_markdown

    return playbook_markdown(book, protocol, lang)


_A, _P = "disaster_protocol.assessment.Assessment", "disaster_protocol.portfolio.Portfolio"
_B, _C = "disaster_protocol._summary.Breakdown", "disaster_protocol._compare.Comparison"
_T, _CP = "disaster_protocol._compare.Trend", "disaster_protocol._plan.CooperationPlan"
_E, _CW = "disaster_protocol._plan.Evaluation", "disaster_protocol.crosswalk.Crosswalk"
_FV, _PB = "disaster_protocol.crosswalk.FrameworkView", "disaster_protocol.graph.Playbook"

_BUILTIN: list[tuple[str, str | None, str, str]] = [
    # (kind, view, format, renderer); a renderer under "-" takes no language
    (_A, None, "text", ".text.assessment_text"),
    (_A, None, "md", ".markdown.assessment_markdown"),
    (_A, None, "html", ".html.assessment_html"),
    (_A, None, "json", "-.data.assessment_json"),
    (_A, None, "csv", ".data.assessment_csv"),
    (_A, None, "junit", ".junit.assessment_junit"),
    (_A, "plan", "text", ".text.plan_text"),
    (_A, "plan", "md", ".markdown.plan_markdown"),
    (_A, "plan", "csv", ".data.plan_csv"),
    (_A, "plan", "json", "-.data.plan_json"),
    (_P, None, "csv", "-.portfolio.portfolio_csv"),
    (_P, None, "json", "-.portfolio.portfolio_json"),
    (_P, None, "md", ".portfolio.portfolio_markdown"),
    (_P, None, "html", ".portfolio.portfolio_html"),
    (_P, None, "junit", ".junit.portfolio_junit"),
    (_B, None, "csv", "-.portfolio.breakdown_csv"),
    (_B, None, "json", "-.portfolio.breakdown_json"),
    (_B, None, "md", ".portfolio.breakdown_markdown"),
    (_B, None, "html", ".portfolio.breakdown_html"),
    (_C, None, "text", ".compare.comparison_text"),
    (_C, None, "md", ".compare.comparison_markdown"),
    (_C, None, "html", ".compare.comparison_html"),
    (_C, None, "json", "-.compare.comparison_json"),
    (_C, None, "csv", "-.compare.comparison_csv"),
    (_T, None, "csv", "-.compare.trend_csv"),
    (_CP, None, "text", ".cooperation.plan_text"),
    (_CP, None, "md", ".cooperation.plan_markdown"),
    (_CP, None, "html", ".cooperation.plan_html"),
    (_CP, None, "json", "-.cooperation.plan_json"),
    (_CP, None, "csv", "-.cooperation.plan_csv"),
    (_E, None, "text", ".cooperation.evaluation_text"),
    (_E, None, "md", ".cooperation.evaluation_markdown"),
    (_E, None, "html", ".cooperation.evaluation_html"),
    (_E, None, "json", "-.cooperation.evaluation_json"),
    (_E, None, "csv", "-.cooperation.evaluation_csv"),
    (_CW, None, "text", ".crosswalk.crosswalk_text"),
    (_CW, None, "md", ".crosswalk.crosswalk_markdown"),
    (_CW, None, "json", "-.crosswalk.crosswalk_json"),
    (_CW, None, "csv", "-.crosswalk.crosswalk_csv"),
    (_FV, None, "text", ".crosswalk.framework_text"),
    (_FV, None, "md", ".crosswalk.framework_markdown"),
    (_FV, None, "json", "-.crosswalk.framework_json"),
    (_FV, None, "csv", "-.crosswalk.framework_csv"),
    (_PB, None, "text", ".registry._playbook_text"),
    (_PB, None, "md", ".registry._playbook_markdown"),
    (_PB, None, "json", ".data.playbook_json"),
]

for _kind, _view, _format, _renderer in _BUILTIN:
    if _renderer.startswith("-"):
        _renderer = _renderer[1:]
        _NO_LANG.add(_renderer)
    _REGISTRY[(_kind, _view, _format)] = _renderer
