"""Reader site views: server-rendered pages that need no JavaScript.

Every read goes through claims/site_selectors.py, which starts from `visible_to(user)`; an unknown
or unpublished slug answers the same 404.
"""

from claims.views.claims import claim_detail, claim_list, claims_csv
from claims.views.measures import measure_detail, measure_list
from claims.views.pages import corrections, home, methodology
from claims.views.sources import source_detail, source_list
from claims.views.styles import rating_styles

__all__ = [
    "claim_detail",
    "claim_list",
    "claims_csv",
    "corrections",
    "home",
    "measure_detail",
    "measure_list",
    "methodology",
    "rating_styles",
    "source_detail",
    "source_list",
]
