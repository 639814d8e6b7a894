"""Before the database holds R-CAT-3's one-live-request rule: requests that raced past it are merged.

Of the requests of one unit for one resource that are waiting or in force, the one in force (else the
oldest) is kept; each other one is closed as refused, saying why, so its history stays readable.
"""

from django.db import migrations
from django.utils import timezone

LIVE = ["pending", "approved", "granted"]


def merge(apps, schema_editor):
    ShareRequest = apps.get_model("catalogue", "ShareRequest")
    live = ShareRequest.objects.filter(state__in=LIVE).order_by("resource_id", "requester_id", "created_at", "id")
    groups: dict[tuple[int, int], list] = {}
    for request in live.only("id", "resource_id", "requester_id", "state"):
        groups.setdefault((request.resource_id, request.requester_id), []).append(request)
    now = timezone.now()
    for requests in groups.values():
        if len(requests) < 2:
            continue
        kept = next((r for r in requests if r.state != "pending"), requests[0])
        extra = [r.pk for r in requests if r.pk != kept.pk]
        ShareRequest.objects.filter(pk__in=extra).update(
            state="refused",
            answered_at=now,
            answer=f"重复申请（与第 {kept.pk} 号申请同时提交），已由系统合并到第 {kept.pk} 号申请。",
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_sharing_violations_and_aggregation")]

    operations = [migrations.RunPython(merge, migrations.RunPython.noop)]
