"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

import disaster_protocol as dp

TESTS = Path(__file__).parent
ROOT = TESTS.parent
DATA = TESTS / "data"


@pytest.fixture(scope="session")
def bundled() -> dp.Protocol:
    """The bundled CISS/Sendai protocol, loaded once."""
    return dp.load_protocol()


@pytest.fixture(scope="session")
def minimal_text() -> str:
    """YAML text of the smallest valid protocol used as a base for edits."""
    return (DATA / "minimal.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def minimal(minimal_text: str) -> dp.Protocol:
    return dp.loads_protocol(minimal_text, source="minimal.yaml")
