"""To-do items of the review: my agency's open tasks, opinions waiting for my signature, NDRC's queue,
and an invited expert's evaluations."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from govinfo.home import todo
from govinfo.home.todo import TodoItem
from govinfo.orgs import roles
from govinfo.orgs.models import Role
from projects.models import Project, State

from .models import ExpertInvitation, Opinion, ReviewTask

MAX_ITEMS = todo.SHOWN
# The columns a to-do item reads (``state`` / ``status`` too: the FSM mixin reads them as each row
# loads, and a deferred field is one query a row).
TASK_FIELDS = (
    "due_date",
    "assignee_id",
    "status",
    "agency__name",
    "agency__short_name",
    "agency__code",
    "agency__is_active",
    "round__status",
    "round__project__name",
    "round__project__state",
)
DRAFT_FIELDS = (
    "task_id",
    "status",
    "drafted_at",
    "task__due_date",
    "task__status",
    "task__round__status",
    "task__round__project__name",
    "task__round__project__state",
)


def review_todo(user):
    items: list[TodoItem] = []
    agencies = roles.agencies_of(user, Role.REVIEWER, Role.SIGNER)
    if agencies:
        open_tasks = ReviewTask.objects.filter(
            agency__in=agencies, status=ReviewTask.Status.OPEN, round__status="open"
        )
        # Only what an item shows: a whole Project row (sixty columns, the FSM bookkeeping) per item
        # was most of the home page's time.
        tasks = list(
            open_tasks.select_related("round__project", "agency")
            .only(*TASK_FIELDS)
            .order_by("due_date", "id")[:MAX_ITEMS]
        )
        for task in tasks:
            if (
                task.assignee_id
                and task.assignee_id != user.pk
                and not roles.is_signer_for(user, task.agency)
            ):
                continue  # a colleague holds it
            items.append(
                TodoItem(
                    title=_("审核：%(name)s") % {"name": task.round.project.name},
                    url=reverse("approvals:task", args=[task.pk]),
                    category=_("审核任务"),
                    due=task.due_date,
                    detail=task.agency.display_name,
                )
            )
        items += todo.more(
            open_tasks, len(tasks), what=_("审核任务"), url=reverse("approvals:tasks"), category=_("审核任务")
        )
        signing = [agency for agency in agencies if roles.is_signer_for(user, agency)]
        if signing:
            unsigned = Opinion.objects.filter(
                task__agency__in=signing, status=Opinion.Status.DRAFT, task__round__status="open"
            )
            drafts = list(
                unsigned.select_related("task__round__project")
                .only(*DRAFT_FIELDS)
                .order_by("drafted_at")[:MAX_ITEMS]
            )
            for opinion in drafts:
                items.append(
                    TodoItem(
                        title=_("待签署审核意见：%(name)s") % {"name": opinion.task.round.project.name},
                        url=reverse("approvals:task", args=[opinion.task_id]),
                        category=_("审核任务"),
                        due=opinion.task.due_date,
                    )
                )
            items += todo.more(
                unsigned,
                len(drafts),
                what=_("待签署的审核意见"),
                url=reverse("approvals:tasks"),
                category=_("审核任务"),
            )
        if any(agency.code == "ndrc" for agency in agencies):
            queue = Project.objects.filter(state__in=[State.SUBMITTED, State.EVALUATION]).order_by(
                "submitted_at"
            )
            waiting = list(queue.only("pk", "name", "state")[:MAX_ITEMS])
            for project in waiting:
                label = _("待受理：%(name)s") if project.state == State.SUBMITTED else _("待决定：%(name)s")
                items.append(
                    TodoItem(
                        title=label % {"name": project.name},
                        url=reverse("approvals:project", args=[project.pk]),
                        category=_("审查决定"),
                    )
                )
            items += todo.more(
                queue,
                len(waiting),
                what=_("待受理或待决定的项目"),
                url=reverse("approvals:projects"),
                category=_("审查决定"),
            )
    if roles.has_role(user, Role.EXPERT):
        invitations = (
            ExpertInvitation.objects.filter(expert=user, submitted_at__isnull=True, round__status="open")
            .select_related("round__project")
            .order_by("due_date")[:MAX_ITEMS]
        )
        for invitation in invitations:
            items.append(
                TodoItem(
                    title=_("专家评估：%(name)s") % {"name": invitation.round.project.name},
                    url=reverse("approvals:project", args=[invitation.round.project_id]),
                    category=_("专家评估"),
                    due=invitation.due_date,
                )
            )
    return items
