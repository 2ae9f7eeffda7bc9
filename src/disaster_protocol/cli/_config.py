"""Defaults from a config file: ``[tool.disaster-protocol]`` in ``pyproject.toml``, or a
``disaster-protocol.toml`` (the same keys at its top level).

The nearest folder wins: the current one, then each parent, the first holding a
``disaster-protocol.toml`` or a ``pyproject.toml`` with the table. Its values become the
defaults of the commands that take the option; an option given on the command line wins. A
bad file is refused with located problems (exit 2), never ignored.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from .._i18n import LANGS, Term, problem_said
from ..errors import DisasterProtocolError, Problem, ProblemCode

__all__ = ["CONFIG_KEYS", "apply_config", "configured", "find_config", "read_config"]

CONFIG_FILE = "disaster-protocol.toml"
TABLE = "tool.disaster-protocol"


def _percent(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100


def _boolean(value: object) -> bool:
    return isinstance(value, bool)


def _language(value: object) -> bool:
    return value in LANGS


def _positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


CONFIG_KEYS: dict[str, tuple[Callable[[object], bool], Term]] = {
    "lang": (_language, Term("config.want-lang", langs=", ".join(LANGS))),
    "fail-under": (_percent, Term("config.want-score")),
    "fail-on-blocking": (_boolean, Term("config.want-boolean")),
    "fail-under-coverage": (_percent, Term("config.want-percent")),
    "min-coverage": (_percent, Term("config.want-percent")),
    "strict": (_boolean, Term("config.want-boolean")),
    "suppress-under": (_positive, Term("config.want-count")),
}
"""The keys a config file may set (named as the command-line options), with their checks and
what they want (a catalogue word, said in the command's language)."""


def find_config(start: Path | None = None) -> Path | None:
    """The config file that applies in ``start`` (default: the current folder), or None."""
    folder = (start or Path.cwd()).resolve()
    for place in (folder, *folder.parents):
        own = place / CONFIG_FILE
        if own.is_file():
            return own
        project = place / "pyproject.toml"
        if project.is_file() and re.search(r"(?m)^\s*\[\s*tool\s*\.\s*(\"disaster-protocol\"|"
                                           r"disaster-protocol)\s*\]",
                                           project.read_text(encoding="utf-8",
                                                             errors="replace")):
            return project
    return None


def _problem(path: Path, said: str, params: dict[str, object], code: ProblemCode,
             line: int = 0, column: int = 0, key: str = "") -> Problem:
    """A located problem whose message is the catalogue entry ``said`` in every language."""
    return Problem(file=str(path), line=line, column=column, path=key, code=code,
                   **problem_said((said, params)))


def _line_of(text: str, key: str) -> tuple[int, int]:
    """Where ``key = ...`` is written (1-based line and column), or (0, 0)."""
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(rf"\s*(\"?{re.escape(key)}\"?)\s*=", line)
        if match:
            return number, match.start(1) + 1
    return 0, 0


def read_config(path: Path) -> dict[str, object]:
    """The settings of the config file ``path``, keyed by argparse destination
    (``fail_under``).

    Raises
    ------
    DisasterProtocolError
        With every problem located (file, line, column): a file that does not parse, a key
        that is not a setting, a value of the wrong kind.
    """
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef, import-not-found, unused-ignore]

    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise DisasterProtocolError([_problem(path, "config.unreadable",
                                              {"what": exc.strerror or exc},
                                              "unreadable-file")]) from None
    except UnicodeDecodeError:
        raise DisasterProtocolError([_problem(path, "problem.not-utf8", {},
                                              "not-text")]) from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(where[1]), int(where[2])) if where else (0, 0)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise DisasterProtocolError([_problem(path, "config.syntax", {"what": message},
                                              "syntax-error", line, column)]) from None
    prefix = f"{TABLE}." if path.name == "pyproject.toml" else ""
    table = data.get("tool", {}).get("disaster-protocol", {}) if prefix else data
    if not isinstance(table, dict):
        raise DisasterProtocolError([_problem(path, "config.not-table", {}, "wrong-type",
                                              key=TABLE)])
    return _settings(path, text, table, prefix)


def _settings(path: Path, text: str, table: dict[str, object], prefix: str
              ) -> dict[str, object]:
    problems, settings = [], {}
    for key, value in table.items():
        line, column = _line_of(text, key)
        if key not in CONFIG_KEYS:
            known = ", ".join(CONFIG_KEYS)
            problems.append(_problem(path, "config.unknown-setting", {"known": known},
                                     "unknown-key", line, column, prefix + key))
            continue
        check, wanted = CONFIG_KEYS[key]
        if not check(value):
            problems.append(_problem(path, "problem.must-be",
                                     {"expected": wanted, "got": repr(value)},
                                     "invalid-value", line, column, prefix + key))
            continue
        settings[key.replace("-", "_")] = value
    if problems:
        raise DisasterProtocolError(problems)
    return settings


def apply_config(parser: argparse.ArgumentParser, settings: dict[str, object]) -> None:
    """Make ``settings`` the defaults of every command that has the option."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                dests = {a.dest for a in command._actions}
                command.set_defaults(**{k: v for k, v in settings.items() if k in dests})


def configured(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """``parser`` with the defaults of the config file that applies here, if any."""
    path = find_config()
    if path is not None:
        apply_config(parser, read_config(path))
    return parser
