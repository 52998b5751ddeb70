"""Row builders for `generate_synthetic`. Each method returns tuples in the column order given by
COLUMNS, with ids chosen by the caller (reserved from the tables' sequences) so rows can refer to
each other without a round trip. Values are written with COPY in text form, so numbers may be str.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from claims.synthetic import text, words

COLUMNS = {
    "claims_source": (
        "id", "created_at", "updated_at", "kind", "name", "slug", "homepage", "domain", "country", "description",
        "rated_claims_count", "rating_counts",
    ),
    "claims_article": (
        "id", "created_at", "updated_at", "url", "title", "outlet_id", "published_on", "language", "kind",
        "parent_id", "archived_url", "body",
    ),
    "claims_article_authors": ("article_id", "source_id"),
    "claims_measure": (
        "id", "created_at", "updated_at", "name", "slug", "unit", "description", "conflict_state", "conflicts",
    ),
    "claims_claim": (
        "id", "created_at", "updated_at", "text", "slug", "first_seen", "status", "assigned_to_id", "claimant_id",
        "published_verdict_id", "language",
    ),
    "claims_claim_topics": ("claim_id", "topic_id"),
    "claims_verdict": (
        "id", "created_at", "updated_at", "summary", "rationale", "status", "version", "submitted_at",
        "published_at", "withdrawn_at", "correction_note", "withdrawal_reason", "is_example",
        "original_rating_label", "approver_id", "author_id", "claim_id", "rating_id", "supersedes_id",
        "grouping_reason",
    ),
    "claims_evidence": (
        "verdict_id", "created_at", "updated_at", "url", "title", "publisher", "accessed_on", "archived_url", "note",
    ),
    "claims_appearance": ("id", "created_at", "updated_at", "claim_id", "article_id", "quote", "voice",
                          "attributed_to_id"),
    "claims_figure": (
        "appearance_id", "measure_id", "created_at", "updated_at", "low", "high", "qualifier", "unit",
        "point_in_time", "quoted_text", "rank", "rank_reason", "proposed", "proposal_reason",
    ),
}  # fmt: skip

# Tables written per claim batch, in this order (foreign keys are checked at commit: Django
# creates them DEFERRABLE INITIALLY DEFERRED).
CLAIM_TABLES = (
    "claims_claim", "claims_claim_topics", "claims_verdict", "claims_evidence", "claims_appearance", "claims_figure",
)  # fmt: skip
SOURCE_KINDS = (("outlet", 15), ("person", 50), ("organisation", 15), ("government", 10), ("anonymous", 10))
ARTICLE_KINDS = (("news", 60), ("opinion", 20), ("comment", 8), ("statement", 7), ("social", 5))
CLAIM_STATUSES = (("published", 70), ("withdrawn", 3), ("in_review", 15), ("new", 12))
CLAIMANT_KINDS = (("person", 55), ("government", 25), ("organisation", 15), ("outlet", 5))
RATINGS = (("true", 15), ("mostly-true", 15), ("mixed", 20), ("mostly-false", 20), ("false", 22), ("unverifiable", 8))
QUALIFIERS = (("exact", 25), ("approximate", 30), ("range", 25), ("at_least", 10), ("at_most", 10))
APPEARANCES_PER_CLAIM = ((1, 50), (2, 35), (3, 15))
FIGURES_PER_CLAIM = ((0, 35), (1, 35), (2, 20), (3, 10))
EVIDENCE_PER_VERDICT = ((0, 30), (1, 45), (2, 25))
SUPERSEDED_SHARE = 0.10  # published claims whose verdict replaced an earlier one (with a correction note)
CONTESTED_SHARE = 0.3  # measures whose sources disagree (some of their figures are far apart)


def _table(weighted) -> list:
    """A lookup list: rng.choice on it draws with the given integer weights."""
    return [value for value, weight in weighted for _ in range(weight)]


def sizes(claims: int) -> dict[str, int]:
    """Rows per table for `claims` claims: ~10 sources per 100 claims, an article per 2 claims,
    a few thousand measures at a million claims."""
    return {
        "sources": max(len(SOURCE_KINDS), claims // 10),
        "articles": max(10, claims // 2),
        "measures": min(5000, max(len(words.TOPICS) * 2, claims // 300)),
    }


@dataclass
class Context:
    """What the row builders need from the database: users, topics and the rating scale."""

    reviewer_ids: list[int]
    editor_ids: list[int]
    topic_ids: dict[str, int]
    rating_ids: dict[str, int]
    today: date = field(default_factory=date.today)


class SyntheticData:
    """Deterministic for a given seed; remembers the ids it generated so later stages refer to them."""

    def __init__(self, context: Context, *, seed: int):
        self.ctx = context
        self.rng = random.Random(seed)
        self.plan_rng = random.Random(seed + 1)  # plans are drawn while another thread builds rows
        self.first_day = context.today - timedelta(days=11 * 365)
        self.days = (context.today - self.first_day).days
        self.sources_by_kind: dict[str, list[int]] = {kind: [] for kind, _ in SOURCE_KINDS}
        self.outlet_domains: dict[int, str] = {}
        self.article_ids: list[int] = []
        self.article_days: list[int] = []
        # topic -> [(measure id, unit, typical value, contested)]
        self.measures_by_topic: dict[str, list[tuple[int, str, float, bool]]] = {t: [] for t in words.TOPICS}
        self._tables = {
            name: _table(weights)
            for name, weights in (
                ("source_kind", SOURCE_KINDS),
                ("article_kind", ARTICLE_KINDS),
                ("claim_status", CLAIM_STATUSES),
                ("claimant_kind", CLAIMANT_KINDS),
                ("rating", RATINGS),
                ("qualifier", QUALIFIERS),
                ("appearances", APPEARANCES_PER_CLAIM),
                ("figures", FIGURES_PER_CLAIM),
                ("evidence", EVIDENCE_PER_VERDICT),
            )
        }
        self.topics = list(words.TOPICS)

    # --- helpers --------------------------------------------------------------------------------

    def _pick(self, table: str):
        return self.rng.choice(self._tables[table])

    def _skewed(self, items: list):
        """A few items get most of the picks (a handful of very prolific sources or outlets)."""
        return items[int(len(items) * self.rng.random() ** 2)]

    def _day(self, after: int = 0) -> int:
        return self.rng.randint(after, self.days) if after < self.days else self.days

    def _date(self, day: int) -> date:
        return self.first_day + timedelta(days=day)

    def _moment(self, day: int) -> datetime:
        return datetime.combine(self._date(day), time(self.rng.randint(6, 21), self.rng.randint(0, 59)), UTC)

    # --- sources, articles, measures ------------------------------------------------------------

    def sources(self, first_id: int, count: int):
        rng = self.rng
        for offset in range(count):
            source_id = first_id + offset
            kind = SOURCE_KINDS[offset][0] if offset < len(SOURCE_KINDS) else self._pick("source_kind")
            code, country = rng.choice(words.COUNTRIES)
            homepage = domain = ""
            if kind == "outlet":
                first, second = rng.choice(words.OUTLET_WORDS)
                name = f"The {first} {second}" + (f" of {text.town(rng)}" if rng.random() < 0.7 else "")
                domain = f"{text.slug(name, 40)}-{source_id}.example.org"
                homepage = f"https://{domain}/"
                self.outlet_domains[source_id] = domain
                description = f"News outlet based in {country}."
            elif kind == "person":
                name = text.person_name(rng)
                description = f"{rng.choice(words.TITLES).capitalize()} from {country}."
            elif kind == "organisation":
                name = f"{rng.choice(words.ORGANISATIONS)} ({text.town(rng)})"
                description = f"Research organisation in {country}."
            elif kind == "government":
                name = f"{rng.choice(words.GOVERNMENT_BODIES)} of {country}"
                description = f"Government body of {country}."
            else:
                code, name, description = "", f"Commenter “{text.town(rng).lower()}”", "A reader comment's author."
            self.sources_by_kind[kind].append(source_id)
            created = self._moment(0)
            slug = f"{text.slug(name, 80)}-{source_id}"
            yield (source_id, created, created, kind, name, slug, homepage, domain, code, description, 0, "{}")

    def articles(self, first_id: int, count: int):
        """Article rows and their author links: (articles, authors) lists."""
        rng = self.rng
        outlets = self.sources_by_kind["outlet"]
        people = self.sources_by_kind["person"]
        anonymous = self.sources_by_kind["anonymous"] or people
        governments = self.sources_by_kind["government"] or people
        articles, authors = [], []
        for offset in range(count):
            article_id = first_id + offset
            kind = self._pick("article_kind")
            day = self._day()
            parent_id = None
            outlet_id = self._skewed(outlets)
            title = text.claim_text(rng, rng.choice(self.topics))[:-1]
            if kind == "comment" and self.article_ids:
                index = rng.randrange(len(self.article_ids))
                parent_id, day = self.article_ids[index], self._day(self.article_days[index])
                title = f"Comment: {title[:60]}"
            when = self._date(day)
            url = f"https://{self.outlet_domains[outlet_id]}/{when:%Y/%m}/{text.slug(title, 60)}-{article_id}"
            archived = f"https://web.archive.org/web/{when:%Y%m%d}/{url}" if rng.random() < 0.2 else ""
            language = "en" if rng.random() < 0.9 else rng.choice(("ru", "tr", "fa", "az", "fr"))
            created = self._moment(day)
            articles.append(
                (article_id, created, created, url, title, outlet_id, when, language, kind, parent_id, archived, "")
            )
            if kind == "comment":
                authors.append((article_id, rng.choice(anonymous)))
            elif kind == "statement":
                authors.append((article_id, rng.choice(governments)))
            else:
                first_author = self._skewed(people)
                authors.append((article_id, first_author))
                if kind == "opinion" and rng.random() < 0.3:
                    second = rng.choice(people)
                    if second != first_author:
                        authors.append((article_id, second))
            self.article_ids.append(article_id)
            self.article_days.append(day)
        return articles, authors

    def measures(self, first_id: int, count: int):
        rng = self.rng
        for offset in range(count):
            measure_id = first_id + offset
            topic = self.topics[offset % len(self.topics)]
            pattern, unit, typical = rng.choice(words.TOPICS[topic][2])
            name = text.measure_name(rng, pattern)
            base = typical * rng.lognormvariate(0, 0.4)
            contested = rng.random() < CONTESTED_SHARE
            self.measures_by_topic[topic].append((measure_id, unit, base, contested))
            created = self._moment(0)
            slug = f"{text.slug(name, 80)}-{measure_id}"
            description = "Synthetic measure generated for benchmarks."
            yield (measure_id, created, created, name, slug, unit, description, "no_figures", "[]")

    # --- claims and everything hanging off them ---------------------------------------------------

    def plan_claims(self, count: int) -> list[tuple[str, tuple[str, ...], int]]:
        """Phase one: each claim's status, verdict statuses (oldest first) and appearance count, so
        that exact id blocks can be reserved before the rows are built."""
        rng = self.plan_rng
        statuses, appearances = self._tables["claim_status"], self._tables["appearances"]
        plans = []
        for _ in range(count):
            status = rng.choice(statuses)
            if status == "published":
                verdicts = ("superseded", "published") if rng.random() < SUPERSEDED_SHARE else ("published",)
            elif status == "withdrawn":
                verdicts = ("withdrawn",)
            elif status == "in_review":
                draw = rng.random()
                verdicts = ("submitted",) if draw < 0.55 else ("draft",) if draw < 0.85 else ()
            else:
                verdicts = ()
            plans.append((status, verdicts, rng.choice(appearances)))
        return plans

    def claims(self, plans, ids: tuple[int, int, int]):
        """Phase two: rows for every table, keyed by table name; `ids` are the first claim, verdict
        and appearance ids of the blocks reserved for the plans."""
        first_claim_id, first_verdict_id, first_appearance_id = ids
        rows = {table: [] for table in CLAIM_TABLES}
        claimants = {kind: self.sources_by_kind[kind] or self.sources_by_kind["person"] for kind, _ in CLAIMANT_KINDS}
        verdict_id, appearance_id = first_verdict_id, first_appearance_id
        rng = self.rng
        for offset, (status, verdict_plan, appearance_count) in enumerate(plans):
            claim_id = first_claim_id + offset
            topic = rng.choice(self.topics)
            claim_text = text.claim_text(rng, topic)
            day = self._day()
            created = self._moment(day)
            claimant_id = self._skewed(claimants[self._pick("claimant_kind")])
            reviewer = rng.choice(self.ctx.reviewer_ids)
            published_verdict_id = None
            previous_id = None
            verdict_day = day
            for verdict_status in verdict_plan:
                verdict_day = min(self.days, verdict_day + rng.randint(1, 60))
                rows["claims_verdict"].append(
                    self._verdict(verdict_id, claim_id, claim_text, verdict_status, verdict_day, reviewer, previous_id)
                )
                if verdict_status in ("published", "superseded", "withdrawn"):
                    self._evidence(rows["claims_evidence"], verdict_id, topic, verdict_day)
                if verdict_status == "published":
                    published_verdict_id = verdict_id
                previous_id = verdict_id
                verdict_id += 1
            rows["claims_claim"].append(
                (
                    claim_id, created, created, claim_text, f"{text.slug(claim_text)}-{claim_id}", self._date(day),
                    status, reviewer if status == "in_review" else None, claimant_id, published_verdict_id,
                    "en",  # the synthetic text is English
                )
            )  # fmt: skip
            rows["claims_claim_topics"].append((claim_id, self.ctx.topic_ids[topic]))
            if rng.random() < 0.25:
                other = rng.choice(self.topics)
                if other != topic:
                    rows["claims_claim_topics"].append((claim_id, self.ctx.topic_ids[other]))
            appearance_ids = []
            articles = set()
            while len(articles) < min(appearance_count, len(self.article_ids)):
                articles.add(rng.choice(self.article_ids))
            quote = claim_text[:1].lower() + claim_text[1:120].split(",")[0].rstrip(".")
            for article_id in sorted(articles):
                asserts = rng.random() < 0.6
                rows["claims_appearance"].append(
                    (
                        appearance_id, created, created, claim_id, article_id, quote,
                        "asserts" if asserts else "reports", None if asserts else claimant_id,
                    )
                )  # fmt: skip
                appearance_ids.append(appearance_id)
                appearance_id += 1
            for _ in range(self._pick("figures")):
                rows["claims_figure"].append(self._figure(rng.choice(appearance_ids), topic, created))
        return rows

    def _verdict(self, verdict_id, claim_id, claim_text, status, day, reviewer, previous_id):
        rng = self.rng
        rating = self._pick("rating")
        reason = rng.choice(words.SUMMARY_REASONS)
        summary = words.RATING_SUMMARY[rating].format(reason=reason)
        org = rng.choice(words.ORGANISATIONS)
        rationale = (
            f"We compared the claim ({claim_text[:-1].lower()}) with the figures published by the {org}.\n\n"
            f"In short, {reason}. See [the {org} report](https://evidence.example.org/reports/{verdict_id}) "
            "and the evidence listed below."
        )
        created = self._moment(day)
        submitted = created + timedelta(hours=rng.randint(1, 48)) if status != "draft" else None
        published = submitted + timedelta(hours=rng.randint(1, 72)) if status not in ("draft", "submitted") else None
        withdrawn = published + timedelta(days=rng.randint(1, 30)) if status == "withdrawn" else None
        version = {"draft": 1, "submitted": 2, "published": 3, "superseded": 4, "withdrawn": 4}[status]
        approver = rng.choice(self.ctx.editor_ids) if published else None
        correction = rng.choice(words.CORRECTION_NOTES) if previous_id else ""
        reason_text = rng.choice(words.WITHDRAWAL_REASONS) if status == "withdrawn" else ""
        return (
            verdict_id, created, withdrawn or published or submitted or created, summary, rationale, status, version,
            submitted, published, withdrawn, correction, reason_text, True, "", approver, reviewer, claim_id,
            self.ctx.rating_ids[rating], previous_id, "",
        )  # fmt: skip

    def _evidence(self, out: list, verdict_id: int, topic: str, day: int):
        rng = self.rng
        created = self._moment(day)
        for number in range(self._pick("evidence")):
            org = rng.choice(words.ORGANISATIONS)
            url = f"https://evidence.example.org/{topic}/{verdict_id}/{number}"
            archived = f"https://web.archive.org/web/2020/{url}" if rng.random() < 0.3 else ""
            out.append((verdict_id, created, created, url, f"{org}: {topic} data", org, self._date(day), archived, ""))

    def _figure(self, appearance_id: int, topic: str, created: datetime):
        """A figure about one of the topic's measures. On an uncontested measure every figure allows
        the typical value (so they all overlap); on a contested one, one figure in four is far off."""
        rng = self.rng
        measures = self.measures_by_topic[topic] or [m for ms in self.measures_by_topic.values() for m in ms]
        measure_id, unit, base, contested = self._skewed(measures)
        qualifier = self._pick("qualifier")
        value = base
        if contested and rng.random() < 0.25:
            value = base * rng.choice((rng.uniform(0.3, 0.7), rng.uniform(1.5, 3)))
        if unit == "percent":
            value = min(value, 100.0)
        low = high = text.number(value, unit)
        if qualifier == "range":
            width = rng.uniform(0.03, 0.15)
            low, high = text.number(value * (1 - width), unit), text.number(value * (1 + width), unit)
            quoted = f"{text.quoted(low, unit, with_unit=False)}–{text.quoted(high, unit)}"
        else:
            if qualifier == "at_least":
                low = high = text.number(value * rng.uniform(0.8, 1), unit)
            elif qualifier == "at_most":
                low = high = text.number(value * rng.uniform(1, 1.2), unit)
            quoted = words.QUALIFIER_WORDS.get(qualifier, "") + text.quoted(low, unit)
            if qualifier == "at_least":
                high = None
            elif qualifier == "at_most":
                low = None
        point = date(rng.randint(2010, self.ctx.today.year - 1), 1, 1) if rng.random() < 0.7 else None
        draw = rng.random()
        rank, rank_reason = ("preferred", "") if draw < 0.05 else ("normal", "")
        if draw > 0.97:
            rank, rank_reason = "deprecated", rng.choice(words.RANK_REASONS)
        return (
            appearance_id,
            measure_id,
            created,
            created,
            low,
            high,
            qualifier,
            unit,
            point,
            quoted,
            rank,
            rank_reason,
            False,  # recorded by a reviewer: no proposals in synthetic data
            "",
        )
