"""Load the demo dataset (claims/demo/data.py). Idempotent: a second run changes nothing."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from claims import services
from claims.demo import data
from claims.models import Appearance, Article, Claim, Figure, Measure, RatingLevel, Source, Topic, Verdict

DEMO_REVIEWER = "demo-reviewer"
DEMO_EDITOR = "demo-editor"


class Command(BaseCommand):
    help = "Load the demo claims, sources, figures and example verdicts (safe to run repeatedly)."

    @transaction.atomic
    def handle(self, *args, **options):
        reviewer = self._user(DEMO_REVIEWER, "Reviewers")
        editor = self._user(DEMO_EDITOR, "Editors")
        topics = {
            slug: Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0] for name, slug in data.TOPICS
        }
        sources = {}
        for slug, (kind, name, homepage, country, description) in data.SOURCES.items():
            sources[slug], _ = Source.objects.get_or_create(
                slug=slug,
                defaults={
                    "kind": kind,
                    "name": name,
                    "homepage": homepage,
                    "country": country,
                    "description": description,
                },
            )
        articles = {}
        for key, (url, title, outlet, authors, published_on, kind, parent) in data.ARTICLES.items():
            article, created = Article.objects.get_or_create(
                url=url,
                defaults={
                    "title": title,
                    "outlet": sources.get(outlet),
                    "published_on": published_on,
                    "kind": kind,
                    "parent": articles.get(parent),
                },
            )
            if created:
                article.authors.set([sources[a] for a in authors])
            articles[key] = article
        measures = {}
        for slug, (name, unit, window, description) in data.MEASURES.items():
            measures[slug], _ = Measure.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "unit": unit, "comparison_window_days": window, "description": description},
            )
        created_claims = 0
        for spec in data.CLAIMS:
            if Claim.objects.filter(slug=spec["slug"]).exists():
                continue
            self._load_claim(spec, sources, articles, measures, topics, reviewer, editor)
            created_claims += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {created_claims} claims created, {len(data.CLAIMS) - created_claims} already present "
                f"({Claim.objects.count()} claims, {Verdict.objects.count()} verdicts in the database)."
            )
        )

    def _user(self, username: str, group_name: str):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "first_name": "Demo", "last_name": group_name[:-1]}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=group_name))
        return user

    def _load_claim(self, spec, sources, articles, measures, topics, reviewer, editor):
        claim = services.create_claim(
            text=spec["text"],
            slug=spec["slug"],
            by=reviewer,
            claimant=sources.get(spec["claimant"]),
            topics=[topics[t] for t in spec["topics"]],
            first_seen=spec["first_seen"],
        )
        appearances: list[Appearance] = []
        for article_key, quote, voice, attributed in spec["appearances"]:
            appearances.append(
                services.add_appearance(
                    claim=claim,
                    article=articles[article_key],
                    by=reviewer,
                    quote=quote,
                    voice=voice,
                    attributed_to=sources.get(attributed),
                )
            )
        for index, measure_slug, quoted, low, high, qualifier, unit, when in spec["figures"]:
            services.record_figure(
                appearance=appearances[index],
                measure=measures[measure_slug],
                by=reviewer,
                quoted_text=quoted,
                low=data.decimal_or_none(low),
                high=data.decimal_or_none(high),
                qualifier=qualifier,
                unit=unit,
                point_in_time=when,
            )
        published = None
        for plan in spec["verdicts"]:
            state, rating_slug, summary = plan[:3]
            rating = RatingLevel.objects.get(slug=rating_slug)
            rationale = data.EXAMPLE_RATIONALE.format(summary=summary)
            if state == "correction":
                verdict = services.draft_correction(
                    verdict=published,
                    by=reviewer,
                    rating=rating,
                    summary=summary,
                    rationale=rationale,
                    correction_note=plan[3],
                )
            else:
                verdict = services.create_verdict(
                    claim=claim, rating=rating, summary=summary, rationale=rationale, by=reviewer, is_example=True
                )
            if state == "draft":
                continue
            verdict = services.submit_verdict(verdict=verdict, by=reviewer)
            if state in ("published", "correction"):
                published = services.publish_verdict(verdict=verdict, by=editor)
        return claim


__all__ = ["Command", "Figure"]
