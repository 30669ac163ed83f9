"""`ocop` console script: every subcommand is a Django management command (hyphens become underscores).

ocop init                      create/migrate the database, load reference data
ocop serve [--host H] [--port P]
ocop import-products FILE …    (any other management command works the same way)
"""

from __future__ import annotations

import gc
import os
import sys

# Read-only reporting commands answer in well under a second; Django's system checks (which import every
# URLconf, view and API schema: ninja/pydantic, PDF and spreadsheet libraries) would double that. `ocop init`,
# `ocop serve` and the rest keep their checks. These processes are short and small (tens of MB), so they
# also run without the cyclic garbage collector: its ~250 passes over Django's start-up objects and the
# statistics rows cost about a tenth of the run, and the memory is returned when the process exits.
QUICK_REPORTS = {"stats"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    from django.core.management import execute_from_command_line

    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
        if args[0] in QUICK_REPORTS:
            gc.disable()
            if "--skip-checks" not in args:
                args.append("--skip-checks")
    execute_from_command_line(["ocop", *args])


if __name__ == "__main__":
    main()
