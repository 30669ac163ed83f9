"""The slug of a product's URL: its name without diacritics (``unaccent``: no i/y rule, so "Mỹ Tho" stays
"my-tho"), through Django's slugify, at most 100 characters, "san-pham" when nothing is left."""

from __future__ import annotations

import re

from django.utils.text import slugify

from ocop.core.text import unaccent

_PLAIN_KEY = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_DASHES = re.compile(r"[-\s]+")


def slug_for(text: str) -> str:
    """``slugify(unaccent(text))[:100] or "san-pham"``; slugify's own steps without its Unicode
    normalisation and lazy-string wrapper for plain text (the listing makes tens of thousands per import)."""
    plain = unaccent(text)
    if _PLAIN_KEY.fullmatch(plain):  # most unaccented names: words of [a-z0-9], one space apart
        slug = plain.replace(" ", "-")
    elif plain.isascii():
        slug = _SLUG_DASHES.sub("-", _SLUG_DROP.sub("", plain.lower())).strip("-_")
    else:
        slug = slugify(plain)
    return slug[:100] or "san-pham"
