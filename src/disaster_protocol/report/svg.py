"""Charts as inline SVG: drawn from numbers alone, without matplotlib or scripts, so an HTML
report stays one self-contained, printable file."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

__all__ = ["bars_svg", "radar_svg"]


def _text(x: float, y: float, label: str, anchor: str = "middle", size: int = 11) -> str:
    return (f"<text x='{x:.1f}' y='{y:.1f}' text-anchor='{anchor}' font-size='{size}'>"
            f"{html.escape(label)}</text>")


CHAR_WIDTH = 6.5
"""About how wide a character of 11-pixel text is, to leave room for labels."""


def radar_svg(labels: Sequence[str], values: Sequence[float | None], *, title: str,
              size: int = 300, scale: str | None = None) -> str:
    """A radar of scores 0-100 (None drawn at 0), one axis per label, with rings at 25, 50,
    75 and 100 numbered along the first axis; ``title`` is its accessible name, ``scale``
    a caption under it ("Scale 0-100"). The drawing widens on both sides as far as the
    longest side label needs."""
    n = len(labels)
    c, r = size / 2, size / 2 - 48
    def point(i: int, v: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        return c + r * v / 100 * math.cos(angle), c + r * v / 100 * math.sin(angle)
    def overflow(i: int, label: str) -> float:  # how far the label passes an edge
        lx, width = point(i, 118)[0], len(label) * CHAR_WIDTH
        if abs(lx - c) < 8:
            return max(width / 2 - lx, lx + width / 2 - size)
        return lx + width - size if lx > c else width - lx
    pad = math.ceil(max((overflow(i, label) for i, label in enumerate(labels)), default=0) + 4)
    pad = max(pad, 0)
    below = 18 if scale else 0
    width, height = size + 2 * pad, size + below
    parts = [f"<svg class=chart role=img "
             f"viewBox='{-pad} 0 {width} {height}' width='{width}' height='{height}'>"
             f"<title>{html.escape(title)}</title>"]
    for ring in (25, 50, 75, 100):
        ring_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f"<polygon class=grid points='{ring_points}' fill='none' "
                     "stroke='#d0d0d0'/>")
        x, y = point(0, ring)
        parts.append(_text(x + 3, y - 2, str(ring), "start", 9))
    for i, label in enumerate(labels):
        x, y = point(i, 100)
        parts.append(f"<line class=grid x1='{c:.1f}' y1='{c:.1f}' x2='{x:.1f}' y2='{y:.1f}' "
                     "stroke='#d0d0d0'/>")
        lx, ly = point(i, 118)
        anchor = "middle" if abs(lx - c) < 8 else ("start" if lx > c else "end")
        parts.append(_text(lx, ly + 4, label, anchor))
    shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in
                     (point(i, v or 0.0) for i, v in enumerate(values)))
    parts.append(f"<polygon class=score points='{shape}' fill='#2f6fba' fill-opacity='0.3' "
                 "stroke='#2f6fba' stroke-width='2'/>")
    if scale:
        parts.append(_text(c, size + 10, scale, size=10))
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(labels: Sequence[str], values: Sequence[float | None], *, title: str,
             width: int = 360, missing: str = "-") -> str:
    """Horizontal bars of scores 0-100, one per label, the score written beside each bar;
    where there is no score, ``missing`` is written inside the empty bar ("-" beside it
    when left as is)."""
    row, right = 24, 40
    left = max(70, math.ceil(max((len(label) for label in labels), default=0) * CHAR_WIDTH) + 12)
    width += left - 70  # a longer label widens the drawing, never narrows the bars
    height = row * len(labels) + 10
    span = width - left - right
    parts = [f"<svg class=chart role=img "
             f"viewBox='0 0 {width} {height}' width='{width}' height='{height}'>"
             f"<title>{html.escape(title)}</title>"]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 5 + i * row
        parts.append(_text(left - 6, y + 15, label, "end"))
        parts.append(f"<rect class=track x='{left}' y='{y + 4}' width='{span}' height='14' "
                     "fill='#e8e8e8'/>")
        if value is not None:
            parts.append(f"<rect class=bar-value x='{left}' y='{y + 4}' "
                         f"width='{span * value / 100:.1f}' height='14' fill='#2f6fba'/>")
        if value is None and missing != "-":
            parts.append(_text(left + 6, y + 15, missing, "start"))
        else:
            parts.append(_text(left + span + 4, y + 15,
                               "-" if value is None else f"{value:.0f}", "start"))
    parts.append("</svg>")
    return "".join(parts)
