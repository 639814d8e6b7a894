"""Demo cases between the 批复 and trial operation, made through the services (real grants, events, documents).

Runs after approvals' demo, which leaves 四川省医疗机构电子证照应用 approved (waiting for the 省大数据中心's
filing). Four more projects are taken from submission through review to the 批复 and on:

- 四川省基层医疗卫生机构管理信息系统 (unit-b): **filed** — waiting for the unit's start (责任人, 监理, 采购).
- 四川省教育督导业务管理平台 (unit-a): **in construction**, with procurements (a goods tender at 30 %, a
  services 磋商 at 10 %, a three-year O&M service), a **报备** change (technical optimisation, effective,
  not yet read by NDRC) and a **pending change application** (the total rises above the 批复).
- 四川省疾病预防控制综合信息系统 (unit-b): a rectification order past its deadline, then **suspended** by NDRC.
- 四川省校园食品安全智慧监管系统 (unit-a): the unit's termination application, submitted to the 领导小组,
  consent recorded: **terminated**.

Idempotent: a project that exists is left alone, so a second run adds nothing and issues no document.
It runs before the acceptance-and-evaluation demo (``delivery.demo``), whose failed acceptance bars unit-b
from new projects (R-APP-4): the unit-b projects here are applied for before that.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals import services as review_services
from approvals.evaluation import record_evaluation
from approvals.models import ReviewTask
from catalogue.models import Resource
from govinfo.orgs.models import Membership, Role
from projects import services as project_services
from projects.checks import required_material_kinds
from projects.demo import COMPLETE, tiny_pdf
from projects.models import MaterialKind, Project, ProjectResource

from . import changes, filing, supervision
from .models import ChangeReason, Procurement, Rectification, SupervisionBasis

WAN = Decimal(10000)

# key, lead unit, name, total investment (万元), a published resource of the unit the project uses
PROJECTS = [
    ("filed", "unit-b", "四川省基层医疗卫生机构管理信息系统", 800, "302101002/0001"),
    ("building", "unit-a", "四川省教育督导业务管理平台", 1200, "301101002/0001"),
    ("suspended", "unit-b", "四川省疾病预防控制综合信息系统", 1600, "302101002/0001"),
    ("terminated", "unit-a", "四川省校园食品安全智慧监管系统", 900, "301101002/0001"),
]
SUPERVISOR = "四川省信息化工程监理有限公司"

PROCUREMENTS = [
    {
        "name": "政务云资源租用及安全设备采购",
        "subject": Procurement.Subject.GOODS,
        "method": Procurement.Method.OPEN_TENDER,
        "evaluation": Procurement.Evaluation.COMPREHENSIVE,
        "price_weight": 30,
        "share": Decimal("0.25"),
        "supplier": "四川天府数据科技有限公司",
        "is_om_service": False,
    },
    {
        "name": "应用系统开发服务",
        "subject": Procurement.Subject.SERVICES,
        "method": Procurement.Method.CONSULTATION,
        "evaluation": "",
        "price_weight": 10,
        "share": Decimal("0.55"),
        "supplier": "成都蜀信软件股份有限公司",
        "is_om_service": False,
    },
    {
        "name": "系统运行维护服务（三年）",
        "subject": Procurement.Subject.SERVICES,
        "method": Procurement.Method.CONSULTATION,
        "evaluation": "",
        "price_weight": 10,
        "share": Decimal("0.08"),
        "supplier": "成都蜀信软件股份有限公司",
        "is_om_service": True,
        "om_term_months": 36,
        "om_budget_assured": True,
        "om_contract_per_year": True,
    },
]


def _people() -> dict:
    User = get_user_model()
    names = ["unit-a", "unit-b", "ndrc", "bigdata"]
    return {user.username: user for user in User.objects.filter(username__in=names)}


def _signer_of(agency):
    membership = (
        Membership.objects.active().filter(agency=agency, role=Role.SIGNER).select_related("user").first()
    )
    return membership.user if membership else None


def _approved(unit, clerk, ndrc, name: str, investment_wan: int, resource_code: str) -> Project:
    """Through the application and the review as the people would: submit, accept, every agency signs, 批复."""
    project = project_services.create_project(unit=unit, by=clerk, name=name)
    project_services.update_section(
        project,
        by=clerk,
        section="basic",
        changes={**COMPLETE, "total_investment": Decimal(investment_wan) * WAN},
    )
    for kind in required_material_kinds(project):
        label = MaterialKind(kind).label
        upload = SimpleUploadedFile(f"{label}.pdf", tiny_pdf(kind), content_type="application/pdf")
        project_services.upload_material(project, by=clerk, kind=kind, upload=upload)
    project_services.link_resource(
        project,
        by=clerk,
        resource=Resource.objects.get(code=resource_code),
        relation=ProjectResource.Relation.USED,
    )
    project_services.submit(project, by=clerk)
    review_services.accept_into_review(project, by=ndrc)
    tasks = ReviewTask.objects.filter(round__project=project, round__status="open").select_related("agency")
    for task in tasks:
        signer = _signer_of(task.agency)
        opinion = review_services.save_draft(
            task, by=signer, conclusion="agree", text="经审核，同意该项目建设方案。", conditions=""
        )
        review_services.sign_opinion(opinion, by=signer)
    project.refresh_from_db()
    # R-REV-4 (第二十四条): the 评估论证 is on record before any 批复.
    record_evaluation(project, by=ndrc, method="departments", note="经组织省级相关部门评估论证，同意。")
    review_services.approve(project, by=ndrc)
    project.refresh_from_db()
    return project


def _started(project: Project, clerk, people) -> Project:
    filing.file_project(project, by=people["bigdata"], system_name=project.name, construction_months=18)
    project.refresh_from_db()
    filing.record_start_facts(
        project,
        by=clerk,
        responsible_person=project.lead_unit.head,
        supervisor_name=SUPERVISOR,
        supervisor_contact="刘工 028-86000000",
    )
    total = project.total_investment
    for row in PROCUREMENTS:
        facts = {key: value for key, value in row.items() if key != "share"}
        facts.setdefault("om_term_months", None)
        facts.setdefault("om_budget_assured", False)
        facts.setdefault("om_contract_per_year", False)
        filing.record_procurement(
            project, by=clerk, amount=(total * row["share"]).quantize(Decimal("0.01")), **facts
        )
    filing.start_build(project, by=clerk, started_on=timezone.localdate())
    project.refresh_from_db()
    return project


def load(context) -> None:
    people = _people()
    units = context["units"]
    ndrc = people["ndrc"]
    for key, unit_key, name, investment_wan, resource_code in PROJECTS:
        unit = units[unit_key]
        if Project.objects.filter(lead_unit=unit, name=name).exists():
            continue
        clerk = people[unit_key]
        project = _approved(unit, clerk, ndrc, name, investment_wan, resource_code)
        if key == "filed":
            filing.file_project(project, by=people["bigdata"], system_name=name, construction_months=12)
            continue
        project = _started(project, clerk, people)
        if key == "building":
            changes.report_change(
                project,
                by=clerk,
                content="督导数据采集改为调用省一体化政务数据共享交换平台接口，节省的自建接口费用用于督导移动端开发。",
                reason=ChangeReason.OPTIMISATION,
                reason_detail="原方案自建数据交换接口与省级共享平台功能重复，按集约化要求优化技术方案。",
                goals_unchanged=True,
                new_total=project.total_investment,
                adjusted_amount=Decimal(80) * WAN,
            )
            changes.report_change(
                project,
                by=clerk,
                content="新增市（州）督导数据对接模块，覆盖21个市（州）教育督导部门。",
                reason=ChangeReason.DEPLOYMENT,
                reason_detail="根据省委、省政府关于教育督导体制机制改革的部署，需与市（州）督导系统贯通。",
                goals_unchanged=True,
                new_total=Decimal(1350) * WAN,
                adjusted_amount=Decimal(150) * WAN,
            )
        elif key == "suspended":
            order = supervision.order_rectification(
                project,
                by=ndrc,
                basis=SupervisionBasis.PROGRESS,
                issues="核心业务子系统开发进度严重滞后于实施计划，监理月报连续三个月预警，请制定赶工计划并落实。",
                working_days=10,
            )
            # In the story the order is weeks old: its deadline has passed without a report.
            overdue = timezone.localdate() - dt.timedelta(days=5)
            Rectification.objects.filter(pk=order.pk).update(due_date=overdue, due_working_days=None)
            supervision.suspend(
                project,
                by=ndrc,
                basis=SupervisionBasis.NOT_RECTIFIED,
                reason="限期整改逾期未整改，依据川办法第四十七条暂停项目建设，整改到位后申请恢复。",
            )
        elif key == "terminated":
            request = supervision.apply_termination(
                project,
                by=clerk,
                progress="已完成学校食堂基础信息采集和“明厨亮灶”视频接入一期建设，投入资金约300万元。",
                reason="国家统一部署全国校园食品安全监管平台，本项目主要功能由国家平台覆盖，继续建设将重复投资。",
            )
            supervision.submit_termination(request, by=ndrc, note="经核实情况属实，建议终止。")
            supervision.terminate(
                project, by=ndrc, doc_number="川信领办〔2026〕5号", date=timezone.localdate()
            )
