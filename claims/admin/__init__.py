"""The reviewers' workspace: the review queue, verdict workflow, catalogue and history.

One module per area: `claims` (the queue), `appearances` (appearances and figures), `verdicts`
(workflow, evidence, rating scale), `catalogue` (topics, sources, articles, measures).
"""

from . import appearances, catalogue, claims, follow, merging, verdicts, webhooks  # noqa: F401  (registers the ModelAdmins)
