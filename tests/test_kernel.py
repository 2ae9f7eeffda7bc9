"""The batch kernel gives exactly what ``assess`` gives, profile by profile, byte for byte."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import disaster_protocol as dp
from disaster_protocol import _kernel as kernel
from disaster_protocol._kernel import assess_batch, batchable, summarise_batch
from disaster_protocol.errors import ProfileError
from disaster_protocol.portfolio import Summary, score_file
from disaster_protocol.profile import (
    ActionStatus,
    Institution,
    Level,
    Profile,
    RoleAssignment,
    Waiver,
    glance,
    packed,
)

pytest.importorskip("numpy")


@pytest.fixture(autouse=True)
def _every_batch_as_arrays(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel takes small batches too here (it leaves them to assess by default)."""
    monkeypatch.setattr(kernel, "MIN_BATCH", 1)

BUNDLED = dp.load_protocol()


def _reshuffled() -> dp.Protocol:
    """The bundled protocol with the actions' file order shuffled (so phase order and file
    order differ) and weights with binary fractions (so sums are scaled)."""
    rng = random.Random(7)
    data = BUNDLED.model_dump(mode="json", exclude_none=True)
    actions = data["actions"]
    rng.shuffle(actions)
    for action in actions:
        action["weight"] = rng.choice((0.5, 1.0, 1.25, 2.75, 3.0))
    return dp.Protocol.model_validate(data)


def _fine_weights() -> dp.Protocol:
    """The bundled protocol with weights in 1024ths: group sums too wide to pack four in one
    64-bit number, so the kernel scores them one profile at a time."""
    data = BUNDLED.model_dump(mode="json", exclude_none=True)
    for k, action in enumerate(data["actions"]):
        action["weight"] = 1 + (k % 5) / 1024
    return dp.Protocol.model_validate(data)


def _long_chains() -> dp.Protocol:
    """A synthetic protocol of 150 actions whose chains of prerequisites run through most of
    it (``benchmarks/synthetic.py``): a plan step's gain travels far down its dependants."""
    from benchmarks.synthetic import synthetic_protocol

    return synthetic_protocol(150)


PROTOCOLS = {"bundled": BUNDLED, "reshuffled": _reshuffled(), "fine weights": _fine_weights(),
             "long chains": _long_chains()}
DAY = date(2026, 6, 30)


@st.composite
def profiles(draw: st.DrawFn, protocol: dp.Protocol) -> Profile:
    """A profile with every kind of answer: left out, unknown, n/a, 0-4, with or without
    evidence, exercised long ago, recently or never; roles on a few units; sometimes a
    waiver."""
    ids = [a.id for a in protocol.actions]
    seed = draw(st.integers(0, 2**32 - 1))
    day = draw(st.sampled_from((DAY, date(2999, 10, 1), date(1901, 6, 30))))  # dates' range
    rng = random.Random(seed)
    thin = draw(st.sampled_from((0.0, 0.1, 0.5)))
    actions = {}
    for action_id in ids:
        if rng.random() < thin:
            continue
        level: Level = rng.choice((0, 1, 2, 3, 3, 4, 4, "n/a", "unknown"))
        actions[action_id] = ActionStatus(
            level=level,
            evidence=tuple(f"doc{k}.pdf" for k in range(rng.choice((0, 0, 1, 2)))),
            last_exercised=rng.choice((None, day - timedelta(days=rng.randint(0, 500)))),
            justification="no aplica" if level == "n/a" else None)
    roles = {r.id: RoleAssignment(unit=f"U{rng.randint(1, 5)}")
             for r in protocol.roles if rng.random() < 0.8}
    waivers: tuple[Waiver, ...] = ()
    if draw(st.booleans()):  # on a critical action half the time: no gap, no evidence needed
        critical = [a.id for a in protocol.actions if a.critical]
        waivers = tuple(Waiver(action=action, reason="en curso", approved_by="Directorio",
                               expires=day + timedelta(days=rng.randint(-60, 60)))
                        for action in dict.fromkeys(
                            rng.choice(critical if rng.random() < 0.5 else ids)
                            for _ in range(rng.randint(1, 3))))
    return Profile(schema_version=1,
                   institution=Institution(id=f"i-{seed}", name="I", country="MX"),
                   assessed_on=day, actions=actions, roles=roles, waivers=waivers)


@pytest.mark.parametrize("name", list(PROTOCOLS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_batch_equals_assess_byte_for_byte(name: str, data: st.DataObject) -> None:
    protocol = PROTOCOLS[name]
    assert batchable(protocol)
    batch = data.draw(st.lists(profiles(protocol), min_size=1, max_size=5))
    options: dict[str, Any] = {
        "as_of": data.draw(st.sampled_from((None, DAY, DAY + timedelta(days=400)))),
        "strict": data.draw(st.booleans()),
        "freshness_months": data.draw(st.sampled_from((1, 12, 24, 36))),
        "max_roles_per_unit": data.draw(st.sampled_from((1, 3, 10))),
        "min_coverage": data.draw(st.sampled_from((0.0, 0.8, 1.0))),
    }
    together = assess_batch(protocol, batch, **options)
    for profile, result in zip(batch, together, strict=True):
        alone = dp.assess(protocol, profile, **options)
        assert isinstance(result, dp.Assessment)
        assert result == alone
        assert result.to_json() == alone.to_json()


@pytest.mark.parametrize("name", list(PROTOCOLS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_summary_rows_from_the_arrays_equal_those_of_assess(name: str,
                                                            data: st.DataObject) -> None:
    """The rows ``summarise_batch`` computes without findings and plan, from profiles or
    from their packed forms (not rebuilt), are the rows of ``assess``'s assessments."""
    protocol = PROTOCOLS[name]
    batch = data.draw(st.lists(profiles(protocol), min_size=1, max_size=5))
    options: dict[str, Any] = {
        "as_of": data.draw(st.sampled_from((None, DAY, DAY + timedelta(days=400)))),
        "strict": data.draw(st.booleans()),
        "min_coverage": data.draw(st.sampled_from((0.0, 0.8, 1.0))),
    }
    glances = [glance(packed(p)) for p in batch]  # type: ignore[arg-type]
    for given_as in (batch, glances):
        for profile, parts in zip(batch, summarise_batch(protocol, given_as, **options),
                                  strict=True):
            assert isinstance(parts, dict)
            row = Summary.of_parts(parts, "a.yaml")
            alone = Summary.of(dp.assess(protocol, profile, **options), "a.yaml")
            assert row == alone
            assert row.model_dump_json() == alone.model_dump_json()


def test_packed_profiles_another_protocol_refuses_get_its_error_in_their_place() -> None:
    """A packed profile naming what the protocol lacks (an action, a role, a waived action,
    another version) is rebuilt and gets the error ``assess`` gives it; the rest are rows."""
    good = dp.load_profile("examples/profiles/caja_intermedia.yaml", BUNDLED)
    role = next(iter(good.roles.values()))
    strangers = [
        good.model_copy(update={"actions": {**good.actions, "NOPE-01": ActionStatus(level=2)}}),
        good.model_copy(update={"roles": {**good.roles, "nobody": role}}),
        good.model_copy(update={"waivers": (Waiver(action="NOPE-02", reason="r",
                                                   approved_by="b",
                                                   expires=date(2030, 1, 1)),)}),
        good.model_copy(update={"protocol": {"id": BUNDLED.id, "version": "0.9.0"}}),
    ]
    strangers = [Profile.model_validate(p.model_dump()) for p in strangers]  # validated: packs
    items = [glance(packed(p)) for p in (good, *strangers, good)]  # type: ignore[arg-type]
    first, *refused, last = summarise_batch(BUNDLED, items)
    assert first == last
    assert isinstance(first, dict)
    assert Summary.of_parts(first) == Summary.of(dp.assess(BUNDLED, good))
    for profile, error in zip(strangers, refused, strict=True):
        assert isinstance(error, ProfileError)
        with pytest.raises(ProfileError) as alone:
            dp.assess(BUNDLED, profile)
        assert str(error) == str(alone.value)
    assert "NOPE-01" in str(refused[0])
    assert "0.9.0" in str(refused[3])


def test_summary_rows_at_the_edges_equal_those_of_assess() -> None:
    """Cases the random profiles meet rarely: no action at all, waivers expiring on the day
    judged (still in force) and the day before, a datetime ``as_of``, a date at the end of
    the calendar; from profiles and from their packed forms."""
    base = dp.load_profile("examples/profiles/caja_intermedia.yaml", BUNDLED)
    critical = [a.id for a in BUNDLED.actions if a.critical]
    on_the_day = [Waiver(action=critical[k], reason="r", approved_by="b",
                         expires=base.assessed_on - timedelta(days=k)) for k in (0, 1)]
    batch = [
        Profile.model_validate({**base.model_dump(), "actions": {}}),
        Profile.model_validate({**base.model_dump(), "waivers": on_the_day}),
        base,
    ]
    for as_of in (None, datetime(2026, 3, 31, 23, 59), date(9999, 12, 31)):
        alone = [Summary.of(dp.assess(BUNDLED, p, as_of=as_of)) for p in batch]
        for given_as in (batch, [glance(packed(p)) for p in batch]):  # type: ignore[arg-type]
            rows = [Summary.of_parts(parts) for parts in summarise_batch(  # type: ignore[arg-type]
                BUNDLED, given_as, as_of=as_of)]
            assert [r.model_dump_json() for r in rows] == [r.model_dump_json() for r in alone]
        assert [a.to_json() if isinstance(a, dp.Assessment) else a
                for a in assess_batch(BUNDLED, batch, as_of=as_of)] == [
            dp.assess(BUNDLED, p, as_of=as_of).to_json() for p in batch]


def test_a_small_batch_of_rows_is_assessed_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under ``MIN_BATCH`` each profile (a packed one rebuilt) is assessed alone, and its
    whole assessment stands in its place."""
    monkeypatch.setattr(kernel, "MIN_BATCH", 128)
    good = dp.load_profile("examples/profiles/caja_intermedia.yaml", BUNDLED)
    made = summarise_batch(BUNDLED, [good, glance(packed(good))])  # type: ignore[arg-type]
    assert made == [dp.assess(BUNDLED, good)] * 2
    with pytest.raises(ValueError, match="min_coverage"):
        summarise_batch(BUNDLED, [good], min_coverage=2)
    with pytest.raises(ValueError, match="1900-01-01 or later"):
        summarise_batch(BUNDLED, [glance(packed(good))],  # type: ignore[arg-type]
                        as_of=date(1899, 12, 31))


def test_many_plausible_profiles_at_once() -> None:
    """The benchmark's kind of profiles, three hundred in one batch."""
    from benchmarks.bench_assess import random_profiles

    batch = random_profiles(300, seed=11)
    for profile, result in zip(batch, assess_batch(BUNDLED, batch), strict=True):
        assert isinstance(result, dp.Assessment)
        assert result.to_json() == dp.assess(BUNDLED, profile).to_json()


def test_a_profile_of_another_protocol_gets_its_error_in_its_place() -> None:
    good = dp.load_profile("examples/profiles/caja_intermedia.yaml", BUNDLED)
    other = good.model_copy(update={"actions": {**good.actions,
                                                "NOPE-01": ActionStatus(level=2)}})
    first, second, third = assess_batch(BUNDLED, [good, other, good])
    assert isinstance(second, ProfileError)
    assert "NOPE-01" in str(second)
    assert first == third == dp.assess(BUNDLED, good)


def test_wrong_arguments_raise_as_assess_raises() -> None:
    good = dp.load_profile("examples/profiles/caja_intermedia.yaml", BUNDLED)
    with pytest.raises(ValueError, match="freshness_months"):
        assess_batch(BUNDLED, [good], freshness_months=0)
    with pytest.raises(TypeError, match="as_of"):
        assess_batch(BUNDLED, [good], as_of="2026-01-01")  # type: ignore[arg-type]
    assert assess_batch(BUNDLED, []) == []


def test_protocols_the_arrays_cannot_hold_exactly_are_assessed_one_by_one() -> None:
    data = BUNDLED.model_dump(mode="json", exclude_none=True)
    data["actions"][0]["weight"] = 0.1  # a long binary fraction: units near 2**55
    tenth = dp.Protocol.model_validate(data)
    assert not batchable(tenth)
    profile = dp.load_profile("examples/profiles/caja_intermedia.yaml", tenth)
    [result] = assess_batch(tenth, [profile])
    assert result == dp.assess(tenth, profile)


def test_assess_many_scores_profiles_in_memory_as_one_batch(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``assess_many`` of profiles held in memory goes through the kernel, and gives what
    ``assess`` gives, failures in their places."""
    from benchmarks.bench_assess import random_profiles

    monkeypatch.setattr(kernel, "MIN_BATCH", 128)
    batches: list[int] = []
    made = kernel._Batch.__init__

    def counted(self: kernel._Batch, np: Any, protocol: dp.Protocol, profiles: list[Profile],
                *args: Any, **kwargs: Any) -> None:
        batches.append(len(profiles))
        made(self, np, protocol, profiles, *args, **kwargs)

    monkeypatch.setattr(kernel._Batch, "__init__", counted)
    batch = random_profiles(150, seed=5)
    stranger = batch[3].model_copy(update={"actions": {"NOPE-01": ActionStatus(level=1)}})
    portfolio = dp.assess_many(BUNDLED, [*batch, stranger])
    assert batches == [150]
    assert [a.to_json() for a in portfolio.assessments] == [
        dp.assess(BUNDLED, p).to_json() for p in batch]
    [failure] = portfolio.failures
    assert failure.source == f"<profile of {stranger.institution.id}>"
    assert failure.problems[0].code == "unknown-action"


def test_a_bug_met_in_the_batch_falls_back_to_one_by_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in the arrays stops no profile: each is scored alone, and one that fails alone
    too is the only failure, reported against it."""
    from benchmarks.bench_assess import random_profiles

    from disaster_protocol import portfolio as portfolio_module

    def broken(self: kernel._Batch) -> list[dp.Assessment]:
        raise ZeroDivisionError("a bug in the arrays")

    batch = random_profiles(140, seed=9)
    bad = batch[17].institution.id

    def explode_for_one(protocol: dp.Protocol, profile: Profile, **options: Any
                        ) -> dp.Assessment:
        if profile.institution.id == bad:
            raise ZeroDivisionError("a bug in one")
        return dp.assess(protocol, profile, **options)

    monkeypatch.setattr(kernel, "MIN_BATCH", 128)
    monkeypatch.setattr(kernel._Batch, "assessments", broken)
    monkeypatch.setattr(portfolio_module, "assess", explode_for_one)
    portfolio = dp.assess_many(BUNDLED, batch)
    assert len(portfolio.summaries) == 139
    [failure] = portfolio.failures
    assert failure.source == f"<profile of {bad}>"
    assert failure.problems[0].code == "internal-error"


def test_files_are_read_then_scored_together(tmp_path: Path) -> None:
    """``assess_many`` of files gives each file's ``score_file`` row, in order, a broken
    file's failure in its place, on one worker and on two."""
    from benchmarks.bench_assess import random_profiles

    paths = []
    for i, profile in enumerate(random_profiles(150, seed=3)):
        path = tmp_path / f"p{i:03d}.json"
        path.write_text(json.dumps(profile.model_dump(mode="json")), encoding="utf-8")
        paths.append(path)
    paths[40].write_text('{"schema_version": 1, "actions": {"GOV-01": 9}}', encoding="utf-8")
    alone = [score_file(p, BUNDLED) for p in paths]
    for workers in (1, 2):
        portfolio = dp.assess_many(BUNDLED, paths, workers=workers)
        rows = [s.model_copy(update={"rank": None, "rank_supported": None})
                for s in portfolio.summaries]
        assert rows == [r for r in alone if isinstance(r, Summary)]
        assert [f.source for f in portfolio.failures] == [str(paths[40])]
        assert portfolio.failures[0] == alone[40]
