"""Project-level error handlers: never a traceback, and a 503 (not a 500) when the database is down."""

import sys

from django.views.decorators.csrf import requires_csrf_token

from factcheck.middleware import database_unavailable_response, error_response, is_database_down


@requires_csrf_token
def server_error(request, *args, **kwargs):
    """handler500: errors raised outside a view (e.g. saving the session after it) end up here."""
    if is_database_down(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return error_response(
        request, status=500, title="Server error", detail="Something went wrong on our side; it has been logged."
    )
