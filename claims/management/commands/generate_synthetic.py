"""Fill the database with realistic synthetic data for benchmarks, fast: rows are built in Python
(claims/synthetic/) and streamed with COPY, never saved one by one through the ORM.

Safe to run again: it appends, with ids reserved from each table's sequence (the tables are locked
while a batch is written) and slugs and URLs suffixed with those ids. History tables
(django-simple-history) are not filled for synthetic rows; measures' conflict state is computed by
one set-based query; credibility scores are left to `recompute_credibility`.
"""

import time
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from tqdm import tqdm

from claims.models import RatingLevel, Topic
from claims.synthetic import words
from claims.synthetic.rows import CLAIM_TABLES, COLUMNS, Context, SyntheticData, sizes

REVIEWERS, EDITORS = 12, 6
ANALYZED_TABLES = (
    "claims_source", "claims_article", "claims_article_authors", "claims_measure", *CLAIM_TABLES, "auth_user",
)  # fmt: skip


def copy_rows(cursor, table: str, rows) -> int:
    """COPY rows (tuples in COLUMNS[table] order) into table; returns how many were written."""
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def reserve_ids(table: str, count: int) -> int:
    """Take `count` consecutive ids from `table`'s sequence and return the first. The table is
    locked for this short transaction so that no concurrent insert draws an id inside the block;
    afterwards the block is ours (the sequence is past it), so it can be written later."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            f"SELECT pg_get_serial_sequence('{table}', 'id'), GREATEST(nextval(pg_get_serial_sequence('{table}', "
            f"'id')), (SELECT COALESCE(max(id), 0) + 1 FROM {table}))"
        )
        sequence, first = cursor.fetchone()
        if count > 1:
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first


class Command(BaseCommand):
    help = "Generate N synthetic claims (with sources, articles, figures and verdict histories) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, required=True, help="How many claims to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same data).")
        parser.add_argument("--batch", type=int, default=20_000, help="Claims per transaction.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args, claims, seed, batch, no_progress, **options):
        if claims < 1 or batch < 1:
            raise CommandError("--claims and --batch must be positive.")
        self.progress = not no_progress
        started = time.monotonic()
        timings = {}
        data = SyntheticData(self._context(), seed=seed)
        counts = sizes(claims)

        stage = time.monotonic()
        first = reserve_ids("claims_source", counts["sources"])
        self._write({"claims_source": self._bar(data.sources(first, counts["sources"]), "sources", counts["sources"])})
        timings["sources"] = time.monotonic() - stage

        stage = time.monotonic()
        with self._bar(None, "articles", counts["articles"]) as bar:
            for start in range(0, counts["articles"], batch * 2):
                size = min(batch * 2, counts["articles"] - start)
                articles, authors = data.articles(reserve_ids("claims_article", size), size)
                self._write({"claims_article": articles, "claims_article_authors": authors})
                bar.update(size)
        timings["articles"] = time.monotonic() - stage

        stage = time.monotonic()
        first_measure = reserve_ids("claims_measure", counts["measures"])
        self._write({"claims_measure": data.measures(first_measure, counts["measures"])})
        timings["measures"] = time.monotonic() - stage

        stage = time.monotonic()
        with self._bar(None, "claims", claims) as bar, ThreadPoolExecutor(max_workers=1) as builder:
            # Rows of batch k+1 are built in a thread while batch k is written, so that Python and
            # PostgreSQL work at the same time. Plans and id reservations stay in this thread.
            batch_sizes = [min(batch, claims - start) for start in range(0, claims, batch)]
            pending = builder.submit(data.claims, *self._plan_and_reserve(data, batch_sizes[0]))
            for number, size in enumerate(batch_sizes):
                rows = pending.result()
                if number + 1 < len(batch_sizes):
                    pending = builder.submit(data.claims, *self._plan_and_reserve(data, batch_sizes[number + 1]))
                self._write(rows)
                bar.update(size)
        timings["claims"] = time.monotonic() - stage

        stage = time.monotonic()
        with connection.cursor() as cursor:
            self._assess_measures(cursor, first_measure, first_measure + counts["measures"] - 1)
            for table in ANALYZED_TABLES:
                cursor.execute(f"ANALYZE {table}")
        timings["measures assessed + ANALYZE"] = time.monotonic() - stage

        total = time.monotonic() - started
        detail = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in timings.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {claims:,} claims, {counts['sources']:,} sources, {counts['articles']:,} articles and "
                f"{counts['measures']:,} measures in {total:.1f}s ({detail})."
            )
        )

    def _bar(self, iterable, label: str, total: int):
        return tqdm(iterable, desc=label, total=total, unit=" rows", disable=not self.progress, mininterval=1)

    def _plan_and_reserve(self, data: SyntheticData, size: int):
        """Plan `size` claims and reserve exactly the ids they need: the arguments of data.claims."""
        plans = data.plan_claims(size)
        ids = (
            reserve_ids("claims_claim", size),
            reserve_ids("claims_verdict", sum(len(plan[1]) for plan in plans)),
            reserve_ids("claims_appearance", sum(plan[2] for plan in plans)),
        )
        return plans, ids

    def _write(self, rows: dict) -> None:
        """One transaction: COPY each table's rows, in order; foreign keys are checked at commit."""
        with transaction.atomic(), connection.cursor() as wrapper:
            wrapper.execute("SET LOCAL synchronous_commit = off")
            for table, table_rows in rows.items():
                copy_rows(wrapper.cursor, table, table_rows)

    def _assess_measures(self, cursor, first_id: int, last_id: int) -> None:
        """Conflict state of the new measures over public figures, in one statement. All synthetic
        figures are in their measure's unit and measures have no comparison window, so "some pair of
        intervals does not overlap" is exactly "the largest low bound exceeds the smallest high"."""
        from claims.conflicts import tolerance as approximate_tolerance

        tolerance = float(approximate_tolerance())
        cursor.execute(
            """
            WITH figures AS (
                SELECT f.measure_id, c.claimant_id,
                       CASE f.qualifier WHEN 'at_most' THEN NULL WHEN 'approximate' THEN f.low * (1 - %(t)s)
                            ELSE f.low END AS lo,
                       CASE f.qualifier WHEN 'at_least' THEN NULL WHEN 'approximate' THEN f.high * (1 + %(t)s)
                            ELSE f.high END AS hi,
                       CASE f.qualifier WHEN 'at_least' THEN f.low WHEN 'at_most' THEN f.high
                            ELSE (f.low + f.high) / 2 END AS mid
                FROM claims_figure f
                JOIN claims_appearance a ON a.id = f.appearance_id
                JOIN claims_claim c ON c.id = a.claim_id
                WHERE f.measure_id BETWEEN %(first)s AND %(last)s AND f.rank <> 'deprecated'
                  AND c.status IN ('published', 'withdrawn')
            ), summary AS (
                SELECT measure_id, count(DISTINCT claimant_id) AS sources, max(lo) AS max_low, min(hi) AS min_high,
                       CASE WHEN count(*) > 1 AND min(mid) > 0 THEN max(mid) / min(mid) END AS spread
                FROM figures GROUP BY measure_id
            )
            UPDATE claims_measure m
            SET conflict_state = CASE WHEN s.sources = 1 THEN 'single_source'
                                      WHEN s.max_low > s.min_high THEN 'disputed' ELSE 'consistent' END,
                spread = round(s.spread, 6)
            FROM summary s WHERE m.id = s.measure_id
            """,
            {"t": tolerance, "first": first_id, "last": last_id},
        )

    def _context(self) -> Context:
        """Synthetic reviewers and editors (no usable password), the topics and the rating scale."""
        User = get_user_model()
        ids = {}
        for role, group_name, count in (("reviewer", "Reviewers", REVIEWERS), ("editor", "Editors", EDITORS)):
            group = Group.objects.get(name=group_name)
            ids[role] = []
            for number in range(1, count + 1):
                user, created = User.objects.get_or_create(
                    username=f"synthetic-{role}-{number:02d}", defaults={"is_staff": True}
                )
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                    user.groups.add(group)
                ids[role].append(user.pk)
        topic_ids = {}
        for slug, (name, _templates, _metrics) in words.TOPICS.items():
            topic_ids[slug] = Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0].pk
        return Context(
            reviewer_ids=ids["reviewer"],
            editor_ids=ids["editor"],
            topic_ids=topic_ids,
            rating_ids=dict(RatingLevel.objects.values_list("slug", "id")),
        )
