"""The demo catalogue loads once, has every state a reviewer wants to see, and a second run adds nothing."""

from django.core.management import call_command

from catalogue.compliance import sharing_violations
from catalogue.conflicts import conflict_keys
from catalogue.models import Feedback, Resource, ShareRequest
from govinfo.audit.models import AuditEvent
from govinfo.orgs.models import Unit


def load():
    call_command("load_demo", stdout=open("/dev/null", "w"))


def counts():
    return (
        Resource.objects.count(),
        ShareRequest.objects.count(),
        Feedback.objects.count(),
        AuditEvent.objects.count(),
    )


def test_demo_catalogue_is_complete_and_idempotent(db):
    load()
    first = counts()
    assert first[0] == 30
    assert Resource.objects.filter(provider__name="四川省大数据中心").count() >= 7
    states = set(ShareRequest.objects.values_list("state", flat=True))
    assert states == {"pending", "approved", "refused", "granted"}
    assert ShareRequest.objects.overdue().count() == 1
    assert set(Resource.objects.values_list("state", flat=True)) == {
        "draft",
        "submitted",
        "published",
        "retired",
    }
    (conflict,) = conflict_keys()
    assert conflict["normalized_name"] == "身份证号码"
    # The overdue request waits on the Big-data centre, which files no projects: the demo units can submit.
    bigdata_unit = Unit.objects.get(short_name="省大数据中心")
    assert [v.rule for v in sharing_violations(bigdata_unit)] == ["R-CAT-3"]
    assert sharing_violations(Unit.objects.get(short_name="省卫生健康委")) == []
    load()
    assert counts() == first
