"""One institution over time: compare two assessments, follow three or more as a trend."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import disaster_protocol as dp
from disaster_protocol.cli import ExitCode, main

CASES = Path(__file__).parent / "cases" / "protocol.yaml"
ROLES = {"RMU": "Riesgos", "ICT": "Tecnología", "BEN": "Prestaciones", "HLTH": "Salud"}


@pytest.fixture(scope="module")
def protocol() -> dp.Protocol:
    return dp.load_protocol(CASES)


def scored(protocol: dp.Protocol, levels: dict[str, object], day: str = "2026-06-30",
           ident: str = "x") -> dp.Assessment:
    return dp.assess(protocol, dp.profile_from_dict({
        "schema_version": 1, "institution": {"id": ident, "name": "X", "country": "MX"},
        "assessed_on": day, "roles": ROLES, "actions": levels}, protocol))


def test_a_hand_worked_comparison(protocol: dp.Protocol) -> None:
    # Before: A1 at 1, the rest at 0: 1/24 = 4.2, A2 and A3 blocking; the plan is A1 alone.
    # After: A1 3, A2 3, A3 1, A4 0: (3 + 6 + 2)/24 = 45.8, A3 still blocking.
    before = scored(protocol, {"A1": 1, "A2": 0, "A3": 0, "A4": 0}, "2025-06-30")
    after = scored(protocol, {"A1": 3, "A2": 3, "A3": 1, "A4": 0})
    change = dp.compare(before, after)
    assert (change.score_before, change.score_after, change.score_change) == (4.2, 45.8, 41.6)
    assert (change.grade_before, change.grade_after) == ("C", "C")
    assert [(c.action, c.before, c.after) for c in change.rose] == [
        ("A1", 1, 3), ("A2", 0, 3), ("A3", 0, 1)]
    assert change.fell == ()
    assert change.stayed == ("A4",)
    assert (change.blocking_closed, change.blocking_opened) == (("A2",), ())
    assert change.findings_resolved == (("blocking-gap", "A2"),)
    assert change.findings_new == ()
    assert change.plan_done == ("A1",)
    phase = change.groups["by_phase"]["PREP"]
    assert (phase.before, phase.after) == (before.by_phase["PREP"], after.by_phase["PREP"])
    assert repr(change) == "Comparison(x: 2025-06-30 4.2 -> 2026-06-30 45.8, 3 rose, 0 fell)"


def test_a_comparison_backwards_is_the_mirror(protocol: dp.Protocol) -> None:
    old = scored(protocol, {"A1": 1}, "2025-06-30")
    new = scored(protocol, {"A1": 3, "A2": 3})
    forth, back = dp.compare(old, new), dp.compare(new, old)
    assert [c.action for c in forth.rose] == [c.action for c in back.fell]
    assert forth.blocking_closed == back.blocking_opened
    assert forth.score_change == -back.score_change


def test_other_institutions_are_refused_unless_asked(protocol: dp.Protocol) -> None:
    one, other = scored(protocol, {"A1": 1}), scored(protocol, {"A1": 2}, ident="y")
    with pytest.raises(ValueError, match="different institutions \\('x' and 'y'\\)"):
        dp.compare(one, other)
    assert dp.compare(one, other, allow_other_institution=True).institution.id == "y"


def test_other_protocols_are_refused(protocol: dp.Protocol, bundled: dp.Protocol) -> None:
    here = scored(protocol, {"A1": 1})
    there = dp.assess(bundled, dp.profile_from_dict({
        "schema_version": 1, "institution": {"id": "x", "name": "X", "country": "MX"},
        "assessed_on": "2026-06-30"}, bundled))
    with pytest.raises(ValueError, match="different protocols"):
        dp.compare(here, there)
    with pytest.raises(TypeError, match="after must be an Assessment"):
        dp.compare(here, "later")  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_comparison_renders(protocol: dp.Protocol, lang: str) -> None:
    change = dp.compare(scored(protocol, {"A1": 1}, "2025-06-30"),
                        scored(protocol, {"A1": 3, "A2": 2}))
    md = change.to_markdown(lang)
    assert ("Actions that rose" if lang == "en" else "Acciones que subieron") in md
    assert "`A1` (1 → 3)" in md
    rows = list(csv.DictReader(io.StringIO(change.to_csv())))
    # A2 was not assessed before: its first measurement is not a rise of 2
    assert [(r["action"], r["before"], r["after"], r["change"]) for r in rows] == [
        ("A1", "1", "3", "2"), ("A2", "unassessed", "2", "")]
    assert "`A2` (2)" in md  # first measured at 2
    assert (("first time" if lang == "en" else "primera vez") in md)
    assert json.loads(change.to_json())["score_change"] == change.score_change
    assert change._repr_html_().startswith('<div class="dp-report">')


def test_a_first_measurement_is_not_a_rise_nor_silence_a_fall(protocol: dp.Protocol) -> None:
    # A1 assessed both times; A2 only before (at 2); A3 only after (at 1); A4 never
    change = dp.compare(scored(protocol, {"A1": 1, "A2": 2}, "2025-06-30"),
                        scored(protocol, {"A1": 2, "A3": 1}))
    assert [(c.action, c.before, c.after) for c in change.rose] == [("A1", 1, 2)]
    assert change.fell == ()
    assert [(c.action, c.before, c.after) for c in change.newly_assessed] == [("A3", None, 1)]
    assert [(c.action, c.before, c.after) for c in change.no_longer_assessed] == [
        ("A2", 2, None)]
    assert change.stayed == ("A4",)
    # A2 (critical) was a documented gap; now nobody assessed it: not "closed"
    assert change.blocking_closed == ()
    frame = change.to_frame()
    assert set(frame["how"]) == {"rose", "newly-assessed", "no-longer-assessed", "stayed"}


def test_a_trend_orders_three_dates(protocol: dp.Protocol) -> None:
    points = [scored(protocol, {"A1": level}, day) for level, day in
              ((3, "2026-06-30"), (1, "2024-06-30"), (2, "2025-06-30"))]
    series = dp.trend(points)
    assert [(p.as_of.year, p.score) for p in series.points] == [
        (2024, 4.2), (2025, 8.3), (2026, 12.5)]  # A1 at 1, 2, 3 of 24 points
    rows = list(csv.DictReader(io.StringIO(series.to_csv())))
    assert [r["as_of"] for r in rows] == ["2024-06-30", "2025-06-30", "2026-06-30"]


@pytest.mark.parametrize(("days", "idents", "message"), [
    (("2024-06-30", "2025-06-30"), ("x", "x"), "three or more"),
    (("2024-06-30", "2025-06-30", "2026-06-30"), ("x", "y", "x"), "one institution"),
    (("2024-06-30", "2024-06-30", "2026-06-30"), ("x", "x", "x"), "same date"),
])
def test_a_trend_refuses_what_is_not_one_series(protocol: dp.Protocol, days: tuple[str, ...],
                                                idents: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dp.trend([scored(protocol, {"A1": 1}, d, i) for d, i in zip(days, idents, strict=True)])


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_compare_command(tmp_path: Path) -> None:
    head = ("schema_version: 1\ninstitution: {id: x, name: X, country: MX}\n"
            "roles: {RMU: R, ICT: T, BEN: B, HLTH: S}\n")
    (tmp_path / "old.yaml").write_text(head + "assessed_on: 2025-06-30\nactions: {A1: 1}\n",
                                       encoding="utf-8")
    (tmp_path / "new.yaml").write_text(head + "assessed_on: 2026-06-30\nactions: {A1: 3}\n",
                                       encoding="utf-8")
    (tmp_path / "other.yaml").write_text(
        head.replace("id: x", "id: y") + "assessed_on: 2026-06-30\n", encoding="utf-8")
    old, new, other = (str(tmp_path / n) for n in ("old.yaml", "new.yaml", "other.yaml"))
    code, out, _ = run("compare", old, new, "--protocol", str(CASES), "--format", "json")
    assert code == ExitCode.OK
    assert json.loads(out)["plan_done"] == ["A1"]
    code, out, err = run("compare", old, other, "--protocol", str(CASES), "--lang", "en")
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    assert "pass --allow-other-institution" in err
    assert run("compare", old, other, "--protocol", str(CASES),
               "--allow-other-institution")[0] == ExitCode.OK


def test_findings_without_an_action_are_told_apart_by_their_unit(protocol: dp.Protocol) -> None:
    roles_a = {"RMU": "A", "ICT": "A", "BEN": "A", "HLTH": "A"}  # unit A fills 4 roles
    roles_b = {"RMU": "B", "ICT": "B", "BEN": "B", "HLTH": "B"}

    def with_roles(roles: dict[str, str]) -> dp.Assessment:
        return dp.assess(protocol, dp.profile_from_dict({
            "schema_version": 1, "institution": {"id": "x", "name": "X", "country": "MX"},
            "assessed_on": "2026-06-30", "roles": roles, "actions": {"A1": 1}}, protocol))

    change = dp.compare(with_roles(roles_a), with_roles(roles_b))
    assert change.findings_resolved == (("overloaded-unit", "A"),)
    assert change.findings_new == (("overloaded-unit", "B"),)


def test_an_action_that_stops_applying_neither_rose_nor_fell(protocol: dp.Protocol) -> None:
    na = {"level": "n/a", "justification": "no"}
    change = dp.compare(scored(protocol, {"A1": 1, "A4": 2}, "2025-06-30"),
                        scored(protocol, {"A1": 1, "A4": na}))
    assert (change.rose, change.fell) == ((), ())
    assert [(c.action, c.before, c.after) for c in change.rescoped] == [("A4", 2, None)]
    assert "`A4` (2 → n/a)" in change.to_markdown("en")  # A4 at 2: one above A1 at 1
    rows = list(csv.DictReader(io.StringIO(change.to_csv())))
    assert rows == [{"institution": "x", "action": "A4", "before": "2", "after": "n/a",
                     "change": ""}]
