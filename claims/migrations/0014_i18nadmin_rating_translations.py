"""Rating levels' labels and descriptions per shipped language, seeded for the default scale.

The English stays on RatingLevel itself (the fallback); these rows are data, edited with the level
in the admin. Wording follows the terms fact-checkers publishing in each language use for the
same steps, and mirrors the English descriptions sentence for sentence.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import claims.models

# slug → language → (label, description)
SCALE_TRANSLATIONS = {
    "true": {
        "fa": ("درست", "این ادعا دقیق است و هیچ نکتهٔ مهمی در آن از قلم نیفتاده است."),
        "az": ("Doğru", "İddia dəqiqdir və heç bir mühüm məqam əskik deyil."),
        "ru": ("Правда", "Утверждение точно, и ничего существенного в нём не упущено."),
        "ar": ("صحيح", "الادعاء دقيق ولا ينقصه شيء مهم."),
        "tr": ("Doğru", "İddia doğru ve önemli hiçbir şey eksik değil."),
        "es": ("Verdadero", "La afirmación es exacta y no le falta nada significativo."),
    },
    "mostly-true": {
        "fa": ("عمدتاً درست", "این ادعا دقیق است، اما به توضیح یا اطلاعات بیشتری نیاز دارد."),
        "az": ("Əsasən doğru", "İddia dəqiqdir, lakin aydınlaşdırma və ya əlavə məlumat tələb edir."),
        "ru": ("В основном правда", "Утверждение точно, но нуждается в уточнении или дополнительной информации."),
        "ar": ("صحيح في معظمه", "الادعاء دقيق، لكنه يحتاج إلى توضيح أو معلومات إضافية."),
        "tr": ("Çoğunlukla doğru", "İddia doğru, ancak açıklama ya da ek bilgi gerektiriyor."),
        "es": ("Mayormente verdadero", "La afirmación es exacta, pero necesita aclaraciones o información adicional."),
    },
    "mixed": {
        "fa": (
            "نیمه‌درست",
            "این ادعا تا حدی درست و تا حدی نادرست است، یا زمینهٔ مهمی را نادیده می‌گیرد.",
        ),
        "az": ("Qismən doğru", "İddia qismən dəqiq, qismən yanlışdır və ya mühüm konteksti nəzərə almır."),
        "ru": ("Полуправда", "Утверждение отчасти верно, отчасти неверно или упускает важный контекст."),
        "ar": ("صحيح جزئيًا", "الادعاء دقيق جزئيًا وغير دقيق جزئيًا، أو يُغفل سياقًا مهمًا."),
        "tr": ("Yarı doğru", "İddia kısmen doğru, kısmen yanlış ya da önemli bir bağlamı dışarıda bırakıyor."),
        "es": (
            "Verdad a medias",
            "La afirmación es en parte exacta y en parte inexacta, u omite un contexto importante.",
        ),
    },
    "mostly-false": {
        "fa": (
            "عمدتاً نادرست",
            "این ادعا رگه‌ای از حقیقت دارد، اما واقعیت‌هایی را نادیده می‌گیرد که تصویر دیگری به دست می‌دهند.",
        ),
        "az": (
            "Əsasən yalan",
            "İddiada həqiqət payı var, lakin fərqli təəssürat yaradacaq faktları nəzərə almır.",
        ),
        "ru": (
            "В основном неправда",
            "В утверждении есть доля правды, но оно игнорирует факты, которые создали бы иное впечатление.",
        ),
        "ar": (
            "خاطئ في معظمه",
            "يتضمن الادعاء عنصرًا من الحقيقة، لكنه يتجاهل حقائق من شأنها أن تعطي انطباعًا مختلفًا.",
        ),
        "tr": (
            "Çoğunlukla yanlış",
            "İddia bir doğruluk payı içeriyor, ancak farklı bir izlenim verecek olguları göz ardı ediyor.",
        ),
        "es": (
            "Mayormente falso",
            "La afirmación contiene un elemento de verdad, pero ignora hechos que darían una impresión diferente.",
        ),
    },
    "false": {
        "fa": ("نادرست", "این ادعا نادرست است."),
        "az": ("Yalan", "İddia yanlışdır."),
        "ru": ("Неправда", "Утверждение неверно."),
        "ar": ("خاطئ", "الادعاء غير دقيق."),
        "tr": ("Yanlış", "İddia yanlış."),
        "es": ("Falso", "La afirmación es inexacta."),
    },
    "unverifiable": {
        "fa": (
            "غیرقابل راستی‌آزمایی",
            "شواهد موجود نه این ادعا را تأیید می‌کنند و نه آن را رد می‌کنند. در امتیاز اعتبار به حساب نمی‌آید.",
        ),
        "az": (
            "Yoxlanıla bilməz",
            "Mövcud sübutlar iddianı nə təsdiq, nə də təkzib edir. Etibarlılıq ballarında nəzərə alınmır.",
        ),
        "ru": (
            "Невозможно проверить",
            "Имеющиеся данные не позволяют ни подтвердить, ни опровергнуть утверждение. "
            "Не учитывается в оценках достоверности.",
        ),
        "ar": (
            "لا يمكن التحقق منه",
            "لا تؤكد الأدلة المتاحة الادعاء ولا تنفيه. لا يُحتسب في درجات المصداقية.",
        ),
        "tr": (
            "Doğrulanamaz",
            "Mevcut kanıtlar iddiayı ne doğruluyor ne de çürütüyor. Güvenilirlik puanlarında hesaba katılmaz.",
        ),
        "es": (
            "Inverificable",
            "Las pruebas disponibles no permiten confirmar ni refutar la afirmación. "
            "No se tiene en cuenta en las puntuaciones de credibilidad.",
        ),
    },
}


def seed_translations(apps, schema_editor):
    RatingLevel = apps.get_model("claims", "RatingLevel")
    RatingLevelTranslation = apps.get_model("claims", "RatingLevelTranslation")
    levels = {level.slug: level for level in RatingLevel.objects.filter(slug__in=SCALE_TRANSLATIONS)}
    RatingLevelTranslation.objects.bulk_create(
        [
            RatingLevelTranslation(level=levels[slug], language=language, label=label, description=description)
            for slug, languages in SCALE_TRANSLATIONS.items()
            if slug in levels  # a scale edited before this migration keeps its own levels
            for language, (label, description) in languages.items()
        ],
        ignore_conflicts=True,
    )


# Editors edit the scale (change_ratinglevel), so they edit its translations; reviewers read them.
GROUP_PERMISSIONS = {
    "Editors": [f"{action}_ratingleveltranslation" for action in ("add", "change", "delete", "view")],
    "Reviewers": ["view_ratingleveltranslation"],
}


def grant_permissions(apps, schema_editor):
    claims_config = apps.get_app_config("claims")
    claims_config.models_module = True
    create_permissions(claims_config, verbosity=0, apps=apps)
    claims_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*Permission.objects.filter(content_type__app_label="claims", codename__in=codenames))


def unseed_translations(apps, schema_editor):
    apps.get_model("claims", "RatingLevelTranslation").objects.filter(level__slug__in=SCALE_TRANSLATIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0013_follow_sources"),
    ]

    operations = [
        migrations.CreateModel(
            name="RatingLevelTranslation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(choices=claims.models.translated_languages, max_length=12)),
                ("label", models.CharField(max_length=60)),
                ("description", models.TextField(blank=True)),
                (
                    "level",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translations",
                        to="claims.ratinglevel",
                    ),
                ),
            ],
            options={
                "ordering": ["level", "language"],
                "constraints": [
                    models.UniqueConstraint(fields=("level", "language"), name="rating_translation_one_per_language"),
                    models.UniqueConstraint(fields=("language", "label"), name="rating_translation_label_unique"),
                ],
            },
        ),
        migrations.RunPython(seed_translations, unseed_translations),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
