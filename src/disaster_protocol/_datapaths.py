"""Where each text of a bundled data file sits: the keys of the data translations.

Standard library only and no imports from the package, so that ``scripts/i18n.py`` can load
this file by its path even when the package itself cannot be imported (a broken compiled
language file is what that script repairs).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["data_paths"]


def _ident(item: object, index: int) -> str:
    if isinstance(item, dict):
        for key in ("id", "level", "letter", "action"):
            if key in item and not isinstance(item[key], dict):
                return str(item[key])
        if "node" in item and "code" in item:
            return f"{item['node']}>{item['code']}"
        if "code" in item:
            return str(item["code"])
    return str(index)


def data_paths(node: object, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every ``{es, en}`` text of a plain YAML document, with its path: mapping keys joined
    by ``/``, list items named by their ``id`` (``level``, ``letter``, ``action``), a
    crosswalk row by ``node>code``, else by index. ``scripts/i18n.py`` keys the data POT so."""
    if isinstance(node, dict):
        if {"es", "en"} <= set(node) and isinstance(node["es"], str) \
                and isinstance(node["en"], str):
            yield path, node
            return
        for key, value in node.items():
            yield from data_paths(value, f"{path}/{key}" if path else str(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from data_paths(item, f"{path}/{_ident(item, index)}")
