"""Reader site views: server-rendered pages that need no JavaScript.

Every read goes through claims/site_selectors.py, which starts from `visible_to(user)`; an unknown
or unpublished slug answers the same 404.
"""

from claims.views.claims import claim_detail, claim_list
from claims.views.measures import measure_detail
from claims.views.pages import corrections, home, methodology
from claims.views.sources import source_detail
from claims.views.styles import rating_styles

__all__ = [
    "claim_detail",
    "claim_list",
    "corrections",
    "home",
    "measure_detail",
    "methodology",
    "rating_styles",
    "source_detail",
]
