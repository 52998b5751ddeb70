"""Paginators for big tables: a page count without `SELECT COUNT(*)` over the whole table.

The admin's claim queue must open quickly at a million claims. Counting every row on each page
view costs a sequential (or full index) scan; PostgreSQL already keeps an estimate of a table's
size (`pg_class.reltuples`, refreshed by autovacuum/ANALYZE) and of a query's result (the planner's
row estimate). This paginator counts exactly only up to a cap and estimates beyond it.
"""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_COUNT_CAP = 10_000


def table_row_estimate(model, *, using: str = "default") -> int:
    """PostgreSQL's estimate of a table's row count (-1 or 0 when never analysed)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row else -1


def planner_row_estimate(queryset) -> int:
    """The planner's estimate of how many rows `queryset` returns (EXPLAIN, nothing is executed)."""
    sql, params = queryset.values("pk").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Exact counts for small results, PostgreSQL's estimates for large ones.

    - Unfiltered queryset: one query for the table estimate; when that is below the cap (a small
      or never-analysed table) a count limited to `cap + 1` rows decides.
    - Filtered queryset: a count limited to `cap + 1` rows; beyond the cap the planner's estimate.

    `is_estimate` tells templates to say "about N".
    """

    cap = EXACT_COUNT_CAP

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.is_estimate = False

    def _capped_count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not hasattr(queryset, "query"):  # a list: nothing to estimate
            return len(queryset)
        if not queryset.query.where:
            estimate = table_row_estimate(queryset.model, using=queryset.db)
            if estimate > self.cap:
                self.is_estimate = True
                return estimate
            counted = self._capped_count()
            if counted > self.cap:  # the statistics are stale: the table grew since ANALYZE
                self.is_estimate = True
                return max(counted, estimate)
            return counted
        counted = self._capped_count()
        if counted <= self.cap:
            return counted
        self.is_estimate = True
        return max(counted, planner_row_estimate(queryset))
