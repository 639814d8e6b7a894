"""The review pages: the reviewer's tasks, a task with its opinions, a project's review with NDRC's
decision. Thin: load through ``permissions`` (404 to outsiders), validate with forms, act through
``services``; a refusal shows the guard's reason, a conflict the latest state."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govinfo import paging, refusals
from govinfo.formats import clauses
from govinfo.orgs import roles
from projects.checks import blocked_unit_failures
from projects.guards import ActionRefused, Conflict, NotAllowed
from projects.models import State
from projects.revision_views import application_blocks

from . import decision_views, permissions, services
from .evaluation_views import evaluation_context
from .guards import decision_failures
from .models import DecisionDraft, ExpertInvitation, Opinion, ReviewRound, ReviewStage, ReviewTask
from .review_forms import (
    AddAgencyForm,
    AssignForm,
    ExpertOpinionForm,
    InviteExpertForm,
    OpinionForm,
    ReasonForm,
)

PAGE_SIZE = 20


def _mark_superseded(opinions: list[Opinion]) -> list[Opinion]:
    replaced = {o.supersedes_id for o in opinions if o.is_signed and o.supersedes_id}
    for opinion in opinions:
        opinion.was_superseded = opinion.pk in replaced
    return opinions


def _refused(request, reason: str, status: int = 403):
    return refusals.refused(request, "approvals/refused.html", reason, status=status)


def _acted(request, call, success: str, back):
    """Run a service call; NotAllowed → 403 with its reason, Conflict → back with the message."""
    try:
        result = call()
    except Conflict as exc:
        messages.error(request, exc.message)
        return back, None
    except ActionRefused as exc:
        return _refused(request, clauses(exc.messages), status=exc.status), None
    messages.success(request, success)
    return back, result


# -- the reviewer's tasks ------------------------------------------------------------------------


@login_required
@require_GET
def task_list(request):
    if not roles.agencies_of(request.user):
        return _refused(request, _("只有审核机构的工作人员有审核任务。"))
    show = request.GET.get("show", "open")
    tasks = permissions.tasks_for(request.user)
    if show != "all":
        tasks = tasks.filter(status=ReviewTask.Status.OPEN, round__status=ReviewRound.Status.OPEN)
    tasks = tasks.prefetch_related(
        Prefetch("opinions", queryset=Opinion.objects.filter(status=Opinion.Status.DRAFT), to_attr="drafts")
    )
    page = paging.page_of(tasks, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "approvals/task_list.html",
        {"page": page, "show": show, "today": timezone.localdate()},
    )


def _application(project, round) -> dict | None:
    """The whole application as the round under review froze it, with what changed since the round before:
    the same blocks as the revision page, from the revision's JSON (a fixed number of queries)."""
    if round is None or round.revision is None:
        return None
    return application_blocks(project, round.revision.number, url_name="approvals:project_revision")


def _task_context(request, task: ReviewTask, opinion_form=None, assign_form=None) -> dict:
    user = request.user
    opinions = list(
        task.opinions.select_related("drafted_by", "signed_by", "document").order_by("drafted_at", "id")
    )
    draft = next((o for o in opinions if not o.is_signed), None)
    can_draft, draft_reason = permissions.may_draft(user, task)
    can_sign = draft is not None and permissions.may_sign(user, draft)[0]
    can_assign, _reason = permissions.may_assign(user, task)
    can_return, _reason = permissions.may_return(user, task.round.project)
    if opinion_form is None and can_draft:
        initial = (
            {"conclusion": draft.conclusion, "text": draft.text, "conditions": draft.conditions}
            if draft
            else {}
        )
        opinion_form = OpinionForm(initial=initial)
    if assign_form is None and can_assign:
        assign_form = AssignForm(agency=task.agency, initial={"assignee": task.assignee_id})
    return {
        "task": task,
        "project": task.round.project,
        "application": _application(task.round.project, task.round),
        "opinions": opinions,
        "draft": draft,
        "has_signed": any(o.is_signed for o in opinions),
        "can_draft": can_draft,
        "draft_reason": draft_reason,
        "can_sign": can_sign,
        "can_return": can_return,
        "opinion_form": opinion_form,
        "assign_form": assign_form,
        "return_form": ReasonForm() if can_return else None,
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def task_detail(request, pk: int):
    task = permissions.get_task_for_user(request.user, pk)
    return render(request, "approvals/task_detail.html", _task_context(request, task))


@login_required
@require_POST
def task_draft(request, pk: int):
    task = permissions.get_task_for_user(request.user, pk)
    allowed, reason = permissions.may_draft(request.user, task)
    if not allowed:
        return _refused(request, reason)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        return render(
            request, "approvals/task_detail.html", _task_context(request, task, opinion_form=form), status=400
        )
    back, _result = _acted(
        request,
        lambda: services.save_draft(task, by=request.user, **form.cleaned_data),
        _("审核意见草稿已保存，待本机构签发人签署。"),
        redirect("approvals:task", pk=task.pk),
    )
    return back


@login_required
@require_POST
def task_assign(request, pk: int):
    task = permissions.get_task_for_user(request.user, pk)
    allowed, reason = permissions.may_assign(request.user, task)
    if not allowed:
        return _refused(request, reason)
    form = AssignForm(request.POST, agency=task.agency)
    if not form.is_valid():
        return render(
            request, "approvals/task_detail.html", _task_context(request, task, assign_form=form), status=400
        )
    assignee = form.cleaned_data["assignee"]
    back, _result = _acted(
        request,
        lambda: services.assign_task(task, assignee, by=request.user),
        _("已分派给%(name)s。") % {"name": assignee.display_name},
        redirect("approvals:task", pk=task.pk),
    )
    return back


# -- a project's review --------------------------------------------------------------------------


@login_required
@require_GET
def review_list(request):
    projects = permissions.review_projects_for(request.user).order_by("-updated_at", "-id")
    state = request.GET.get("state", "")
    if state in State.values:
        projects = projects.filter(state=state)
    page = paging.page_of(projects, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "approvals/review_list.html",
        {
            "page": page,
            "state": state,
            "states": [
                State.SUBMITTED,
                State.IN_REVIEW,
                State.EVALUATION,
                State.RETURNED,
                State.APPROVED,
                State.REJECTED,
            ],
        },
    )


def _rounds(user, project) -> list[dict]:
    rounds = (
        ReviewRound.objects.filter(project=project)
        .select_related("opened_by", "closed_by", "decision_document", "revision")
        .defer("revision__content")
        .prefetch_related(
            Prefetch(
                "tasks",
                queryset=ReviewTask.objects.select_related("agency", "assignee").order_by(
                    "agency__sort_order", "agency__code"
                ),
            ),
            Prefetch(
                "tasks__opinions",
                queryset=Opinion.objects.select_related("drafted_by", "signed_by", "document").order_by(
                    "drafted_at", "id"
                ),
            ),
            Prefetch("expert_invitations", queryset=ExpertInvitation.objects.select_related("expert")),
        )
        .order_by("-opened_at", "-id")
    )
    result = []
    for round in rounds:
        tasks = []
        for task in round.tasks.all():
            opinions = _mark_superseded(permissions.visible_opinions(user, task, task.opinions.all()))
            signed = [o for o in opinions if o.is_signed]
            tasks.append({"task": task, "opinions": opinions, "current": signed[-1] if signed else None})
        result.append({"round": round, "tasks": tasks, "experts": list(round.expert_invitations.all())})
    return result


def _project_context(request, project, role: str, **forms) -> dict:
    user = request.user
    round = permissions.open_round(project)
    rounds = _rounds(user, project)
    # An acceptance round (delivery) is decided on the project's 试运行与验收 page, not here.
    acceptance_round = round is not None and round.stage == ReviewStage.ACCEPTANCE
    decision_round = None if acceptance_round else round
    context = {
        "project": project,
        "role": role,
        "rounds": rounds,
        # The round under review (the open one, else the latest) and the application it reviews.
        "application": _application(project, rounds[0]["round"]) if rounds else None,
        "open_round": decision_round,
        "acceptance_round": acceptance_round,
        "today": timezone.localdate(),
        "can_accept": permissions.may_accept(user, project)[0],
        "can_return": permissions.may_return(user, project)[0],
        "can_approve": False,
        "can_reject": False,
        "blocking": [],
        "invitation": None,
    }
    if role == "ndrc":
        # R-APP-4 (第三十二条 "不批准"): why the unit may not get new projects now — asked once per request
        # of whoever registered the reasons (delivery, catalogue), shown, and handed to the decision guard.
        blocked = blocked_unit_failures(project) if project.state in permissions.REVIEW_STATES else None
        context["unit_bars"] = blocked or []
        # The guard of 批复 once: it decides the button and lists what still stands in the way.
        approving = (
            decision_failures(decision_round, approving=True, blocked=blocked)
            if decision_round is not None
            else None
        )
        context["can_approve"], _reason = permissions.may_decide(
            user, project, approving=True, failures=approving
        )
        context["can_reject"], _reason = permissions.may_decide(user, project, approving=False)
        context["is_ndrc_signer"] = permissions.is_ndrc_signer(user)
        if decision_round is not None:
            context["blocking"] = [str(f) for f in approving]
            if permissions.may_add_agency(user, decision_round)[0]:
                context["agency_form"] = forms.get("agency_form") or AddAgencyForm(round=decision_round)
            if permissions.may_invite_expert(user, project)[0]:
                context["expert_form"] = forms.get("expert_form") or InviteExpertForm(round=decision_round)
        if decision_round is not None:
            context["decision_drafts"] = {
                draft.outcome: draft for draft in decision_round.decision_drafts.select_related("updated_by")
            }
    context.update(evaluation_context(user, project, role, forms, round=decision_round))
    if context["can_return"]:
        context["return_form"] = forms.get("return_form") or ReasonForm()
    if role == "expert" and round is not None:
        invitation = round.expert_invitations.filter(expert=user).first()
        context["invitation"] = invitation
        if invitation and permissions.may_give_expert_opinion(user, invitation)[0]:
            context["expert_opinion_form"] = forms.get("expert_opinion_form") or ExpertOpinionForm()
    return context


@login_required
@require_GET
def review_project(request, pk: int):
    project, role = permissions.get_review_project_for_user(request.user, pk)
    return render(request, "approvals/review_project.html", _project_context(request, project, role))


def _project_action(request, pk: int, *, form_class=None, form_name="", form_kwargs=None, call, success):
    project, role = permissions.get_review_project_for_user(request.user, pk)
    # The state the page showed: the service refuses with a conflict when the case has moved since.
    seen = request.POST.get("state") or None
    data = None
    if form_class is not None:
        form = form_class(request.POST, **(form_kwargs(project) if form_kwargs else {}))
        if not form.is_valid():
            context = _project_context(request, project, role, **{form_name: form})
            return render(request, "approvals/review_project.html", context, status=400)
        data = form.cleaned_data
    back, _result = _acted(
        request, lambda: call(project, data, seen), success, redirect("approvals:project", pk=project.pk)
    )
    return back


def _open_round_kwargs(project):
    round = permissions.open_round(project)
    if round is None:
        raise NotAllowed(_("项目没有正在进行的审查轮次。"))
    return {"round": round}


@login_required
@require_POST
def project_accept(request, pk: int):
    return _project_action(
        request,
        pk,
        call=lambda project, data, seen: services.accept_into_review(
            project, by=request.user, expected_state=seen
        ),
        success=_("已受理，会签审查任务已分送各审核机构。"),
    )


@login_required
@require_POST
def project_return(request, pk: int):
    return _project_action(
        request,
        pk,
        form_class=ReasonForm,
        form_name="return_form",
        call=lambda project, data, seen: services.return_application(
            project, by=request.user, reason=data["reason"], expected_state=seen
        ),
        success=_("已退回项目单位修改，本轮未完成的审核任务已关闭。"),
    )


@login_required
@require_POST
def project_reject(request, pk: int):
    """不予批复, confirmed on ``decision_views.decision_confirm`` with the version of NDRC's draft."""
    return decision_views.decide(request, pk, DecisionDraft.Outcome.REJECTED)


@login_required
@require_POST
def project_approve(request, pk: int):
    """批复, confirmed on ``decision_views.decision_confirm`` with the version of NDRC's draft."""
    return decision_views.decide(request, pk, DecisionDraft.Outcome.APPROVED)


def _guarded_form_action(request, pk, check, form_class, form_name, call, success):
    project, role = permissions.get_review_project_for_user(request.user, pk)
    allowed, reason = check(project)
    if not allowed:
        return _refused(request, reason)
    try:
        kwargs = _open_round_kwargs(project)
    except NotAllowed as exc:
        return _refused(request, exc.message)
    return _project_action(
        request,
        pk,
        form_class=form_class,
        form_name=form_name,
        form_kwargs=lambda p: kwargs,
        call=call,
        success=success,
    )


@login_required
@require_POST
def project_add_agency(request, pk: int):
    return _guarded_form_action(
        request,
        pk,
        lambda project: (
            permissions.may_add_agency(request.user, permissions.open_round(project))
            if permissions.open_round(project)
            else (False, _("项目没有正在进行的审查轮次。"))
        ),
        AddAgencyForm,
        "agency_form",
        lambda project, data, seen: services.add_agency(
            permissions.open_round(project), data["agency"], by=request.user
        ),
        _("已增派审核机构。"),
    )


@login_required
@require_POST
def project_invite_expert(request, pk: int):
    return _guarded_form_action(
        request,
        pk,
        lambda project: permissions.may_invite_expert(request.user, project),
        InviteExpertForm,
        "expert_form",
        lambda project, data, seen: services.invite_expert(project, data["expert"], by=request.user),
        _("已邀请专家开展评估论证。"),
    )


@login_required
@require_http_methods(["POST"])
def invitation_submit(request, pk: int):
    invitation = permissions.get_invitation_for_user(request.user, pk)
    project = invitation.round.project
    allowed, reason = permissions.may_give_expert_opinion(request.user, invitation)
    if not allowed:
        return _refused(request, reason)
    form = ExpertOpinionForm(request.POST)
    if not form.is_valid():
        context = _project_context(request, project, "expert", expert_opinion_form=form)
        return render(request, "approvals/review_project.html", context, status=400)
    back, _result = _acted(
        request,
        lambda: services.submit_expert_opinion(invitation, by=request.user, **form.cleaned_data),
        _("评估意见已提交。"),
        redirect("approvals:project", pk=project.pk),
    )
    return back
