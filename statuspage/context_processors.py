from django.conf import settings


def site(request) -> dict:
    return {"site_name": settings.STATUS_PAGE["name"], "site_url": settings.SITE_URL}
