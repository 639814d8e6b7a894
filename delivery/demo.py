"""Demo projects in the states after construction: trial operation, acceptance review, acceptance failed,
in operation, self-evaluated and evaluated — each applied for, reviewed and approved through the
services, then taken on through the services of this app. Runs after approvals' demo.

- 四川省教育统计分析平台 (unit-a): trial operation for 4 months, five of the seven materials uploaded
  (the page names the two missing, R-ACC-2), this year's monitoring report filed. The browser journey
  takes it through a failed and a passed acceptance.
- 四川省妇幼健康服务信息系统 (unit-b): acceptance under review, the demo expert invited.
- 四川省卫生健康统计直报系统 (unit-b): acceptance failed with rectification items — so unit-b is barred
  from new projects (R-APP-4), as its unit page and any submission show.
- 四川省学前教育管理信息系统 (unit-a): failed once, rectified, accepted two months ago and 报备.
- 四川省中小学校舍安全管理系统 (unit-a): accepted 14 months ago, self-evaluated; Finance has ordered a
  post-evaluation by experts.
- 四川省医疗保障公共服务平台 (unit-b): evaluated — its post-evaluation on unit-b's record.

Dates in the story (accepted months ago) are set on the recorded facts after the step, as approvals' demo
moves a task's due date. Idempotent: a project that exists is left alone.

FOR THE LEAD AT MERGE: ``_into_construction`` performs the ``file`` and ``start_build`` rows when they are
registered; until then it sets the state with a queryset update (a stand-in). Switch it to the filing and
construction-start services (with their responsible person, 监理 unit and procurement facts).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals import services as review_services
from approvals.evaluation import record_evaluation
from approvals.models import Conclusion, ReviewTask
from catalogue.models import Resource
from projects import services as project_services
from projects.checks import required_material_kinds
from projects.demo import COMPLETE, tiny_pdf
from projects.models import Project, ProjectResource, State

from . import acceptance, evaluation, filing, monitoring
from .construction_demo import _signer_of
from .dates import add_months
from .models import REQUIRED_MATERIALS, Acceptance, AcceptanceMaterialKind, Procurement

WAN = Decimal(10000)
REVIEWERS = ["ndrc", "finance", "cyberspace", "bigdata"]

# key, unit, name, investment (万元), target state
DEMO = [
    ("trial", "unit-a", "四川省教育统计分析平台", 680, State.TRIAL_OPERATION),
    ("reviewing", "unit-b", "四川省妇幼健康服务信息系统", 920, State.ACCEPTANCE_REVIEW),
    ("operating", "unit-a", "四川省学前教育管理信息系统", 760, State.IN_OPERATION),
    ("self_evaluated", "unit-a", "四川省中小学校舍安全管理系统", 1100, State.SELF_EVALUATED),
    ("evaluated", "unit-b", "四川省医疗保障公共服务平台", 1500, State.EVALUATED),
    # Last: from here on unit-b is barred from new projects (R-APP-4) until this one passes.
    ("failed", "unit-b", "四川省卫生健康统计直报系统", 450, State.ACCEPTANCE_FAILED),
]
USED_RESOURCE = "111111001/0001"  # 人口基础信息 (published): used, so no produced data is owed (R-CAT-1)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, tiny_pdf(name.encode("ascii", "ignore").decode() or "demo"), "application/pdf"
    )


def _approved(unit, clerk, name: str, investment_wan: int, people) -> Project:
    project = project_services.create_project(unit=unit, by=clerk, name=name)
    project_services.update_section(
        project,
        by=clerk,
        section="basic",
        changes={**COMPLETE, "total_investment": Decimal(investment_wan) * WAN},
    )
    for kind in required_material_kinds(project):
        project_services.upload_material(project, by=clerk, kind=kind, upload=_pdf(f"{kind}.pdf"))
    resource = Resource.objects.filter(code=USED_RESOURCE).first()
    if resource is not None:
        project_services.link_resource(
            project, by=clerk, resource=resource, relation=ProjectResource.Relation.USED
        )
    project_services.submit(project, by=clerk)
    review_services.accept_into_review(project, by=people["ndrc"])
    # Every agency the round asked (the seven of 第二十二条) signs through its own signer.
    tasks = ReviewTask.objects.filter(round__project=project, round__status="open").select_related("agency")
    for task in tasks:
        signer = _signer_of(task.agency)
        draft = review_services.save_draft(
            task, by=signer, conclusion=Conclusion.AGREE, text="经审核，同意该项目建设方案。"
        )
        review_services.sign_opinion(draft, by=signer)
    project.refresh_from_db()
    # R-REV-4 (第二十四条): the 评估论证 is on record before any 批复.
    record_evaluation(
        project, by=people["ndrc"], method="departments", note="经组织省级相关部门评估论证，同意。"
    )
    review_services.approve(project, by=people["ndrc"])
    project.refresh_from_db()
    return project


def _into_construction(project: Project, clerk, people) -> Project:
    """approved → filed → in_construction, through the filing and construction-start services."""
    filing.file_project(project, by=people["bigdata"], system_name=project.name, construction_months=10)
    project.refresh_from_db()
    filing.record_start_facts(
        project,
        by=clerk,
        responsible_person=project.lead_unit.head,
        supervisor_name="四川华信工程监理有限公司",
    )
    filing.record_procurement(
        project,
        by=clerk,
        name="服务器及存储设备采购",
        subject=Procurement.Subject.GOODS,
        method=Procurement.Method.OPEN_TENDER,
        evaluation=Procurement.Evaluation.COMPREHENSIVE,
        price_weight=30,
        amount=Decimal(300) * WAN,
        supplier="四川某科技有限公司",
        is_om_service=False,
        om_term_months=None,
        om_budget_assured=False,
        om_contract_per_year=False,
    )
    filing.start_build(project, by=clerk, started_on=timezone.localdate())
    project.refresh_from_db()
    return project


def _report(project: Project, clerk) -> None:
    monitoring.file_report(
        project,
        by=clerk,
        year=timezone.localdate().year,
        progress="完成需求分析、系统设计和主体功能开发，正在开展联调测试。",
        fund_execution="年度资金计划执行率62%，支付进度与合同约定一致。",
        user_unit_name="四川省教育考试院" if "教育" in project.name else "四川省疾病预防控制中心",
        user_unit_opinion="主要功能满足业务需要，建议优化统计报表导出。",
        supervisor_name="四川华信工程监理有限公司",
        supervisor_opinion="工程进度和质量总体受控，文档资料齐全。",
        trial_results="试运行期间系统运行平稳，日均访问1.2万人次。"
        if project.state == State.TRIAL_OPERATION
        else "",
    )


def _trial(project: Project, clerk, months_ago: int) -> None:
    acceptance.start_trial(
        project,
        by=clerk,
        started_on=add_months(timezone.localdate(), -months_ago),
        completion_note="已完成批复的全部建设内容，通过项目单位组织的初步验收。",
    )


def _upload(project: Project, clerk, kinds) -> None:
    for kind in kinds:
        label = AcceptanceMaterialKind(kind).label
        acceptance.upload_material(project, by=clerk, kind=kind, upload=_pdf(f"{label}.pdf"))


def _accepted(project: Project, clerk, people, *, months_ago: int, fail_first: bool = False) -> Acceptance:
    _trial(project, clerk, months_ago + 4)
    _upload(project, clerk, REQUIRED_MATERIALS)
    acceptance.apply(project, by=clerk, note="试运行3个月以上，运行正常，验收资料齐全。")
    if fail_first:
        acceptance.fail_acceptance(
            project,
            by=people["ndrc"],
            items="补充第三方测评报告中的并发性能测试。\n完善数据安全风险评估报告。",
        )
        _upload(project, clerk, [AcceptanceMaterialKind.TESTING, AcceptanceMaterialKind.SECURITY])
        acceptance.reapply(
            project, by=clerk, rectification_report="已补充并发性能测试，完善数据安全风险评估。"
        )
    acceptance.record_method(
        project, by=people["ndrc"], method="departments", departments="省大数据中心、省委网信办"
    )
    passed = acceptance.pass_acceptance(
        project, by=people["ndrc"], opinion="系统运行稳定，达到批复的建设目标。"
    )
    acceptance.report_to_office(project, by=clerk, note="已通过平台报备验收情况。")
    Acceptance.objects.filter(pk=passed.pk).update(decided_on=add_months(timezone.localdate(), -months_ago))
    project.refresh_from_db()
    return passed


def _self_evaluate(project: Project, clerk) -> None:
    evaluation.self_evaluate(
        project,
        by=clerk,
        goals_achieved="绩效目标基本实现：业务网上办理率96%，数据共享接口平均响应0.6秒。",
        resource_use="政务云资源利用率约70%；向省共享平台提供3类数据资源，月均调用4万次。",
        security="通过等级保护第三级测评和密码应用安全性评估，未发生安全事件。",
        problems="部分市（州）使用率偏低，将加强培训推广。",
    )


def _build(key: str, project: Project, clerk, people) -> None:
    _into_construction(project, clerk, people)
    if key == "trial":
        _trial(project, clerk, 4)
        _report(project, clerk)
        _upload(project, clerk, REQUIRED_MATERIALS[:5])
    elif key == "reviewing":
        _report(project, clerk)
        _trial(project, clerk, 5)
        _upload(project, clerk, REQUIRED_MATERIALS)
        acceptance.apply(project, by=clerk, note="试运行5个月，运行正常。")
        acceptance.invite_expert(project, people["expert"], by=people["ndrc"])
    elif key == "failed":
        _trial(project, clerk, 6)
        _upload(project, clerk, REQUIRED_MATERIALS)
        acceptance.apply(project, by=clerk)
        acceptance.fail_acceptance(
            project,
            by=people["ndrc"],
            items="信息资源共享报告未反映直报数据向省共享平台的共享情况，请补充。\n"
            "密码应用安全性评估报告结论为“基本符合”，请完成整改后重新评估。",
            rectify_by=timezone.localdate() + dt.timedelta(days=60),
        )
    elif key == "operating":
        _accepted(project, clerk, people, months_ago=2, fail_first=True)
    elif key == "self_evaluated":
        _accepted(project, clerk, people, months_ago=14)
        _self_evaluate(project, clerk)
        evaluation.order_post_evaluation(
            project,
            by=people["finance"],
            method="experts",
            evaluator="王教授（电子科技大学）、刘高工（省信息中心）",
        )
    elif key == "evaluated":
        _accepted(project, clerk, people, months_ago=20)
        _self_evaluate(project, clerk)
        evaluation.order_post_evaluation(
            project, by=people["ndrc"], method="third_party", evaluator="四川省工程咨询研究院"
        )
        evaluation.record_post_evaluation(
            project,
            by=people["ndrc"],
            rating="good",
            conclusion="项目建设目标基本实现，信息共享成效明显；运维成本略高于预期。",
            funding_advice="下一年度运维经费按核定标准的90%安排，结余部分用于数据治理。",
            report=_pdf("post_evaluation.pdf"),
        )


def load(context) -> None:
    User = get_user_model()
    usernames = ["unit-a", "unit-b", *REVIEWERS, "expert"]
    people = {user.username: user for user in User.objects.filter(username__in=usernames)}
    units = context["units"]
    for key, unit_key, name, investment_wan, _target in DEMO:
        unit = units[unit_key]
        if Project.objects.filter(lead_unit=unit, name=name).exists():
            continue
        clerk = people[unit_key]
        project = _approved(unit, clerk, name, investment_wan, people)
        _build(key, project, clerk, people)
