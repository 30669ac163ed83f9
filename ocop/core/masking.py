"""Masking of personal data (phone, ID numbers) for viewers who do not need it."""

from __future__ import annotations


def mask_phone(value: str) -> str:
    digits = [c for c in value if c.isdigit()]
    if len(digits) < 4:
        return "•••" if value else ""
    return "•" * (len(digits) - 3) + "".join(digits[-3:])


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    return "•" * (len(value) - 3) + value[-3:]


def mask_email(value: str) -> str:
    if "@" not in value:
        return "•••" if value else ""
    local, domain = value.split("@", 1)
    return (local[:1] + "•••@" + domain) if local else "•••@" + domain
