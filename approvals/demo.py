"""Review demo data, run after projects' demo and built on its submitted and returned projects.

Every acceptance opens the seven tasks of 第二十二条 (R-REV-1): 省委网信办, 省保密局, 省密码管理局,
省经济和信息化厅, 省公安厅, 省财政厅, 省大数据中心.

- 四川省智慧教育公共服务平台 (unit-a): in review, tasks in each state — 省财政厅 signed (原则同意),
  省委网信办 drafted, 省大数据中心 overdue, the others open.
- 四川省教育考试安全监管系统 (unit-a): resubmitted, reviewed, returned by 省委网信办 and resubmitted:
  round 2 open, round 1 with its opinions on record.
- 四川省全民健康信息平台（二期） (unit-b, two steps): all seven opinions signed, an expert's evaluation in —
  NDRC's next step is to record the 评估论证 (R-REV-4) and issue the 可研 批复.
- 四川省医疗机构电子证照应用 (unit-b): all seven opinions signed, evaluated by a third-party institution
  (its report on record), approved: its 审核意见书 and 批复 issued.

Idempotent: a project that already has a review round is left alone, so a second run adds nothing
and issues no second document. On a demo database made before the seven agencies were required
(orgs migration 0004), NDRC adds the missing agencies to the rounds still open (R-REV-1) and, for the
project waiting in 评估论证, they sign, so the demo stays consistent; decided rounds are history and stay.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from govinfo.orgs.agencies import ARTICLE_22_AGENCIES
from govinfo.orgs.models import Agency
from govinfo.workdays.days import add_working_days
from projects import services as project_services
from projects.demo import tiny_pdf
from projects.models import Project, State

from . import evaluation, services
from .models import Conclusion, Evaluation, ReviewRound, ReviewTask

OPINIONS = {
    "finance": (
        "项目资金来源基本明确，投资估算依据较充分。",
        "年度运行维护经费纳入部门预算统筹保障，不得另行申请同类经费。",
    ),
    "cyberspace": ("网络安全等级保护和数据安全方案基本可行。", ""),
    "secrecy": ("项目不涉及国家秘密信息处理，保密管理要求明确。", ""),
    "crypto": (
        "密码应用方案符合商用密码应用安全性评估要求，软硬件产品安全可靠情况说明清楚。",
        "系统上线前完成商用密码应用安全性评估，评估结果报省密码管理局备案。",
    ),
    "econit": ("信息安全防护措施与工业和信息化领域有关要求相衔接。", ""),
    "police": ("等级保护定级合理，安全建设方案符合第三级要求。", ""),
    "bigdata": (
        "系统依托省级政务云部署，接入省一体化政务数据共享交换平台。",
        "按目录规范完善信息资源目录，新增数据项在共享平台同步发布。",
    ),
}


# Agency code → demo login of its signer.
LOGINS = {code: code for code in ARTICLE_22_AGENCIES} | {"econit": "miit"}


def _users() -> dict:
    User = get_user_model()
    names = ["unit-a", "unit-b", "ndrc", *LOGINS.values(), "expert"]
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    # The seven agencies' signers, by agency code (经信厅's login is ``miit``).
    return {**users, **{code: users[login] for code, login in LOGINS.items() if login in users}}


def _project(name: str) -> Project | None:
    project = Project.objects.filter(name=name).first()
    if project is None or ReviewRound.objects.filter(project=project).exists():
        return None  # not in projects' demo, or already reviewed by an earlier run
    return project


def _task(project: Project, code: str) -> ReviewTask:
    return ReviewTask.objects.get(round__project=project, round__status="open", agency__code=code)


def _draft(project, code, people, conclusion=None):
    text, conditions = OPINIONS[code]
    if conclusion is None:
        conclusion = Conclusion.AGREE_WITH_CHANGES if conditions else Conclusion.AGREE
    return services.save_draft(
        _task(project, code), by=people[code], conclusion=conclusion, text=text, conditions=conditions
    )


def _sign(project, code, people, conclusion=None):
    return services.sign_opinion(_draft(project, code, people, conclusion), by=people[code])


def _resubmit(project: Project, clerk) -> Project:
    if project.state == State.RETURNED:
        project_services.update_section(
            project,
            by=clerk,
            section="basic",
            changes={"performance_goals": project.performance_goals + "（已按审核意见补充量化指标。）"},
        )
    return project_services.submit(project, by=clerk)


WAITING_IN_EVALUATION = "四川省全民健康信息平台（二期）"
REJECTED = "四川省中医药综合管理平台"
DEMO_PROJECTS = [
    "四川省智慧教育公共服务平台",
    "四川省教育考试安全监管系统",
    WAITING_IN_EVALUATION,
    "四川省医疗机构电子证照应用",
]


def _consult_every_required_agency(people) -> None:
    """Open demo rounds opened before an agency became required get its task (and, while the project waits
    in 评估论证, its signed opinion); nothing happens when every required agency is there."""
    rounds = ReviewRound.objects.filter(status="open", project__name__in=DEMO_PROJECTS).select_related(
        "project"
    )
    for round in rounds:
        present = set(round.tasks.values_list("agency__code", flat=True))
        for code in ARTICLE_22_AGENCIES:
            if code in present or code not in people:
                continue
            services.add_agency(round, Agency.objects.get(code=code), by=people["ndrc"])
            if round.project.name == WAITING_IN_EVALUATION:
                _sign(round.project, code, people)


def load(context) -> None:
    people = _users()
    ndrc = people["ndrc"]
    _consult_every_required_agency(people)

    project = _project("四川省智慧教育公共服务平台")
    if project is not None and project.state == State.SUBMITTED:
        services.accept_into_review(project, by=ndrc)
        _sign(project, "finance", people)
        _draft(project, "cyberspace", people)
        # The case was accepted weeks ago in the story: the Big-data centre's task is past its due date.
        overdue = add_working_days(_task(project, "bigdata").due_date, -8)
        ReviewTask.objects.filter(pk=_task(project, "bigdata").pk).update(due_date=overdue)

    project = _project("四川省教育考试安全监管系统")
    if project is not None and project.state in (State.RETURNED, State.SUBMITTED):
        _resubmit(project, people["unit-a"])
        services.accept_into_review(project, by=ndrc)
        _sign(project, "finance", people)
        _sign(project, "cyberspace", people, Conclusion.DISAGREE)
        services.return_application(
            project,
            by=people["cyberspace"],
            reason="考试数据属于重要数据，请补充数据安全风险评估和密码应用方案的具体措施。",
        )
        _resubmit(project, people["unit-a"])
        services.accept_into_review(project, by=ndrc)

    project = _project(WAITING_IN_EVALUATION)
    if project is not None and project.state == State.SUBMITTED:
        services.accept_into_review(project, by=ndrc)
        invitation = services.invite_expert(project, people["expert"], by=ndrc)
        for code in ARTICLE_22_AGENCIES:
            _sign(project, code, people)
        services.submit_expert_opinion(
            invitation,
            by=people["expert"],
            recommendation=Conclusion.AGREE_WITH_CHANGES,
            opinion="技术路线可行；建议分期建设，一期优先完成全民健康信息共享交换。",
        )

    # A 不予批复 (R-REV-6): every agency signed, the Big-data centre disagreeing; NDRC rejects with its letter.
    project = _project(REJECTED)
    if project is not None and project.state == State.SUBMITTED:
        services.accept_into_review(project, by=ndrc)
        for code in ARTICLE_22_AGENCIES:
            conclusion = Conclusion.DISAGREE if code == "bigdata" else None
            _sign(project, code, people, conclusion)
        project.refresh_from_db()
        services.reject(
            project,
            by=ndrc,
            reason="建设内容与省中医药管理局已建系统高度重复，且未说明与省级平台的整合方案。",
        )

    project = _project("四川省医疗机构电子证照应用")
    if project is not None and project.state in (State.RETURNED, State.SUBMITTED):
        _resubmit(project, people["unit-b"])
        services.accept_into_review(project, by=ndrc)
        for code in ARTICLE_22_AGENCIES:
            _sign(project, code, people)
        project.refresh_from_db()
        report = SimpleUploadedFile(
            "评估报告.pdf", tiny_pdf("evaluation report"), content_type="application/pdf"
        )
        evaluation.record_evaluation(
            project,
            by=ndrc,
            method=Evaluation.Method.THIRD_PARTY,
            institution="四川省工程咨询研究院",
            report=report,
            note="建设内容和投资估算基本合理，建议加强电子证照跨部门互认。",
        )
        services.approve(project, by=ndrc)
