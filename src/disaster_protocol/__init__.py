"""disaster_protocol: the CISS Disaster Protocol for social security institutions in the
Americas, encoded as data and aligned to the Sendai Framework 2015-2030.

The names below are the whole public API; the submodules (``dp.graph``, ``dp.report``,
``dp.model``, ``dp.profile``, ``dp.assessment``, ...) are reachable from the package. Each name
and submodule is imported on first use, so a program pays only for what it touches.

Examples
--------
>>> import disaster_protocol as dp
>>> protocol = dp.load_protocol()
>>> protocol.sendai.priorities[0].title.en
'Understanding disaster risk'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names below, for type checkers; at run time they load on first use
    from . import assessment as assessment
    from . import collection as collection
    from . import cooperation as cooperation
    from . import errors as errors
    from . import graph as graph
    from . import loader as loader
    from . import model as model
    from . import partners as partners
    from . import portfolio as portfolio
    from . import profile as profile
    from . import renewal as renewal
    from . import report as report
    from ._assess import assess
    from ._compare import Comparison, Trend, compare, trend
    from ._i18n import Lang
    from .assessment import Assessment, Finding, PlanStep
    from .collection import Submission, Submissions, from_frame, read_submissions
    from .errors import (
        CrosswalkError,
        DisasterProtocolError,
        InputWarning,
        MigrationError,
        PartnersError,
        Problem,
        ProblemCode,
        ProfileError,
        ProtocolError,
        TranslationWarning,
    )
    from .loader import (
        load_profile,
        load_protocol,
        loads_profile,
        loads_protocol,
        profile_from_dict,
    )
    from .model import Action, Phase, Protocol, Role, Text
    from .portfolio import Portfolio, assess_many
    from .profile import ActionStatus, Institution, Profile, ProfileState
    from .renewal import Renewal, renew
    from .report.registry import render
    __version__: str

__all__ = [
    "Action",
    "ActionStatus",
    "Assessment",
    "Comparison",
    "CrosswalkError",
    "DisasterProtocolError",
    "Finding",
    "InputWarning",
    "Institution",
    "Lang",
    "MigrationError",
    "PartnersError",
    "Phase",
    "PlanStep",
    "Portfolio",
    "Problem",
    "ProblemCode",
    "Profile",
    "ProfileError",
    "ProfileState",
    "Protocol",
    "ProtocolError",
    "Renewal",
    "Role",
    "Submission",
    "Submissions",
    "Text",
    "TranslationWarning",
    "Trend",
    "__version__",
    "assess",
    "assess_many",
    "compare",
    "from_frame",
    "load_profile",
    "load_protocol",
    "loads_profile",
    "loads_protocol",
    "profile_from_dict",
    "read_submissions",
    "render",
    "renew",
    "trend",
]

_SUBMODULES = frozenset({"assessment", "collection", "cooperation", "errors", "graph", "loader",
                         "model", "partners", "portfolio", "profile", "renewal", "report"})
_HOMES = {
    "._assess": ("assess",),
    "._compare": ("Comparison", "Trend", "compare", "trend"),
    "._i18n": ("Lang",),
    ".assessment": ("Assessment", "Finding", "PlanStep"),
    ".collection": ("Submission", "Submissions", "from_frame", "read_submissions"),
    ".errors": ("CrosswalkError", "DisasterProtocolError", "InputWarning", "MigrationError",
                "PartnersError", "Problem", "ProblemCode", "ProfileError", "ProtocolError",
                "TranslationWarning"),
    ".loader": ("load_profile", "load_protocol", "loads_profile", "loads_protocol",
                "profile_from_dict"),
    ".model": ("Action", "Phase", "Protocol", "Role", "Text"),
    ".portfolio": ("Portfolio", "assess_many"),
    ".profile": ("ActionStatus", "Institution", "Profile", "ProfileState"),
    ".renewal": ("Renewal", "renew"),
    ".report.registry": ("render",),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> object:
    """Load a public name, or a submodule, on first use (PEP 562).

    A command that scores one profile never pays for the graph library, the cooperation
    planner or the package metadata: each is imported when something first asks for it.
    """
    if name in _HOME:
        value = getattr(import_module(_HOME[name], __name__), name)
    elif name in _SUBMODULES:
        value = import_module(f".{name}", __name__)
    elif name == "__version__":
        value = _version()
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBMODULES})


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("disaster-protocol")
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
        return "0+unknown"
