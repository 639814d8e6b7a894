from django.conf import settings

from govinfo.orgs import roles

from . import nav


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_name": settings.GOVINFO_ORG_NAME}
    return {
        "site_name": settings.GOVINFO_ORG_NAME,
        "nav_items": nav.for_user(user, request.path),
        "role_labels": roles.role_labels(user),
    }
