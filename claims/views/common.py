"""Small helpers shared by the reader views."""

from django.http import Http404

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages are for the API's cursor pagination, not for browsing


def page_number(request) -> int:
    """The ?page= number, 1 when missing or malformed; too deep a page is a 404, never a 500."""
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    if page > MAX_PAGE:
        raise Http404("No such page.")
    return max(page, 1)


def canonical(request, path: str) -> str:
    return request.build_absolute_uri(path)


def or_404(obj):
    if obj is None:
        raise Http404("Not found.")
    return obj
