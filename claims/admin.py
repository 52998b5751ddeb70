"""The reviewers' workspace. (Expanded by the moderation-admin work.)"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from claims import models

for model in (
    models.Topic,
    models.Source,
    models.Article,
    models.Claim,
    models.Appearance,
    models.Measure,
    models.Figure,
    models.RatingLevel,
    models.Verdict,
    models.Evidence,
):
    admin.site.register(model, SimpleHistoryAdmin)
