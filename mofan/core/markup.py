"""Escaping for markup written out in Python (item rows, form widgets).

`esc` is Django's `conditional_escape` without its lazy-string wrapper (`keep_lazy`), which checks
every argument for a lazy string on each call: a 50-row table and its filter form escape some
1,500 values per page, and the wrapper cost more than the escaping. Text is escaped as Django's
`escape` does it (the standard library's html.escape, quotes included); a value marked as HTML
(`__html__`) is left as it is. mofan/core/tests/test_markup.py holds the two equal."""

import html


def esc(value) -> str:
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def quoted(name: str) -> str:
    """A name in Chinese quotation marks, its own quotation marks turned to the inner ones
    (“‘三会一课’等组织生活”), as 公文 nest them — not ““三会一课”等……”."""
    return "“" + name.replace("“", "‘").replace("”", "’") + "”"
