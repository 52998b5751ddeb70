"""The rating colours as a stylesheet.

The scale is data (RatingLevel rows, editable in the admin), and the Content-Security-Policy
forbids inline `style` attributes, so pages mark a rating with `data-rating="<slug>"` and this
stylesheet, served from our own origin, gives each slug its colour.
"""

import hashlib

from django.core.validators import slug_re
from django.http import HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_safe

from claims import site_selectors as selectors
from claims.charts import safe_colour

MAX_AGE_SECONDS = 300  # a recoloured scale reaches readers within five minutes


def rating_stylesheet(levels) -> str:
    """One rule per level. Colours are checked by the database (#rrggbb) and again by
    `charts.safe_colour`; a slug that is not a plain slug (it could end the selector) is left out."""
    rules = [
        f'[data-rating="{level.slug}"] {{ --rating: {safe_colour(level.colour)}; }}'
        for level in levels
        if slug_re.match(level.slug)
    ]
    return "/* Rating colours, generated from the rating scale. */\n" + "\n".join(rules) + "\n"


@require_safe
def rating_styles(request):
    css = rating_stylesheet(selectors.rating_levels())
    etag = '"' + hashlib.sha256(css.encode()).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    return response
