from django.conf import settings

from govinfo.orgs import roles

from . import nav


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"platform_name": settings.GOVINFO_ORG_NAME}
    return {
        "platform_name": settings.GOVINFO_ORG_NAME,
        "nav_items": nav.for_user(user, request.path),
        "role_labels": roles.role_labels(user),
    }
