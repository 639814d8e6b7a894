"""The review demo data: every task state, a second round, an approval with its documents; idempotent."""

from io import StringIO

from django.core.management import call_command

from approvals.models import IssuedDocument, Opinion, ReviewRound, ReviewTask
from projects.models import Project, State


def _counts():
    return (
        ReviewRound.objects.count(),
        ReviewTask.objects.count(),
        Opinion.objects.count(),
        IssuedDocument.objects.count(),
    )


def test_review_demo_covers_every_state_and_a_second_run_adds_nothing(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())
    first = _counts()

    joint = Project.objects.get(name="四川省智慧教育公共服务平台")
    tasks = {
        t.agency.code: t for t in ReviewTask.objects.filter(round__project=joint).select_related("agency")
    }
    assert tasks["finance"].status == "signed"
    assert tasks["cyberspace"].opinions.get().status == "draft"
    assert tasks["bigdata"].is_overdue
    assert tasks["ndrc"].status == "open" and not tasks["ndrc"].is_overdue

    returned = Project.objects.get(name="四川省教育考试安全监管系统")
    assert list(returned.review_rounds.order_by("number").values_list("number", "status")) == [
        (1, "returned"),
        (2, "open"),
    ]
    assert Project.objects.get(name="四川省全民健康信息平台（二期）").state == State.EVALUATION
    approved = Project.objects.get(name="四川省医疗机构电子证照应用")
    assert approved.state == State.APPROVED
    assert approved.review_rounds.get().decision_document.kind == IssuedDocument.Kind.APPROVAL

    call_command("load_demo", stdout=StringIO())
    assert _counts() == first
