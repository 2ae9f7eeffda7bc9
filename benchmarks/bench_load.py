"""Loading the bundled protocol, against the bare C-YAML parse of the same file."""

from __future__ import annotations

from collections.abc import Callable

import yaml

import disaster_protocol as dp
from disaster_protocol.loader import bundled_protocol_path

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def test_load_bundled_protocol_vs_c_yaml_parse(compare: Callable[..., dict[str, float]]) -> None:
    path = bundled_protocol_path()
    text = path.read_text(encoding="utf-8")
    result = compare(target=lambda: dp.load_protocol(path),
                     floor=lambda: yaml.load(path.read_text(encoding="utf-8"), Loader=Loader))
    assert result["ratio_min"] > 0
    assert dp.loads_protocol(text) == dp.load_protocol(path)
