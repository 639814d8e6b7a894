from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("审查与批复")

    def ready(self) -> None:
        from govinfo.audit import actions, cases
        from govinfo.documents import access
        from govinfo.home import nav, todo
        from govinfo.orgs.models import Role
        from projects import page_links

        from . import (
            document_access,
            exports,  # noqa: F401  registers the opinions exporter and the project register's columns
            lifecycle,  # noqa: F401  registers the review's rows of the lifecycle table
        )
        from .todo import review_todo

        page_links.register(review_page_link)
        page_links.register(decision_document_links)
        actions.register("approvals.round.opened", _("受理并启动会签审查"))
        actions.register("approvals.task.added", _("增派审核机构"))
        actions.register("approvals.task.assigned", _("分派审核任务"))
        actions.register("approvals.opinion.drafted", _("起草审核意见"))
        actions.register("approvals.opinion.signed", _("签署审核意见"))
        actions.register("approvals.round.returned", _("退回修改（本轮审查结束）"))
        actions.register("approvals.project.to_evaluation", _("审核意见齐备，进入评估论证"))
        actions.register("approvals.expert.invited", _("邀请专家评估"))
        actions.register("approvals.expert.submitted", _("提交专家评估意见"))
        actions.register("approvals.evaluation.recorded", _("记录评估论证"))
        actions.register("approvals.evaluation.report_downloaded", _("下载评估报告"))
        actions.register("approvals.government_review.flagged", _("标记报省政府审定"))
        actions.register("approvals.government_review.cleared", _("撤销报省政府审定标记"))
        actions.register("approvals.government_consent.recorded", _("记录省政府同意情况"))
        actions.register("approvals.project.approved", _("批复"))
        actions.register("approvals.project.rejected", _("不予批复"))
        actions.register("approvals.decision.drafted", _("修改决定文稿"))
        nav.register(
            nav.NavEntry(
                _("审核任务"),
                "approvals:tasks",
                nav.with_role(Role.REVIEWER, Role.SIGNER),
                order=30,
                match_prefix="/review/tasks/",
            )
        )
        nav.register(
            nav.NavEntry(
                _("审查项目"),
                "approvals:projects",
                nav.with_role(Role.REVIEWER, Role.SIGNER, Role.AUDITOR, Role.EXPERT, Role.APPLICANT),
                order=35,
                match_prefix="/review/projects/",
            )
        )
        todo.register(review_todo)
        access.register_access(document_access.follows_review, visible=document_access.review_documents)
        cases.register("approvals.ReviewRound", lambda round: round.project)
        cases.register("approvals.ReviewTask", lambda task: task.round.project)
        cases.register("approvals.Opinion", lambda opinion: opinion.task.round.project)
        cases.register("approvals.ExpertInvitation", lambda invitation: invitation.round.project)
        register_overdue()


def review_page_link(user, project):
    """The project page's way into its review: opinions once signed, the 批复 and other documents."""
    from django.urls import reverse

    from projects import page_links

    from .permissions import review_role

    if not project.review_rounds.exists() or not review_role(user, project):
        return []
    return [page_links.PageLink(str(_("审查与批复")), reverse("approvals:project", args=[project.pk]))]


def decision_document_links(user, project):
    """The decision documents on the project page — 批复, 不予批复函 — for whoever follows the review (the
    unit first of all); the agencies' 审核意见书 stay on the review page."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from govinfo.formats import display_date
    from projects import page_links

    from .models import ReviewRound, ReviewStage
    from .permissions import review_role

    rounds = list(
        ReviewRound.objects.filter(project=project, decision_document__isnull=False)
        # 验收意见 of acceptance rounds are linked by delivery's acceptance part, once.
        .exclude(stage=ReviewStage.ACCEPTANCE)
        .select_related("decision_document")
        .order_by("closed_at", "id")
    )
    if not rounds or not review_role(user, project):
        return []
    return [
        page_links.PageLink(
            f"{round.decision_document.get_kind_display()} {round.decision_document.doc_number}",
            reverse("documents:download", args=[round.decision_document.pk]),
            note=gettext("%(title)s（%(date)s）")
            % {
                "title": round.decision_document.title,
                "date": display_date(round.decision_document.issue_date),
            },
        )
        for round in rounds
    ]


def register_overdue():
    """The review's deadlines on the auditor's dashboard: agency tasks and expert evaluations past due."""
    from govinfo import overdue

    from .models import ExpertInvitation, ReviewRound, ReviewTask

    def tasks(today):
        return ReviewTask.objects.filter(
            status=ReviewTask.Status.OPEN, round__status=ReviewRound.Status.OPEN, due_date__lt=today
        ).count()

    def evaluations(today):
        return ExpertInvitation.objects.filter(
            submitted_at__isnull=True, round__status=ReviewRound.Status.OPEN, due_date__lt=today
        ).count()

    overdue.register(overdue.Source("review-tasks", _("逾期未签署的审核任务"), tasks, rule="R-REV-1"))
    overdue.register(
        overdue.Source("expert-evaluations", _("逾期未提交的专家评估"), evaluations, rule="R-REV-4")
    )
