"""Small helpers shared by the reader views."""

from django.http import Http404
from django.utils.translation import gettext

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages are for the API's cursor pagination, not for browsing


def page_number(request) -> int:
    """The ?page= number, 1 when missing or malformed; too deep a page is a 404, never a 500."""
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    if page > MAX_PAGE:
        raise Http404(gettext("No such page."))
    return max(page, 1)


def canonical(request, path: str) -> str:
    return request.build_absolute_uri(path)


def or_404(obj):
    if obj is None:
        raise Http404(gettext("Not found."))
    return obj


def keyset_page(request, queryset, *, field: str, descending: bool, size: int = PAGE_SIZE):
    """One page of `queryset` after the `?cursor=` position, and the next page's link (or None).

    The API's keyset pagination (claims/api/pagination.py) serves the reader's index pages too:
    the same (key, id) ordering, opaque cursors and refusal of forged ones, here answered as a 400
    page. No COUNT(*) and no OFFSET, so the thousandth page costs what the first does.
    """
    from django.core.exceptions import BadRequest
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request

    from claims.api.pagination import KeysetCursorPagination

    paginator = KeysetCursorPagination()
    paginator.page_size = size
    paginator.page_size_query_param = None  # the page size is the site's, not the reader's
    try:
        rows = paginator.paginate_queryset(queryset, Request(request), ordering=(field, descending))
    except APIException as error:
        raise BadRequest(
            gettext("This page link is not valid (%(reason)s); start again from the first page.")
            % {"reason": error.detail}
        ) from None
    if not (paginator.has_next and rows):
        return rows, None
    query = request.GET.copy()
    query["cursor"] = paginator._encode_cursor(rows[-1])
    return rows, "?" + query.urlencode()


def first_page_link(request) -> str | None:
    """This list's first page (the query without its cursor), or None when already on it."""
    if "cursor" not in request.GET:
        return None
    query = request.GET.copy()
    query.pop("cursor")
    return "?" + query.urlencode()
