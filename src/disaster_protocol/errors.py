"""One exception family for every broken input.

Each problem carries where it is (file, line, column), the path inside the document, what is
wrong and a stable code, and prints as one compiler-style line::

    protocol.yaml:14:5: actions[PREP-07].lead: unknown role 'RMX' (did you mean 'RMU'?) \
    [unknown-reference]

(shown here on two lines; it is one).

An unready institution is a normal result, never an exception: these classes are for inputs that
cannot be read or do not follow the format.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DisasterProtocolError", "Problem", "ProfileError", "ProtocolError"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file.

    Attributes
    ----------
    file : str
        The file as the user named it (or ``<string>``).
    line, column : int
        1-based position; 0 when the problem concerns the whole file (then only the file
        name is printed).
    path : str
        Where in the document, e.g. ``actions[GOV-01].lead``; empty for the whole file.
    message : str
        What is wrong and, where possible, what to do.
    code : str
        A stable, machine-readable reason code such as ``unknown-reference``.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    code: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        body = f"{self.path}: {self.message}" if self.path else self.message
        return f"{where}: {body} [{self.code}]"


class DisasterProtocolError(Exception):
    """Base of every error raised by disaster_protocol for a broken input.

    Parameters
    ----------
    problems : iterable of Problem
        Every problem found in the failing stage; at least one.
    """

    def __init__(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        if not problems:
            raise ValueError("an error needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @property
    def codes(self) -> tuple[str, ...]:
        """The reason codes of all problems, in order."""
        return tuple(p.code for p in self.problems)


class ProtocolError(DisasterProtocolError):
    """A protocol file cannot be read or is not a valid protocol."""


class ProfileError(DisasterProtocolError):
    """A readiness profile cannot be read or does not match the protocol."""
