"""Template helpers for the reader site: sanitised Markdown, rating badges, amounts, JSON-LD."""

import json

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info, ngettext

from claims.charts import format_amount
from claims.rating_text import rating_text

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "sup", "sub", "del", "table", "thead",
    "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
# Characters that could end a <script> element or start markup, escaped as JSON unicode escapes.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def markdown(text: str) -> str:
    """Markdown to HTML, then sanitised by nh3: no raw HTML, scripts, styles or event handlers survive.
    Headings start at h3 (the page already has h1/h2); links get rel="nofollow noopener noreferrer"."""
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    html = html.replace("<h1", "<h3").replace("</h1>", "</h3>").replace("<h2", "<h4").replace("</h2>", "</h4>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(cleaned)


@register.filter
def json_ld(data) -> str:
    """A JSON document safe inside <script type="application/ld+json"> (like Django's json_script)."""
    return mark_safe(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False).translate(SCRIPT_ESCAPES))


@register.filter
def amount(value, unit: str = "") -> str:
    return format_amount(value, unit)


@register.filter
def percent(value) -> str:
    """0..1 → "72%"; None stays empty (the template says "Not enough data")."""
    return "" if value is None else f"{round(float(value) * 100)}%"


@register.filter
def duration_in_days(days) -> str:
    """A comparison window in the largest whole unit a reader thinks in: 3650 → "10 years",
    60 → "2 months" (only when exact), 45 → "45 days"."""
    days = int(days)
    units = (
        (365, lambda n: ngettext("%(count)d year", "%(count)d years", n)),
        (30, lambda n: ngettext("%(count)d month", "%(count)d months", n)),
        (7, lambda n: ngettext("%(count)d week", "%(count)d weeks", n)),
    )
    for size, wording in units:
        if days >= size and days % size == 0:
            count = days // size
            return wording(count) % {"count": count}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


@register.filter
def language_label(code: str) -> str:
    """A language tag as the reader's language names it ("fa" → "Persian" on an English page);
    a tag Django does not know (e.g. a regional variant) is shown as given."""
    if not code:
        return ""
    try:
        return get_language_info(code.lower())["name_translated"]
    except KeyError:
        try:
            return get_language_info(code.split("-")[0].lower())["name_translated"]
        except KeyError:
            return code


@register.inclusion_tag("claims/includes/rating_badge.html")
def rating_badge(rating, *, status: str = "", small: bool = False):
    """A rating as colour *and* text *and* a pip meter (●●●○○), so colour is never the only signal.
    `status` is the claim's status: a withdrawn claim shows "Withdrawn" instead of a rating."""
    withdrawn = status == "withdrawn"
    ordinal = getattr(rating, "ordinal", None)
    pips = "●" * ordinal + "○" * (5 - ordinal) if ordinal else "?"
    label = rating_text(rating).label if rating else ""  # a missing rating resolves to ""
    return {"rating": rating, "label": label, "withdrawn": withdrawn, "pips": pips, "small": small}


@register.filter
def rating_label(level) -> str:
    """`{{ level|rating_label }}`: the level's label in the page's language (claims.rating_text)."""
    return rating_text(level).label if level else ""


@register.filter
def rating_description(level) -> str:
    """`{{ level|rating_description }}`: the level's description in the page's language."""
    return rating_text(level).description if level else ""
