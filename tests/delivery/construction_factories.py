"""Projects after the 批复 for the tests, built through the services as the people would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from approvals import services as review_services
from approvals.evaluation import record_evaluation
from approvals.models import ReviewTask
from delivery import changes, filing
from delivery.models import ChangeReason, Procurement
from tests.approvals.review_factories import in_review, sign

WAN = Decimal(10000)


def approved(unit, clerk, signers, name="四川省测试业务系统", **kwargs):
    """Submitted, accepted, every open task signed, approved by NDRC (the 批复 issued)."""
    project = in_review(unit, clerk, signers["ndrc"], name=name, **kwargs)
    codes = ReviewTask.objects.filter(round__project=project, round__status="open").values_list(
        "agency__code", flat=True
    )
    for code in codes:
        sign(project, code, signers[code])
    project.refresh_from_db()
    # R-REV-4 (第二十四条): the 评估论证 is on record before any 批复.
    record_evaluation(
        project, by=signers["ndrc"], method="departments", note="经组织省级相关部门评估论证，同意。"
    )
    review_services.approve(project, by=signers["ndrc"])
    project.refresh_from_db()
    return project


def filed(project, bigdata, months=12):
    filing.file_project(project, by=bigdata, system_name=project.name, construction_months=months)
    project.refresh_from_db()
    return project


GOODS_TENDER = {
    "name": "服务器及存储设备采购",
    "subject": Procurement.Subject.GOODS,
    "method": Procurement.Method.OPEN_TENDER,
    "evaluation": Procurement.Evaluation.COMPREHENSIVE,
    "price_weight": 30,
    "amount": Decimal(300) * WAN,
    "supplier": "四川某科技有限公司",
    "is_om_service": False,
    "om_term_months": None,
    "om_budget_assured": False,
    "om_contract_per_year": False,
}


def ready_to_start(project, clerk, bigdata, months=12):
    project = filed(project, bigdata, months)
    filing.record_start_facts(
        project, by=clerk, responsible_person=project.lead_unit.head, supervisor_name="四川某工程监理有限公司"
    )
    filing.record_procurement(project, by=clerk, **GOODS_TENDER)
    return project


def in_construction(unit, clerk, signers, name="四川省测试业务系统", months=12, **kwargs):
    project = approved(unit, clerk, signers, name=name, **kwargs)
    project = ready_to_start(project, clerk, signers["bigdata"], months)
    filing.start_build(project, by=clerk, started_on=timezone.localdate())
    project.refresh_from_db()
    return project


def change(
    project, clerk, *, new_wan, adjusted_wan, reason=ChangeReason.OPTIMISATION, goals=True, done=False
):
    return changes.report_change(
        project,
        by=clerk,
        content="将数据交换子系统改为调用省级共享平台接口，节省自建费用用于移动端开发。",
        reason=reason,
        reason_detail="原方案与省级平台功能重复。",
        goals_unchanged=goals,
        new_total=Decimal(new_wan) * WAN,
        adjusted_amount=Decimal(adjusted_wan) * WAN,
        carried_out=done,
    )


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)
