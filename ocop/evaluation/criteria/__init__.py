"""Score sheets of Decision 148/QĐ-TTg as versioned data. See :mod:`.parser` for how the CSVs are read."""

from .arithmetic import check_arithmetic
from .model import (
    DEFAULT_VERSION,
    PART_LETTERS,
    SET_NUMBERS,
    STAR_LEVELS,
    VERSIONS,
    Criterion,
    Group,
    Heading,
    Option,
    Part,
    Sheet,
    SheetWarning,
)
from .parser import DATA_DIR, load_sheet, parse_sheet, sheet_path

__all__ = [
    "DATA_DIR",
    "DEFAULT_VERSION",
    "PART_LETTERS",
    "SET_NUMBERS",
    "STAR_LEVELS",
    "VERSIONS",
    "Criterion",
    "Group",
    "Heading",
    "Option",
    "Part",
    "Sheet",
    "SheetWarning",
    "check_arithmetic",
    "load_sheet",
    "parse_sheet",
    "sheet_path",
]
