"""Compile the gettext catalogues (locale/<lang>/LC_MESSAGES/*.po → .mo) with polib; called by `make install`.

The .mo files are generated (not committed); polib spares machines GNU gettext. A catalogue is rewritten only
when its .po is newer, so a repeated `make install` does nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(mo_path))
        print(
            f"compile_messages: {po_path.relative_to(ROOT)} → {mo_path.name} "
            f"({catalogue.percent_translated()}% dịch)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
