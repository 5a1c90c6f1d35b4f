"""Document decomposition: a policy document in, its outline and actionable items out.

Plain Python with no Django import, so it runs in a command, a worker or a test alike.
"""

from datetime import date

from mofan.docparse.decompose import Decomposition, Item, annotate, decompose
from mofan.docparse.errors import DocumentError
from mofan.docparse.readers import read
from mofan.docparse.text import readable
from mofan.docparse.units import Units

__all__ = [
    "Decomposition",
    "DocumentError",
    "Item",
    "Units",
    "annotate",
    "decompose",
    "decompose_file",
    "read",
    "readable",
]


def decompose_file(
    data: bytes,
    name: str = "",
    *,
    on: date | None = None,
    units: Units | None = None,
    today: date | None = None,
) -> Decomposition:
    """A file's outline and items; DocumentError (with a Chinese message) when it can't be read."""
    return decompose(readable(read(data, name).paragraphs), on=on, units=units, today=today)
