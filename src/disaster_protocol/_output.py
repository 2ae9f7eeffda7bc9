"""Atomic file output: a report is either fully written or not written at all."""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import time
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and an atomic rename.

    A crash or error mid-write leaves any existing file untouched and no partial file behind.
    A new file gets the usual permissions (0666 less the umask), like any file a program
    creates; a file replaced keeps its own. The temporary file is named
    ``.<name>.<pid>-<hex>.tmp``; one that a killed run left beside the same target (its
    process is gone, or it is over a day old) is removed first.

    Raises
    ------
    OSError
        If ``path`` is a directory, or its directory is missing or not writable; the error's
        ``filename`` is ``path`` as given, never the temporary file.
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory; give a file name", str(path))
    _remove_stale(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
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
