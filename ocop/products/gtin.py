from ocop.core.text import is_ascii_digits


def gtin_is_valid(value: str) -> bool:
    """GS1 mod-10 check digit for GTIN-8/12/13/14."""
    if not is_ascii_digits(value) or len(value) not in (8, 12, 13, 14):
        return False
    digits = [int(c) for c in value]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check
