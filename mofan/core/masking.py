"""Shortened personal numbers, as lists, audit records and error workbooks show them."""


def mask(value: str, keep_head: int = 3, keep_tail: int = 4) -> str:
    """110***********1234 — what lists show."""
    if not value:
        return ""
    if len(value) <= keep_head + keep_tail:
        return "*" * len(value)
    return value[:keep_head] + "*" * (len(value) - keep_head - keep_tail) + value[-keep_tail:]
