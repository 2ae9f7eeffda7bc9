"""The HTML reports rendered in a real browser (headless Chromium), when one is installed.

Each page gets a small script appended that measures the laid-out page and writes the result into
the DOM; Chromium's ``--dump-dom`` hands it back. The checks are the ones a reader would notice:
nothing wider than a phone screen, every chart drawn with a size, no table pushed off the page.
A screenshot of each page is written beside the test's temporary files for a person to look at
(``pytest --basetemp=DIR`` keeps them).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import disaster_protocol as dp
from disaster_protocol import cooperation

from .conftest import ROOT

BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no headless Chromium on this machine")

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
    return {
        "assessment-es": one.to_html("es"),
        "assessment-en": one.to_html("en"),
        "portfolio": region.to_html("en"),
        "summary": region.summary("subregion").to_html("es"),
        "comparison": dp.compare(one, other, allow_other_institution=True).to_html("en"),
        "cooperation": cooperation.match(region).to_html("es"),
    }


def _render(page: str, where: Path, name: str, width: int) -> dict[str, object]:
    source = where / f"{name}.html"
    source.write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    common = [BROWSER or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
              "--hide-scrollbars", f"--window-size={width},900"]
    shot = subprocess.run([*common, f"--screenshot={where / (name + '.png')}", source.as_uri()],
                          capture_output=True, timeout=120)
    assert shot.returncode == 0, shot.stderr.decode(errors="replace")[-2000:]
    dom = subprocess.run([*common, "--dump-dom", source.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom.stdout, re.S)
    assert found, "the measuring script did not run"
    measured: dict[str, object] = json.loads(found.group(1).replace("&quot;", '"'))
    return measured


@pytest.fixture(scope="module")
def pages(bundled: dp.Protocol) -> dict[str, str]:
    return _pages(bundled)


@pytest.mark.parametrize("width", [1280, 500])  # 500: the narrowest headless window
@pytest.mark.parametrize("name", ["assessment-es", "assessment-en", "portfolio", "summary",
                                  "comparison", "cooperation"])
def test_report_page_lays_out_in_a_browser_without_spilling_sideways(
        pages: dict[str, str], name: str, width: int, tmp_path: Path) -> None:
    measured = _render(pages[name], tmp_path, name, width)
    assert measured["h1"], "the page has no title"
    assert measured["scroll"] == measured["width"], f"{name} scrolls sideways at {width}px"
    assert measured["wide"] == 0, f"{name}: a table or chart runs past the right edge"
    svgs = measured["svgs"]
    assert isinstance(svgs, list)
    assert all(w > 0 and h > 0 for w, h in svgs), f"{name}: a chart was drawn with no size"
    png = (tmp_path / f"{name}.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert len(png) > 5_000


def test_assessment_page_draws_its_radar_and_bars(pages: dict[str, str], tmp_path: Path) -> None:
    measured = _render(pages["assessment-en"], tmp_path, "charts", 1280)
    svgs = measured["svgs"]
    assert isinstance(svgs, list)
    assert len(svgs) >= 2
    assert all(h >= 100 for _, h in svgs[:2])  # radar and bars are drawn at a readable size
