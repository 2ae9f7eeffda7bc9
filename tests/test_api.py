"""The public API is small and deliberate: changing it must change this test."""

from __future__ import annotations

import disaster_protocol as dp


def test_public_names_are_pinned() -> None:
    assert dp.__all__ == [
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
    assert dp.__all__ == sorted(dp.__all__)


def test_every_public_name_exists() -> None:
    for name in dp.__all__:
        assert hasattr(dp, name), name


def test_errors_share_one_base() -> None:
    assert issubclass(dp.ProtocolError, dp.DisasterProtocolError)
    assert issubclass(dp.ProfileError, dp.DisasterProtocolError)
