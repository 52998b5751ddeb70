"""Seed the default verdict scale: five scored levels and Unverifiable."""

from django.db import migrations

DEFAULT_SCALE = [
    # slug, label, ordinal (ClaimReview ratingValue), truth weight, colour, description
    ("true", "True", 5, 1.0, "#1a7f37",
     "The claim is accurate and nothing significant is missing."),
    ("mostly-true", "Mostly true", 4, 0.75, "#4c9a2a",
     "The claim is accurate but needs clarification or additional information."),
    ("mixed", "Mixed", 3, 0.5, "#b08800",
     "The claim is partly accurate and partly inaccurate, or leaves out important context."),
    ("mostly-false", "Mostly false", 2, 0.25, "#d1600f",
     "The claim contains an element of truth but ignores facts that would give a different impression."),
    ("false", "False", 1, 0.0, "#c62828",
     "The claim is inaccurate."),
    ("unverifiable", "Unverifiable", None, None, "#6e7781",
     "The available evidence can neither confirm nor refute the claim. Not counted in credibility scores."),
]


def seed_scale(apps, schema_editor):
    RatingLevel = apps.get_model("claims", "RatingLevel")
    for slug, label, ordinal, weight, colour, description in DEFAULT_SCALE:
        RatingLevel.objects.update_or_create(
            slug=slug,
            defaults={"label": label, "ordinal": ordinal, "truth_weight": weight, "colour": colour,
                      "description": description},
        )


def unseed_scale(apps, schema_editor):
    apps.get_model("claims", "RatingLevel").objects.filter(slug__in=[row[0] for row in DEFAULT_SCALE]).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]
    operations = [migrations.RunPython(seed_scale, unseed_scale)]
