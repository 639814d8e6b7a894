"""The review demo data: every task state, a second round, an approval with its documents; idempotent."""

from io import StringIO

from django.core.management import call_command

from approvals.models import Evaluation, IssuedDocument, Opinion, ReviewRound, ReviewTask
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
    # R-REV-1: the seven agencies of 第二十二条; NDRC writes no opinion to itself.
    assert set(tasks) == {"cyberspace", "secrecy", "crypto", "econit", "police", "finance", "bigdata"}
    assert tasks["police"].status == "open" and not tasks["police"].is_overdue

    returned = Project.objects.get(name="四川省教育考试安全监管系统")
    assert list(returned.review_rounds.order_by("number").values_list("number", "status")) == [
        (1, "returned"),
        (2, "open"),
    ]
    waiting = Project.objects.get(name="四川省全民健康信息平台（二期）")
    assert waiting.state == State.EVALUATION
    assert set(ReviewTask.objects.filter(round__project=waiting).values_list("status", flat=True)) == {
        "signed"
    }
    assert not Evaluation.objects.filter(round__project=waiting).exists()  # NDRC's next step (R-REV-4)
    approved = Project.objects.get(name="四川省医疗机构电子证照应用")
    assert approved.state == State.APPROVED
    round = approved.review_rounds.get()
    assert round.decision_document.kind == IssuedDocument.Kind.APPROVAL
    # The approved demo project had all seven opinions signed and a third-party evaluation with its report.
    signed = ReviewTask.objects.filter(round=round, status="signed").values_list("agency__code", flat=True)
    assert len(set(signed)) == 7 and round.tasks.count() == 7
    evaluation = round.evaluations.get()
    assert evaluation.method == "third_party" and evaluation.report_sha256

    call_command("load_demo", stdout=StringIO())
    assert _counts() == first
