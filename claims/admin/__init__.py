"""The reviewers' workspace: the review queue, verdict workflow, catalogue and history.

One module per area: `claims` (the queue), `appearances` (appearances and figures), `verdicts`
(workflow, evidence, rating scale), `catalogue` (topics, sources, articles, measures).
"""

from django.contrib import admin

from . import appearances, catalogue, claims, verdicts  # noqa: F401  (registers the ModelAdmins)

admin.site.site_header = "Factcheck review"
admin.site.site_title = "Factcheck review"
admin.site.index_title = "Reviewers' workspace"
# The queue's columns need the width more than a second copy of the model list does.
admin.site.enable_nav_sidebar = False
