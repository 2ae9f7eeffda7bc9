"""Hostile profile shapes near the 5 MB file limit: many tiny values, each once a denial of
service (seconds and hundreds of megabytes). Used by tests/test_limits.py and bench_limits.py."""

from __future__ import annotations

from collections.abc import Callable

HEAD = ("schema_version: 1\ninstitution: {id: x, name: X, country: MX}\n"
        "assessed_on: 2026-01-01\nactions:\n")
SIZE = 5_000_000


def filled(unit: str, head: str = HEAD) -> str:
    """``head`` and then ``unit`` repeated up to about :data:`SIZE` characters."""
    return head + unit * ((SIZE - len(head)) // len(unit))


def duplicate_keys() -> str:
    return filled("  GOV-01: 3\n")


def invalid_levels() -> str:
    return filled("  GOV-01: {level: 9}\n")


def unknown_ids() -> str:
    return HEAD + "".join(f"  X{i:06d}: 3\n" for i in range(SIZE // 13))


def deep_list() -> str:
    """A ten-level list of a million elements."""
    return (HEAD + "  GOV-01:\n    level: 3\n    evidence: " + "[" * 10
            + ",".join(["1"] * 1_000_000) + "]" * 10 + "\n")


def long_flat_list() -> str:
    return HEAD + "  GOV-01:\n    level: 3\n    evidence: [" + ",".join(["a"] * 2_400_000) + "]\n"


def flow_duplicates() -> str:
    return HEAD + "  GOV-01: {" + "level: 3," * ((SIZE - 100) // 9) + "level: 3}\n"


def role_duplicates() -> str:
    return filled("  RMU: u\n", HEAD.replace("actions:\n", "actions: {}\nroles:\n"))


SHAPES: dict[str, Callable[[], str]] = {
    "duplicate_keys": duplicate_keys, "invalid_levels": invalid_levels,
    "unknown_ids": unknown_ids, "deep_list": deep_list, "long_flat_list": long_flat_list,
    "flow_duplicates": flow_duplicates, "role_duplicates": role_duplicates}
"""Every shape by name."""
