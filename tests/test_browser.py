"""The HTML reports rendered in a real browser (headless Chromium), when one is installed.

Each page gets a small script appended that measures the laid-out page and writes the result into
the DOM, read back over the DevTools protocol. The checks are the ones a reader would notice:
nothing wider than a phone screen, every chart drawn with a size, no table pushed off the page.
A screenshot of each page is written beside the test's temporary files for a person to look at
(``pytest --basetemp=DIR`` keeps them).

One Chromium serves every page of the module: it is driven over ``--remote-debugging-pipe``
(JSON messages ending in NUL on file descriptors 3 and 4, standard library only), each page
loaded at the window width under test. Starting Chromium costs more than laying out a page, so
one start instead of one per page and per check makes the module ten times faster.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import disaster_protocol as dp
from disaster_protocol import cooperation

from .conftest import ROOT

BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(b)), None)
pytestmark = [
    pytest.mark.skipif(BROWSER is None, reason=(
        "no headless Chromium on this machine: install it (Debian or Ubuntu: "
        "`apt-get install chromium`) to run the browser checks of the HTML reports")),
    pytest.mark.slow,
]

REGION = ROOT / "examples" / "region"
PROFILES = ROOT / "examples" / "profiles"

MEASURE = """
<script>
window.addEventListener('load', () => {
  const svgs = [...document.querySelectorAll('svg')].map(s => {
    const r = s.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)];
  });
  // a wide table may scroll inside its own box; nothing else may pass the right edge
  const wide = [...document.querySelectorAll('table, figure, svg, .scroll')]
    .filter(e => !(e.parentElement && e.parentElement.closest('.scroll')))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length;
  const out = document.createElement('pre');
  out.id = 'measured';
  out.textContent = JSON.stringify({
    width: window.innerWidth, scroll: document.documentElement.scrollWidth,
    svgs: svgs, wide: wide, h1: (document.querySelector('h1') || {}).textContent || ''});
  document.body.appendChild(out);
});
</script>
"""


def _pages(protocol: dp.Protocol) -> dict[str, str]:
    one = dp.assess(protocol, dp.load_profile(PROFILES / "caja_intermedia.yaml", protocol))
    other = dp.assess(protocol, dp.load_profile(PROFILES / "instituto_avanzado.yaml", protocol))
    region = dp.assess_many(protocol, [REGION / "2026"], keep_assessments=True)
    later = dp.assess_many(protocol, [REGION / "2027"], keep_assessments=True)
    plan = cooperation.match(region)
    evaluation = cooperation.evaluate(plan, region, later)
    comparison = dp.compare(one, other, allow_other_institution=True)
    return {
        "assessment-es": one.to_html("es"),
        "assessment-en": one.to_html("en"),
        "assessment-pt": one.to_html("pt"),
        "assessment-fr": one.to_html("fr"),
        "portfolio": region.to_html("en"),
        "portfolio-pt": region.to_html("pt"),
        "summary": region.summary("subregion").to_html("es"),
        "summary-fr": region.summary("subregion").to_html("fr"),
        "comparison": comparison.to_html("en"),
        "comparison-fr": comparison.to_html("fr"),
        "cooperation": plan.to_html("es"),
        "cooperation-fr": plan.to_html("fr"),
        "evaluation": evaluation.to_html("en"),
        "evaluation-pt": evaluation.to_html("pt"),
    }


class Chromium:
    """One headless Chromium, driven over the DevTools protocol on a pipe."""

    def __init__(self, binary: str) -> None:
        ours_to_read, self._to = os.pipe()
        self._from, theirs_to_write = os.pipe()

        def wire() -> None:  # in the child: the pipe ends become descriptors 3 and 4
            read = fcntl.fcntl(ours_to_read, fcntl.F_DUPFD, 10)
            write = fcntl.fcntl(theirs_to_write, fcntl.F_DUPFD, 10)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--remote-debugging-pipe", "about:blank"],
            preexec_fn=wire, close_fds=False,  # the child wires its own pipe ends
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(ours_to_read)
        os.close(theirs_to_write)
        self._buffer = b""
        self._last = 0
        self._events: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.send("Target.attachToTarget", targetId=target,
                                  flatten=True)["sessionId"]
        self.send("Page.enable", self._session)

    def _message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from], [], [], 60)
            chunk = os.read(self._from, 1 << 16) if ready else b""
            assert chunk, "Chromium stopped answering"
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def send(self, method: str, session: str | None = None, **params: object) -> Any:
        """Call one DevTools method and return its result (events that arrive are kept)."""
        self._last += 1
        call: dict[str, object] = {"id": self._last, "method": method, "params": params}
        if session:
            call["sessionId"] = session
        os.write(self._to, json.dumps(call).encode() + b"\0")
        while True:
            message = self._message()
            if message.get("id") == self._last:
                assert "error" not in message, (method, message["error"])
                return message["result"]
            self._events.append(message)

    def _wait(self, event: str) -> None:
        while True:
            for message in self._events:
                if message.get("method") == event and message.get("sessionId") == self._session:
                    self._events.remove(message)
                    return
            self._events.append(self._message())

    def measure(self, source: Path, width: int, shot: Path) -> dict[str, object]:
        """Load ``source`` in a window ``width`` pixels wide; the measuring script's result,
        and a screenshot written to ``shot``."""
        self.send("Emulation.setDeviceMetricsOverride", self._session, width=width,
                  height=900, deviceScaleFactor=1, mobile=False)
        self.send("Page.navigate", self._session, url=source.as_uri())
        self._wait("Page.loadEventFired")
        text = None
        for _ in range(100):  # the script writes its result from the page's load handler
            text = self.send("Runtime.evaluate", self._session, returnByValue=True, expression=(
                "(document.getElementById('measured') || {}).textContent"))["result"].get("value")
            if text:
                break
        assert text, "the measuring script did not run"
        png = self.send("Page.captureScreenshot", self._session, format="png")["data"]
        shot.write_bytes(base64.b64decode(png))
        measured: dict[str, object] = json.loads(text)
        return measured

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self._to)
        os.close(self._from)


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    chromium = Chromium(BROWSER or "chromium")
    yield chromium
    chromium.close()


def _render(browser: Chromium, page: str, where: Path, name: str,
            width: int) -> dict[str, object]:
    source = where / f"{name}.html"
    source.write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    return browser.measure(source, width, where / f"{name}.png")


@pytest.fixture(scope="module")
def pages(bundled: dp.Protocol) -> dict[str, str]:
    return _pages(bundled)


@pytest.mark.parametrize("width", [1280, 500])  # 500: the narrowest headless window
@pytest.mark.parametrize("name", [  # every page, and every language (docs/languages.md)
    "assessment-es", "assessment-en", "assessment-pt", "assessment-fr", "portfolio",
    "portfolio-pt", "summary", "summary-fr", "comparison", "comparison-fr", "cooperation",
    "cooperation-fr", "evaluation", "evaluation-pt"])
def test_report_page_lays_out_in_a_browser_without_spilling_sideways(
        browser: Chromium, pages: dict[str, str], name: str, width: int,
        tmp_path: Path) -> None:
    measured = _render(browser, pages[name], tmp_path, name, width)
    assert measured["h1"], "the page has no title"
    assert measured["scroll"] == measured["width"], f"{name} scrolls sideways at {width}px"
    assert measured["wide"] == 0, f"{name}: a table or chart runs past the right edge"
    svgs = measured["svgs"]
    assert isinstance(svgs, list)
    assert all(w > 0 and h > 0 for w, h in svgs), f"{name}: a chart was drawn with no size"
    png = (tmp_path / f"{name}.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert len(png) > 5_000


def test_assessment_page_draws_its_radar_and_bars(browser: Chromium, pages: dict[str, str],
                                                  tmp_path: Path) -> None:
    measured = _render(browser, pages["assessment-en"], tmp_path, "charts", 1280)
    svgs = measured["svgs"]
    assert isinstance(svgs, list)
    assert len(svgs) >= 2
    assert all(h >= 100 for _, h in svgs[:2])  # radar and bars are drawn at a readable size


COLOURS = """JSON.stringify([...document.querySelectorAll(
    'h1, p, td, th, code, li, svg text')].map(e => {
  let ground = e, bg = 'rgba(0, 0, 0, 0)';
  while (ground && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) {
    bg = getComputedStyle(ground).backgroundColor; ground = ground.parentElement;
  }
  const s = getComputedStyle(e);
  return [e.tagName, e.tagName === 'text' ? s.fill : s.color, bg];
}))"""


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG) of an ``rgb(r, g, b)`` colour."""
    channels = [int(float(c)) / 255 for c in colour[colour.index("(") + 1:-1].split(",")[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrasts(browser: Chromium, page: str, where: Path, name: str) -> list[float]:
    _render(browser, page, where, name, 1280)
    pairs = json.loads(browser.send("Runtime.evaluate", browser._session, returnByValue=True,
                                    expression=COLOURS)["result"]["value"])
    assert len(pairs) > 20
    out = []
    for _, ink, ground in pairs:
        light, dark = sorted((_luminance(ink), _luminance(ground)), reverse=True)
        out.append((light + 0.05) / (dark + 0.05))
    return out


@pytest.mark.parametrize("name", ["assessment-es", "portfolio", "summary", "comparison"])
def test_pages_read_in_a_dark_system_theme(browser: Chromium, pages: dict[str, str],
                                           name: str, tmp_path: Path) -> None:
    browser.send("Emulation.setEmulatedMedia", browser._session, features=[
        {"name": "prefers-color-scheme", "value": "dark"}])
    try:
        contrasts = _contrasts(browser, pages[name], tmp_path, name)
        body = json.loads(browser.send("Runtime.evaluate", browser._session,
                                       returnByValue=True, expression=(
            "JSON.stringify(getComputedStyle(document.body).backgroundColor)"))["result"]
            ["value"])
    finally:
        browser.send("Emulation.setEmulatedMedia", browser._session, features=[])
    assert _luminance(body) < 0.05, f"{name}: the ground stays light in a dark theme"
    assert min(contrasts) >= 3, f"{name}: text hard to read on a dark ground"


@pytest.mark.parametrize("host", ['data-jp-theme-light="false"', 'class="theme-dark"',
                                  'class="vscode-dark"'])
def test_a_fragment_reads_in_a_dark_notebook(browser: Chromium, bundled: dp.Protocol,
                                             host: str, tmp_path: Path) -> None:
    one = dp.assess(bundled, dp.load_profile(PROFILES / "caja_intermedia.yaml", bundled))
    notebook = (f"<!DOCTYPE html><html><body {host} style='background:#111;color:#ddd'>"
                f"<div>{one._repr_html_()}</div><h1>notebook</h1></body></html>")
    contrasts = _contrasts(browser, notebook, tmp_path, "notebook")
    assert min(contrasts) >= 3  # never near-black text on a black notebook
