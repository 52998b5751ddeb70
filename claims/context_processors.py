"""What every reader page shows of the deployment: the site's name and tagline (settings)."""

from django.conf import settings


def site(request):
    return {"site_name": settings.FACTCHECK_SITE_NAME, "site_tagline": settings.FACTCHECK_SITE_TAGLINE}
