"""``python -m disaster_protocol``: the command-line interface."""

from .cli import main

raise SystemExit(main())
