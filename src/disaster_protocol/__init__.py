"""disaster_protocol: the CISS Disaster Protocol for social security institutions in the
Americas, encoded as data and aligned to the Sendai Framework 2015-2030.

The names below are the whole public API; the submodules (``dp.graph``, ``dp.report``,
``dp.model``, ``dp.profile``, ``dp.assessment``, ...) are imported with the package.

Examples
--------
>>> import disaster_protocol as dp
>>> protocol = dp.load_protocol()
>>> protocol.sendai.priorities[0].title.en
'Understanding disaster risk'
"""

from importlib.metadata import PackageNotFoundError, version

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
from .loader import load_profile, load_protocol, loads_profile, loads_protocol, profile_from_dict
from .model import Action, Phase, Protocol, Role, Text
from .portfolio import Portfolio, assess_many
from .profile import ActionStatus, Institution, Profile, ProfileState
from .renewal import Renewal, renew

try:
    __version__ = version("disaster-protocol")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
    __version__ = "0+unknown"

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
    "renew",
    "trend",
]
