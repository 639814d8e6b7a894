"""To-do items of the review: my agency's open tasks, opinions waiting for my signature, NDRC's queue,
and an invited expert's evaluations."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from govinfo.home import todo
from govinfo.home.todo import TodoItem
from govinfo.orgs import roles
from govinfo.orgs.models import Role
from projects.models import Project, State

from .models import ExpertInvitation, Opinion, ReviewTask

MAX_ITEMS = todo.SHOWN


def review_todo(user):
    items: list[TodoItem] = []
    agencies = roles.agencies_of(user, Role.REVIEWER, Role.SIGNER)
    if agencies:
        agency_names = {agency.pk: agency.display_name for agency in agencies}
        signs_for = {agency.pk for agency in agencies if roles.is_signer_for(user, agency)}
        # A task a colleague holds is theirs, unless I sign for its agency: left out in SQL, so that the
        # list and its "and N more" count the same tasks.
        open_tasks = ReviewTask.objects.filter(
            Q(agency__in=signs_for) | Q(assignee__isnull=True) | Q(assignee=user),
            agency__in=agencies,
            status=ReviewTask.Status.OPEN,
            round__status="open",
        )
        # Only what an item shows, as plain values: whole rows (a Project has sixty columns and the FSM
        # bookkeeping) for forty items were most of the home page's time.
        tasks = list(
            open_tasks.order_by("due_date", "id").values_list(
                "pk", "agency_id", "due_date", "round__project__name"
            )[:MAX_ITEMS]
        )
        for pk, agency_id, due_date, project_name in tasks:
            items.append(
                TodoItem(
                    title=_("审核：%(name)s") % {"name": project_name},
                    url=reverse("approvals:task", args=[pk]),
                    category=_("审核任务"),
                    due=due_date,
                    detail=agency_names.get(agency_id, ""),
                )
            )
        items += todo.more(
            open_tasks, what=_("审核任务"), url=reverse("approvals:tasks"), category=_("审核任务")
        )
        signing = [agency for agency in agencies if agency.pk in signs_for]
        if signing:
            unsigned = Opinion.objects.filter(
                task__agency__in=signing, status=Opinion.Status.DRAFT, task__round__status="open"
            )
            drafts = list(
                unsigned.order_by("drafted_at").values_list(
                    "task_id", "task__due_date", "task__round__project__name"
                )[:MAX_ITEMS]
            )
            for task_id, due_date, project_name in drafts:
                items.append(
                    TodoItem(
                        title=_("待签署审核意见：%(name)s") % {"name": project_name},
                        url=reverse("approvals:task", args=[task_id]),
                        category=_("审核任务"),
                        due=due_date,
                    )
                )
            items += todo.more(
                unsigned,
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
