"""Finding a word inside long texts of large tables (item contents, meeting titles) quickly on
PostgreSQL.

`LIKE '%…%'` reads every row: 140–220 ms over a million items or 1.5 million meetings. A trigram
index (pg_trgm) cannot serve the one- and two-character words Chinese searches mostly are, and
pg_bigm is not a stock extension; so each text is indexed by the two characters starting at each
position (the last one alone), in a GIN index over `to_tsvector('simple', mofan_bigrams(text))`
(function and indexes: the PostgreSQL-only migrations ledger 0011 and meetings 0005). A word asks
the index for the rows holding all its pairs (one character: a gram starting with it), then LIKE
keeps only those holding the word itself: the same rows as LIKE alone. Elsewhere (SQLite, the
embedded default) LIKE alone does it.
"""

import re

from django.db import connections
from django.db.models import CharField, Lookup, TextField

# Texts made of letters and digits only are sent to the index: the full-text parser treats
# punctuation and symbols in ways a gram of them might not survive the same way on both sides.
_WORDLIKE = re.compile(r"^[^\W_]+$")  # letters and digits; "_" splits lexemes

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION mofan_bigrams(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(substr(t, i, 2), ' '), '')
  FROM generate_series(1, char_length(t)) AS i
$$;
"""


def index_sql(table: str, column: str, name: str) -> str:
    return (
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
        f"USING gin (to_tsvector('simple', mofan_bigrams({column})))"
    )


def bigrams(text: str) -> str:
    """The pairs of characters of a word, each a gram the index holds wherever the word is."""
    return " ".join(text[i : i + 2] for i in range(len(text) - 1))


class Grams(Lookup):
    """`field__grams=text`: the rows whose gram index holds every gram of `text` (PostgreSQL);
    always used together with `field__contains` (see `containing`)."""

    lookup_name = "grams"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        vector = f"to_tsvector('simple', mofan_bigrams({lhs}))"
        if len(self.rhs) == 1:  # a word character: the grams starting with it (prefix match)
            return f"{vector} @@ to_tsquery('simple', %s)", [*lhs_params, f"{self.rhs}:*"]
        return f"{vector} @@ plainto_tsquery('simple', %s)", [*lhs_params, bigrams(self.rhs)]


CharField.register_lookup(Grams)
TextField.register_lookup(Grams)


def containing(queryset, field: str, text: str):
    """The rows whose `field` contains `text`, through the gram index where there is one."""
    queryset = queryset.filter(**{f"{field}__contains": text})
    if connections[queryset.db].vendor == "postgresql" and _WORDLIKE.match(text):
        queryset = queryset.filter(**{f"{field}__grams": text})
    return queryset
