"""Sharing violations of a unit (R-CAT-1, R-CAT-3, R-CAT-4) — what R-APP-4 asks before a unit may file.

``sharing_violations(unit)`` lists what the unit must put right now; ``violations_barring(unit, year)`` the
violations the Big-data centre confirmed (重复采集, R-CAT-1) that bar the unit's new projects of ``year`` —
those confirmed the year before (第三十三条 "不予审批次年度该项目单位其他新建、改建、扩建政务信息系统");
``aggregation_shortfall(unit)`` its unfinished 数据归集 (R-APP-12). Deadlines:
- a 有条件共享 request is due 10 working days after it was made (R-CAT-3);
- a data objection or error report is due 10 working days after it was raised — the system applies the
  share-request period to objections too, as neither 川办法 nor 国发〔2016〕51号 sets another (R-CAT-4);
- a resource the unit's operating projects declare they produce must be in the catalogue (R-CAT-1,
  川办法第十一条、第三十三条); which projects count is decided by the registered link source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govinfo.formats import display_date
from govinfo.orgs.models import Unit
from govinfo.rules import SOURCE_LABELS, cite

from . import links
from .models import DataAggregationShortfall, Feedback, Resource, ShareRequest, SharingViolation


@dataclass(frozen=True)
class Violation:
    kind: str  # overdue_request | unanswered_objection | unpublished_produced
    message: str
    rule: str
    url: str
    due: dt.date | None = None


def sharing_violations(unit: Unit, today: dt.date | None = None) -> list[Violation]:
    today = today or timezone.localdate()
    found: list[Violation] = []
    overdue = (
        ShareRequest.objects.overdue(today)
        .filter(resource__provider=unit)
        .select_related("resource", "requester")
        .order_by("due_date", "pk")
    )
    for req in overdue:
        found.append(
            Violation(
                kind="overdue_request",
                message=_("%(unit)s对“%(resource)s”的共享申请应于%(date)s前答复，至今未答复。%(rule)s")
                % {
                    "unit": req.requester.name,
                    "resource": req.resource.name,
                    "date": display_date(req.due_date),
                    "rule": cite(
                        "R-CAT-3",
                        "第十二条",
                        _(
                            "有条件共享申请须在10个工作日内答复；未按要求共享数据资源的，"
                            "依据%(sc)s第三十三条不予审批该单位新建、改建、扩建政务信息系统。"
                        )
                        % {"sc": SOURCE_LABELS["川办法"]},
                        source="国发〔2016〕51号",
                    ),
                },
                rule="R-CAT-3",
                url=reverse("catalogue:request", args=[req.pk]),
                due=req.due_date,
            )
        )
    unanswered = (
        Feedback.objects.open()
        .filter(
            resource__provider=unit,
            due_date__lt=today,
            kind__in=[Feedback.Kind.ERROR, Feedback.Kind.OBJECTION],
        )
        .select_related("resource", "reporter")
        .order_by("due_date", "pk")
    )
    for feedback in unanswered:
        found.append(
            Violation(
                kind="unanswered_objection",
                message=_(
                    "%(unit)s对“%(resource)s”提出的%(kind)s应于%(date)s前答复"
                    "（提出后10个工作日，本系统与共享申请同一期限），至今未答复。%(rule)s"
                )
                % {
                    "unit": feedback.reporter.name,
                    "resource": feedback.resource.name,
                    "kind": feedback.get_kind_display(),
                    "date": display_date(feedback.due_date),
                    "rule": cite("R-CAT-4", "第十一条", _("提供部门应答复共享信息使用反馈与数据异议。")),
                },
                rule="R-CAT-4",
                url=reverse("catalogue:feedback", args=[feedback.pk]),
                due=feedback.due_date,
            )
        )
    missing = links.unpublished_produced(unit.pk)
    if missing:
        names = dict(
            Resource.objects.filter(pk__in=[rid for _project, rid in missing]).values_list("pk", "name")
        )
        for project, resource_id in missing:
            found.append(
                Violation(
                    kind="unpublished_produced",
                    message=_("项目“%(project)s”产生的信息资源“%(resource)s”尚未在目录中发布。%(rule)s")
                    % {
                        "project": project.name,
                        "resource": names.get(resource_id, resource_id),
                        "rule": cite(
                            "R-CAT-1", "第十一条、第三十三条", _("项目产生的数据资源应纳入目录并共享。")
                        ),
                    },
                    rule="R-CAT-1",
                    url=reverse("catalogue:resource", args=[resource_id]),
                )
            )
    return found


def violations_barring(unit: Unit, year: int) -> list[SharingViolation]:
    """Standing confirmed violations of ``unit`` that bar its new projects of ``year`` (confirmed in year − 1)."""
    return list(
        SharingViolation.objects.standing()
        .filter(unit=unit, year=year - 1)
        .select_related("resource")
        .order_by("confirmed_at", "pk")
    )


def aggregation_shortfall(unit: Unit) -> DataAggregationShortfall | None:
    """The Big-data centre's standing record that ``unit`` has not completed its 数据归集 (R-APP-12)."""
    return DataAggregationShortfall.objects.standing().filter(unit=unit).first()
