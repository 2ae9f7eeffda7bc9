"""disaster_protocol: the CISS Disaster Protocol for social security institutions in the
Americas, encoded as data and aligned to the Sendai Framework 2015-2030.

Examples
--------
>>> import disaster_protocol as dp
>>> protocol = dp.load_protocol()
>>> protocol.sendai.priorities[0].title.en
'Understanding disaster risk'
"""

from importlib.metadata import PackageNotFoundError, version

from .assess import Assessment, Finding, PlanStep, assess
from .errors import DisasterProtocolError, Problem, ProfileError, ProtocolError
from .loader import load_protocol, loads_protocol
from .model import Action, Phase, Protocol, Role, Text
from .profile import Profile, load_profile, loads_profile

try:
    __version__ = version("disaster-protocol")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
    __version__ = "0+unknown"

__all__ = [
    "Action",
    "Assessment",
    "DisasterProtocolError",
    "Finding",
    "Phase",
    "PlanStep",
    "Problem",
    "Profile",
    "ProfileError",
    "Protocol",
    "ProtocolError",
    "Role",
    "Text",
    "__version__",
    "assess",
    "load_profile",
    "load_protocol",
    "loads_profile",
    "loads_protocol",
]
