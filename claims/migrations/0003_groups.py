"""Create the Reviewers and Editors groups with their permissions.

Reviewers triage claims, attach figures and evidence, draft and submit verdicts.
Editors can do all of that and also publish (never their own), withdraw and correct.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER_PERMISSIONS = [
    *[f"{action}_{model}" for model in ("claim", "appearance", "figure", "evidence", "verdict", "article",
                                         "source", "measure", "topic") for action in ("add", "change", "view")],
    "view_ratinglevel",
    "delete_appearance", "delete_figure", "delete_evidence",
]
EDITOR_PERMISSIONS = [*REVIEWER_PERMISSIONS, "publish_verdict", "withdraw_verdict", "change_ratinglevel"]


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Reviewers", REVIEWER_PERMISSIONS), ("Editors", EDITOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions not found: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reviewers", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_rating_scale"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
