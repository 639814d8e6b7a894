"""The project's 自评价与后评价 page (R-EVA-1, R-EVA-2)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govinfo import workflow
from govinfo.orgs import roles
from projects import access
from projects.models import State

from . import evaluation, people
from .acceptance_forms import OrderPostEvaluationForm, RecordPostEvaluationForm, SelfEvaluationForm
from .models import PostEvaluation, SelfEvaluation
from .page_actions import act, invalid


def _context(request, project, refusal=None, **forms) -> dict:
    user = request.user
    started = evaluation.operation_started_on(project)
    opens, due = evaluation.window(started) if started else (None, None)
    self_evaluation = (
        SelfEvaluation.objects.filter(project=project).select_related("filed_by", "report").first()
    )
    post = (
        PostEvaluation.objects.filter(project=project)
        .select_related("ordering_agency", "ordered_by", "recorded_by", "report")
        .first()
    )
    may_order = (
        project.state == State.SELF_EVALUATED
        and post is None
        and not roles.is_read_only(user)
        and evaluation.WHO_POST(user, project) is None
    )
    context = {
        "project": project,
        "started": started,
        "opens": opens,
        "due": due,
        "self_evaluation": self_evaluation,
        "post": post,
        "refusal": refusal,
        "can_self": project.state == State.IN_OPERATION and workflow.may(project, user, "self_evaluate")[0],
        "self_reason": workflow.may(project, user, "self_evaluate")[1]
        if project.state == State.IN_OPERATION and people.is_unit_of(user, project)
        else "",
        "can_order": may_order,
        "can_record": project.state == State.SELF_EVALUATED
        and workflow.may(project, user, "post_evaluate")[0],
    }
    if context["can_self"]:
        context["self_form"] = forms.get("self_form") or SelfEvaluationForm()
    if context["can_order"]:
        context["order_form"] = forms.get("order_form") or OrderPostEvaluationForm()
    if context["can_record"]:
        context["record_form"] = forms.get("record_form") or RecordPostEvaluationForm()
    return context


def _page(request, project):
    def render_page(refusal=None, status=200, **forms):
        return render(
            request, "delivery/evaluation.html", _context(request, project, refusal, **forms), status=status
        )

    return render_page


@login_required
@require_GET
def evaluation_page(request, pk: int):
    project = access.get_case(request.user, pk)
    if project.state not in evaluation.EVALUATION_STATES:
        raise Http404(_("项目尚未投入运行。"))
    return _page(request, project)()


def _action(request, pk, form_class, form_name, call, success):
    project = access.get_case(request.user, pk)
    render_page = _page(request, project)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return invalid(render_page, **{form_name: form})
    return act(
        request,
        project,
        lambda: call(project, form.cleaned_data, request.POST.get("state") or None),
        success=success,
        back=reverse("delivery:evaluation", args=[project.pk]),
        render_page=render_page,
    )


@login_required
@require_POST
def self_evaluate(request, pk: int):
    return _action(
        request,
        pk,
        SelfEvaluationForm,
        "self_form",
        lambda project, data, seen: evaluation.self_evaluate(
            project, by=request.user, expected_state=seen, **data
        ),
        _("自评价已提交，评价报告已报送省发展改革委和财政厅。"),
    )


@login_required
@require_POST
def order_post(request, pk: int):
    return _action(
        request,
        pk,
        OrderPostEvaluationForm,
        "order_form",
        lambda project, data, seen: evaluation.order_post_evaluation(project, by=request.user, **data),
        _("已组织后评价。"),
    )


@login_required
@require_POST
def record_post(request, pk: int):
    return _action(
        request,
        pk,
        RecordPostEvaluationForm,
        "record_form",
        lambda project, data, seen: evaluation.record_post_evaluation(
            project, by=request.user, expected_state=seen, **data
        ),
        _("后评价结果已记录，项目归档。"),
    )
