"""Expressions shared by the apps' querysets."""

import threading
from abc import ABCMeta, abstractmethod
from collections import OrderedDict

from django.db.models import Expression


class CompiledOnce(Expression, metaclass=ABCMeta):
    """A large expression that many requests repeat (the status light of an item): built and
    compiled to SQL once per key, database and alias of the query's table, then reused. Django
    spends more CPU building and compiling such an expression than the database spends on it.

    A subclass passes its key (every value the SQL depends on) to `__init__` and returns the
    expression from `build()`. The expression may read only the columns of the query's own table
    and subqueries, not join another table: that is what makes its SQL depend on nothing but the
    key and the aliases, which are part of the cache key (the same query used as a subquery
    compiles under other aliases, and gets its own entry)."""

    contains_aggregate = False
    contains_over_clause = False
    contains_subquery = True  # as far as Django can tell: it cannot look inside
    cache_size = 64
    _compiled: OrderedDict = OrderedDict()
    _lock = threading.Lock()

    def __init__(self, *key, output_field):
        super().__init__(output_field=output_field)
        self.key = (type(self).__qualname__, *key)

    @abstractmethod
    def build(self) -> Expression:
        """The expression, built once per key (see the class)."""

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        resolved = self.copy()
        resolved.is_summary = summarize
        return resolved

    def as_sql(self, compiler, connection):
        query = compiler.query
        key = (
            *self.key,
            connection.vendor,
            connection.alias,
            query.alias_prefix,
            query.get_initial_alias(),
        )
        with self._lock:
            found = self._compiled.get(key)
            if found is not None:
                self._compiled.move_to_end(key)
        if found is None:
            # Joins are refused: a join would make the SQL depend on the query it is built in.
            expression = self.build().resolve_expression(query, allow_joins=False)
            sql, params = compiler.compile(expression)
            found = (sql, tuple(params))
            with self._lock:
                self._compiled[key] = found
                while len(self._compiled) > self.cache_size:
                    self._compiled.popitem(last=False)
        return found[0], list(found[1])
