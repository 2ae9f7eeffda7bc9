"""Command-line front end: ``disaster-protocol <command>``.

Only wiring: parse arguments, call the library, print, return an exit code. The arguments every
command shares (``--protocol``, ``--lang``, ``-o``, ``--format``, ``--debug``) are declared once
in :mod:`._common`; each command family has a module (:mod:`.explore` for the protocol,
:mod:`.score` for profiles, :mod:`.many` for batches). Broken inputs are printed as
``file:line:col: message [code]`` lines on stderr, never as a traceback (``--debug`` re-raises
for developers).
"""

from __future__ import annotations

from ._app import build_parser, main
from ._common import ExitCode

__all__ = ["ExitCode", "build_parser", "main"]
