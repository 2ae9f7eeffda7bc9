"""Output made safe: one text sanitiser, one CSV cell writer, JSON without raw controls, and
atomic writes (a report is either fully written or not written at all).

What each output format guarantees is said in docs/errors.md ("What outputs guarantee").
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from .errors import CONTROL_CHARACTERS, escaped

__all__ = ["CellWriter", "json_text", "neutral_cell", "output_target", "sanitise",
           "write_atomic"]


def sanitise(text: str) -> str:
    r"""``text`` with no raw control or bidirectional character: each shown as ``\xNN`` or
    ``\uNNNN`` (see :data:`~disaster_protocol.errors.CONTROL_CHARACTERS`); newlines and tabs
    are kept. Every text, Markdown, HTML and CSV output passes through it.

    >>> sanitise("Caja \u202eLSX.exe\r\n\x1b[31m")
    'Caja \\u202eLSX.exe\\x0d\n\\x1b[31m'
    """
    return CONTROL_CHARACTERS.sub(lambda m: escaped(m.group()), text)


def json_text(data: object, *, indent: int = 2, sort_keys: bool = False) -> str:
    r"""``data`` as JSON text (UTF-8 kept readable) in which every control and bidirectional
    character is a ``\uNNNN`` escape: the values read back unchanged, and no raw one is in
    the text.

    >>> json_text({"name": "a\u202eb\x85"}, indent=0)
    '{\n"name": "a\\u202eb\\u0085"\n}\n'
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    return CONTROL_CHARACTERS.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral_cell(value: object) -> object:
    """A spreadsheet cell that cannot run: text is sanitised (:func:`sanitise`) and, if it
    begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's list), given a
    leading single quote. Numbers, and text that is a plain number (``-3``, ``-0.5``), stay as
    they are; other values (``None``) are returned unchanged.

    >>> neutral_cell("=1+1"), neutral_cell("@SUM(A1)"), neutral_cell("-3.5"), neutral_cell(-2)
    ("'=1+1", "'@SUM(A1)", '-3.5', -2)
    """
    if not isinstance(value, str):
        return value
    text = sanitise(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class CellWriter:
    """The one CSV writer of every CSV output: ``\n`` line ends, and every cell through
    :func:`neutral_cell`, so that no cell starts a formula and no raw CR splits a row.

    Parameters
    ----------
    stream : text stream
        Where the rows go (a :class:`io.StringIO` for a report).
    """

    def __init__(self, stream: TextIO) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")

    def writerow(self, row: Iterable[object]) -> None:
        """Write one row of cells."""
        self._writer.writerow([neutral_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write many rows."""
        for row in rows:
            self.writerow(row)


def output_target(path: str | os.PathLike[str]) -> tuple[Path, bool]:
    """Where ``-o path`` writes, and how: the one check every ``-o`` goes through.

    Returns ``(target, stream)``. A regular file, or a name that does not exist yet, is
    replaced atomically (``stream`` false); a symbolic link is followed, so the file it
    points to is replaced and the link stays a link (a dangling link creates its target).
    A character device (``/dev/null``, ``/dev/stdout``, a terminal) or a FIFO is written
    to directly, as a shell redirection would (``stream`` true): it is never replaced by a
    regular file.

    Raises
    ------
    OSError
        If ``path`` is a directory, a block device or a socket (``filename`` is ``path`` as
        given).
    """
    given = str(path)
    try:
        mode = os.stat(path).st_mode  # follows links
    except FileNotFoundError:
        return Path(os.path.realpath(path)), False  # new, or a dangling link's target
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, given) from None
    if stat.S_ISREG(mode):
        return Path(os.path.realpath(path)), False
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory; give a file name", given)
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return Path(path), True
    raise OSError(errno.EINVAL, "is not a regular file, a character device or a FIFO; give a "
                  "file name", given)


def write_atomic(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Write ``text`` (UTF-8; bytes as they are, for a workbook) to ``path`` through a
    temporary file and an atomic rename.

    Where it writes is :func:`output_target`'s answer: through a symbolic link to its target,
    and straight into a character device or FIFO (``-o /dev/null`` leaves the device a
    device). A crash or error mid-write leaves any existing file untouched and no partial
    file behind. A new file gets the usual permissions (0666 less the umask), like any file a
    program creates; a file replaced keeps its own. The temporary file is named
    ``.<name>.<pid>-<hex>.tmp``; one that a killed run left beside the same target (its
    process is gone, or it is over a day old) is removed first.

    Raises
    ------
    OSError
        If ``path`` is a directory, or its directory is missing or not writable; the error's
        ``filename`` is ``path`` as given, never the temporary file.
    """
    target, stream = output_target(path)
    if stream:
        try:
            if isinstance(text, bytes):
                with open(target, "wb") as raw:
                    raw.write(text)
            else:
                with open(target, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(text)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        return
    _remove_stale(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as raw:
                raw.write(text)
                raw.flush()
                os.fsync(raw.fileno())
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        if target.exists():  # a replaced report keeps the permissions it was given
            os.chmod(tmp, stat.S_IMODE(target.stat().st_mode))
        os.replace(tmp, target)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


STALE_AFTER_S = 24 * 3600
"""A temporary file older than this is stale even if a process of its number runs."""


def _remove_stale(target: Path) -> None:
    """Remove temporary files of our own pattern for ``target`` whose writer is gone."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)-[0-9a-f]{{12}}\.tmp")
    try:
        names = os.listdir(target.parent if str(target.parent) else ".")
    except OSError:
        return  # the write itself reports an unusable directory
    for name in names:
        match = pattern.fullmatch(name)
        if match is None:
            continue
        path = target.with_name(name)
        try:
            if _alive(int(match.group(1))) and \
                    time.time() - path.stat().st_mtime < STALE_AFTER_S:
                continue
            path.unlink()
        except OSError:
            continue  # another run removed it, or it is not ours to remove


def _alive(pid: int) -> bool:
    if os.name == "nt":  # signal 0 is CTRL_C_EVENT there: rely on the age alone
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or a number no process has): leave it
    return True
