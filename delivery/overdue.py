"""Delivery's deadlines on the auditor's dashboard (``govinfo.overdue``): 绩效监控报告 not filed by 31 December
(R-BLD-4), acceptance not applied for by its due date (R-ACC-1), self-evaluation not filed within 24 months of
entering operation (R-EVA-1). Each count costs a fixed number of queries, whatever the number of projects."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from govinfo import overdue
from projects.models import AWAITING_ACCEPTANCE_STATES, Project

from . import monitoring
from .evaluation import operation_starts, overdue_by


def monitoring_reports(today: dt.date) -> int:
    return monitoring.overdue_count(today)


def acceptances(today: dt.date) -> int:
    return Project.objects.filter(state__in=AWAITING_ACCEPTANCE_STATES, acceptance_due__lt=today).count()


def self_evaluations(today: dt.date) -> int:
    return operation_starts().filter(decided_on__lte=overdue_by(today)).count()


def register() -> None:
    overdue.register(
        overdue.Source("monitoring-reports", _("逾期未报送的绩效监控报告"), monitoring_reports, "R-BLD-4")
    )
    overdue.register(overdue.Source("acceptances", _("逾期未申请验收的项目"), acceptances, "R-ACC-1"))
    overdue.register(overdue.Source("self-evaluations", _("逾期未完成的自评价"), self_evaluations, "R-EVA-1"))
