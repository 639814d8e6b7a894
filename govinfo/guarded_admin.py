"""django-guardian's object-permission pages, answering 404 to a key that cannot exist.

guardian looks the object up with the raw URL segment (``/admin/catalogue/resource/abc/permissions/``):
for an integer key that is a ValueError inside the query, a 500. Each key is converted first, as the
change page does; one that does not convert is a page that does not exist. The permissions page's
template drops guardian's empty inline ``<style>``, which the Content-Security-Policy refuses.
"""

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import Http404
from guardian.admin import GuardedModelAdmin


def _require_key(model, value) -> None:
    try:
        model._meta.pk.to_python(unquote(value))
    except (ValidationError, ValueError, TypeError):
        raise Http404 from None


class StrictGuardedModelAdmin(GuardedModelAdmin):
    obj_perms_manage_template = "admin/guardian/obj_perms_manage.html"

    def obj_perms_manage_view(self, request, object_pk):
        _require_key(self.model, object_pk)
        return super().obj_perms_manage_view(request, object_pk)

    def obj_perms_manage_user_view(self, request, object_pk, user_id):
        _require_key(self.model, object_pk)
        _require_key(get_user_model(), user_id)
        return super().obj_perms_manage_user_view(request, object_pk, user_id)

    def obj_perms_manage_group_view(self, request, object_pk, group_id):
        _require_key(self.model, object_pk)
        _require_key(Group, group_id)
        return super().obj_perms_manage_group_view(request, object_pk, group_id)
