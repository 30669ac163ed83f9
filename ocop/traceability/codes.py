"""Stamp codes: 100 random bits from the OS CSPRNG as 20 Crockford base32 characters plus one check character.

* The check character is Luhn mod 32 over the Crockford alphabet, so it stays in the same 32 symbols (no
  ``*~$=`` as in Crockford's mod-37 symbols, which read badly on a label and need care in URLs); it catches
  every single-character typo and every swap of two neighbours except 0↔Z. A code whose check fails is
  "unknown" without any database lookup.
* Input is normalised as Crockford decoding says: case-insensitive, hyphens and spaces ignored,
  I/L → 1, O → 0.
* GS1 Digital Link: AI 21 (serial) holds at most 20 characters, so the URL carries the 20 random characters
  (``/01/{GTIN-14}/10/{lot}/21/{serial20}``); the check character is only for people typing the code.
  Without a GTIN the URL is ``/s/{code}`` with the full 21-character code.
"""

from __future__ import annotations

import base64
import os
import re

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_RFC4648 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_TO_CROCKFORD = bytes.maketrans(_RFC4648, ALPHABET.encode())
_INPUT = str.maketrans({"I": "1", "L": "1", "O": "0", "-": None, " ": None})

RANDOM_CHARS = 20  # 100 bits
CODE_LENGTH = RANDOM_CHARS + 1
_RAW_BYTES = 13  # 104 random bits, of which the first 100 become the 20 characters
_CODE_RE = re.compile(rf"[{ALPHABET}]{{{CODE_LENGTH}}}")
_LOT_RE = re.compile(r"[A-Za-z0-9._-]{1,20}")

# Luhn mod N, precomputed: doubled value folded back into the alphabet.
_DOUBLE = [(2 * v) // 32 + (2 * v) % 32 for v in range(32)]


def check_char(body: str) -> str:
    """Luhn mod 32 check character of an upper-case Crockford string."""
    total = 0
    double = True  # the rightmost character of the body is doubled
    value = _VALUE
    for ch in reversed(body):
        v = value[ch]
        total += _DOUBLE[v] if double else v
        double = not double
    return ALPHABET[(32 - total % 32) % 32]


def new_codes(count: int) -> list[str]:
    """``count`` fresh codes (21 characters). One os.urandom call per call, sliced per code."""
    raw = os.urandom(_RAW_BYTES * count)
    out = []
    for i in range(count):
        body = base64.b32encode(raw[i * _RAW_BYTES : (i + 1) * _RAW_BYTES])[:RANDOM_CHARS]
        text = body.translate(_TO_CROCKFORD).decode()
        out.append(text + check_char(text))
    return out


def normalise(text: str) -> str:
    return text.strip().upper().translate(_INPUT)


def is_valid(code: str) -> bool:
    """True when ``code`` (already normalised) has the right shape and check character."""
    return bool(_CODE_RE.fullmatch(code)) and check_char(code[:-1]) == code[-1]


def from_serial20(serial: str) -> str | None:
    """The full code of the 20-character serial of a Digital Link URL, or None when it cannot be one."""
    body = normalise(serial)
    if len(body) != RANDOM_CHARS or any(c not in _VALUE for c in body):
        return None
    return body + check_char(body)


def pretty(code: str) -> str:
    """Grouped for people: ABCDE-FGHJK-MNPQR-STVWX-Y."""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def lot_is_valid(lot: str) -> bool:
    """Lot numbers travel in URLs (GS1 AI 10: at most 20 characters); keep them to safe characters."""
    return bool(_LOT_RE.fullmatch(lot))


def gtin14(gtin: str) -> str:
    return gtin.zfill(14) if gtin else ""


def stamp_path(code: str, *, gtin: str = "", lot: str = "") -> str:
    """Site-relative Digital Link style address of one stamp."""
    if gtin and lot:
        return f"/01/{gtin14(gtin)}/10/{lot}/21/{code[:RANDOM_CHARS]}"
    return f"/s/{code}"
