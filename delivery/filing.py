"""Filing (备案) and the start of construction: R-BLD-1, R-PRC-1, R-PRC-2 and the acceptance deadline.

- **File** (approved → filed): the 省大数据中心 registers the approved project in the system list
  (川办法 第五条、第九条) under a 备案号, and fixes what construction is measured against: the approved
  total investment and the approved 建设期限 in months (taken from NDRC's 批复 draft when approvals keeps
  one, otherwise asked for).
- **Start facts** (R-BLD-1, 第二十六条): the responsible person is the unit's head (主要负责人, as the unit
  is registered), and the 工程监理 unit is named.
- **Procurements** (R-PRC-1 第三十九条, R-PRC-2 第四十二条): method (the article's four, or the unit's own
  procurement below the limit, 第四十三条), goods or services, 综合评分法 for 公开 / 邀请招标, the price weight
  30 % for goods and 10 % for services except 单一来源; an O&M service at most three years, within an
  assured annual budget, contracted per year. Each is checked when recorded and again at the start.
- **Start** (filed → in_construction): the acceptance deadline (``Project.acceptance_due``, read by
  R-APP-4) is the start date plus the approved 建设期限 plus the three months of trial operation
  (第三十一条), moved to the next working day when it falls on a holiday.
"""

from __future__ import annotations

import datetime as dt
import re

from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.models import ReviewRound
from govinfo import workflow
from govinfo.audit import trail
from govinfo.documents.models import IssuedDocument
from govinfo.errors import Failure, NotAllowed, Refused
from govinfo.formats import display_date
from govinfo.rules import chinese_number
from projects.models import Project, State
from projects.money import format_wan

from . import construction_permissions as who
from .construction_pages import BEFORE_APPROVAL, label_of
from .dates import add_months, deadline
from .models import Construction, Filing, FilingCounter, Procurement

PROJECT = "projects.Project"
TRIAL_MONTHS = 3  # 川办法 第三十一条: three months of normal trial operation before acceptance
MAX_MONTHS = 120
OM_MAX_MONTHS = 36  # 川办法 第四十二条: 不超过三年
PRICE_WEIGHT = {Procurement.Subject.GOODS: 30, Procurement.Subject.SERVICES: 10}  # 第三十九条
TENDERS = (Procurement.Method.OPEN_TENDER, Procurement.Method.INVITED_TENDER)
# 第三十九条's price weights apply to every method it names except 单一来源; the unit's own procurement
# below the limit (第四十三条) follows the unit's rules.
PRICE_WEIGHTED = (*TENDERS, Procurement.Method.CONSULTATION)
PROCUREMENT_STATES = (State.FILED, State.IN_CONSTRUCTION)
FACT_STATES = (State.FILED, State.IN_CONSTRUCTION)


# -- dates ------------------------------------------------------------------------------------------


def acceptance_deadline(started_on: dt.date, construction_months: int) -> dt.date:
    """Start + approved 建设期限 + three months of trial operation, on a working day (R-APP-4)."""
    return deadline(add_months(started_on, construction_months + TRIAL_MONTHS))


_MONTHS = re.compile(r"([0-9]+|[一二两三四五六七八九十百]+)\s*个?月")
_YEARS = re.compile(r"([0-9]+|[一二两三四五六七八九十]+)\s*年(?!度|\d)")


def _number(text: str) -> int:
    return int(text) if text.isdigit() else chinese_number(text)


def months_in(text: str) -> int | None:
    """建设期限 in months from a 批复's words: "建设期限为18个月" → 18, "建设周期两年" → 24."""
    text = text or ""
    found = _MONTHS.search(text)
    if found:
        return _number(found.group(1))
    found = _YEARS.search(text)
    if found and not re.search(r"\d{4}\s*年", text[found.start() : found.end()]):
        return _number(found.group(1)) * 12
    return None


# -- what the filing reads from the review ------------------------------------------------------------


def approval_document(project: Project) -> IssuedDocument | None:
    """The 批复 that made the project approved: the decision document of its last approved round."""
    round = (
        ReviewRound.objects.filter(project=project, outcome=ReviewRound.Outcome.APPROVED)
        .exclude(decision_document=None)
        .select_related("decision_document")
        .order_by("-closed_at", "-id")
        .first()
    )
    return round.decision_document if round else None


def approved_period_months(project: Project) -> int | None:
    """The 建设期限 of NDRC's 批复 draft, when approvals keeps drafts (``approvals.DecisionDraft``)."""
    try:
        draft_model = apps.get_model("approvals", "DecisionDraft")
    except LookupError:
        return None
    draft = draft_model.objects.filter(round__project=project, outcome="approved").order_by("-id").first()
    return months_in(getattr(draft, "schedule", "")) if draft else None


# -- the rules ---------------------------------------------------------------------------------------


def r_bld_1_responsible_and_supervisor(
    project: Project, responsible_person: str, supervisor_name: str
) -> list[Failure]:
    """R-BLD-1 (第二十六条): the responsible person is the unit's head; a 监理 unit is commissioned."""
    failures = []
    head = (project.lead_unit.head or "").strip()
    given = (responsible_person or "").strip()
    if not given:
        failures.append(
            Failure("R-BLD-1", "第二十六条", _("请填写项目责任人（项目单位主要负责人）。"), "facts")
        )
    elif head and given != head:
        failures.append(
            Failure(
                "R-BLD-1",
                "第二十六条",
                _(
                    "项目责任人为项目单位主要负责人。%(unit)s登记的主要负责人为%(head)s，"
                    "填写的“%(given)s”不是；单位负责人已变更的，请先由系统管理员更新单位信息。"
                )
                % {"unit": project.lead_unit.name, "head": head, "given": given},
                "facts",
            )
        )
    if not (supervisor_name or "").strip():
        failures.append(
            Failure(
                "R-BLD-1",
                "第二十六条",
                _("项目单位应委托工程监理单位对项目建设进行工程监理，请填写监理单位。"),
                "facts",
            )
        )
    return failures


def r_prc_1_procurement_method(facts: dict) -> list[Failure]:
    """R-PRC-1 (第三十九条): 综合评分法 for tenders; price weight 30 % goods / 10 % services except 单一来源."""
    failures = []
    method, subject = facts.get("method"), facts.get("subject")
    if method not in Procurement.Method.values:
        failures.append(
            Failure(
                "R-PRC-1",
                "第三十九条",
                _("政务信息系统应采用公开招标、邀请招标、竞争性磋商或者单一来源采购方式，请选择采购方式。"),
                "procurement",
            )
        )
        return failures
    if subject not in Procurement.Subject.values:
        failures.append(
            Failure(
                "R-PRC-1",
                "第三十九条",
                _("请确定采购标的属于货物还是服务；无法确定的，由采购人按照有利于项目实施的原则确定。"),
                "procurement",
            )
        )
    if method in TENDERS and facts.get("evaluation") != Procurement.Evaluation.COMPREHENSIVE:
        failures.append(
            Failure(
                "R-PRC-1",
                "第三十九条",
                _("采用%(method)s方式采购的，应当采用综合评分法。")
                % {"method": Procurement.Method(method).label},
                "procurement",
            )
        )
    if method in PRICE_WEIGHTED and subject in PRICE_WEIGHT:
        expected = PRICE_WEIGHT[subject]
        weight = facts.get("price_weight")
        if weight != expected:
            failures.append(
                Failure(
                    "R-PRC-1",
                    "第三十九条",
                    _(
                        "除单一来源采购方式外，政务信息系统采购%(subject)s的，价格分值占总分值比重应当为"
                        "%(expected)d%%，填写的是%(given)s。"
                    )
                    % {
                        "subject": Procurement.Subject(subject).label,
                        "expected": expected,
                        "given": f"{weight}%" if weight is not None else _("（未填写）"),
                    },
                    "procurement",
                )
            )
    return failures


def r_prc_2_om_service(facts: dict) -> list[Failure]:
    """R-PRC-2 (第四十二条): an O&M service runs ≤ 3 years, within an assured annual budget, contracted yearly."""
    if not facts.get("is_om_service"):
        return []
    failures = []
    if facts.get("subject") == Procurement.Subject.GOODS:
        failures.append(
            Failure(
                "R-PRC-2", "第四十二条", _("运行维护服务属于服务，采购标的属性应为“服务”。"), "procurement"
            )
        )
    term = facts.get("om_term_months")
    if not term:
        failures.append(
            Failure("R-PRC-2", "第四十二条", _("请填写运行维护服务的履行期限（月）。"), "procurement")
        )
    elif term > OM_MAX_MONTHS:
        failures.append(
            Failure(
                "R-PRC-2",
                "第四十二条",
                _("运行维护服务的履行期限不得超过三年（36个月），填写的是%(months)d个月。")
                % {"months": term},
                "procurement",
            )
        )
    if not facts.get("om_budget_assured"):
        failures.append(
            Failure(
                "R-PRC-2",
                "第四十二条",
                _("采购跨年度运行维护服务，须在年度预算能够保障的前提下进行。"),
                "procurement",
            )
        )
    if not facts.get("om_contract_per_year"):
        failures.append(
            Failure("R-PRC-2", "第四十二条", _("运行维护服务应分年签订政府采购合同。"), "procurement")
        )
    return failures


def procurement_failures(facts: dict) -> list[Failure]:
    return r_prc_1_procurement_method(facts) + r_prc_2_om_service(facts)


def _facts_of(procurement: Procurement) -> dict:
    return {
        name: getattr(procurement, name)
        for name in (
            "method",
            "subject",
            "evaluation",
            "price_weight",
            "is_om_service",
            "om_term_months",
            "om_budget_assured",
            "om_contract_per_year",
        )
    }


def start_failures(project: Project) -> list[Failure]:
    """The start's guard: R-BLD-1 facts recorded and right, procurements recorded and each within R-PRC."""
    construction = Construction.objects.filter(project=project).first()
    if construction is None:
        failures = [
            Failure(
                "R-BLD-1",
                "第二十六条",
                _("开工前须登记项目责任人（项目单位主要负责人）和工程监理单位。"),
                "facts",
            )
        ]
    else:
        failures = r_bld_1_responsible_and_supervisor(
            project, construction.responsible_person, construction.supervisor_name
        )
    procurements = list(Procurement.objects.filter(project=project).order_by("id"))
    if not procurements:
        failures.append(
            Failure(
                "R-PRC-1",
                "第三十九条",
                _("开工前须登记项目的采购情况（采购方式、标的属性、评标方法和价格分值）。"),
                "procurement",
            )
        )
    for procurement in procurements:
        for failure in procurement_failures(_facts_of(procurement)):
            failures.append(
                Failure(
                    failure.rule,
                    failure.article,
                    _("“%(name)s”：%(problem)s") % {"name": procurement.name, "problem": failure.message},
                    failure.section,
                )
            )
    return failures


# -- services ---------------------------------------------------------------------------------------


def file_project(
    project: Project,
    *,
    by,
    system_name: str,
    construction_months: int,
    note: str = "",
    expected_state: str | None = None,
) -> Filing:
    """省大数据中心 files the approved project in the system list (approved → filed)."""
    system_name = (system_name or "").strip() or project.name
    if not construction_months or not 1 <= construction_months <= MAX_MONTHS:
        raise Refused(_("请按批复填写建设期限（1至120个月）。"))
    seen = project.state if expected_state is None else expected_state
    filed = workflow.perform(
        project,
        "file",
        by=by,
        expected_state=seen,
        effect_kwargs={"system_name": system_name, "construction_months": construction_months, "note": note},
    )
    return filed.step_result


def _file(project: Project, *, by, system_name: str, construction_months: int, note: str) -> Filing:
    return Filing.objects.create(
        project=project,
        number=FilingCounter.issue(timezone.localdate().year),
        system_name=system_name[:200],
        approved_total=project.total_investment or 0,
        construction_months=construction_months,
        approval_document=approval_document(project),
        note=(note or "").strip(),
        filed_by=by,
    )


def _filed(project: Project) -> dict:
    filing = project.step_result
    return {
        "filing_number": filing.number,
        "system_name": filing.system_name,
        "construction_months": filing.construction_months,
        "approved_total": filing.approved_total,
        "doc_number": filing.approval_document.doc_number if filing.approval_document_id else "",
    }


def may_record_facts(user, project: Project) -> tuple[bool, str]:
    allowed, reason = who.ask(who.who_unit, user, project)
    if not allowed:
        return allowed, reason
    refusal = who.state_refusal(project, FACT_STATES, _("登记项目责任人和监理单位"))
    return (False, refusal) if refusal else (True, "")


def may_record_procurement(user, project: Project) -> tuple[bool, str]:
    allowed, reason = who.ask(who.who_unit, user, project)
    if not allowed:
        return allowed, reason
    refusal = who.state_refusal(project, PROCUREMENT_STATES, _("登记采购情况"))
    return (False, refusal) if refusal else (True, "")


@transaction.atomic
def record_start_facts(
    project: Project,
    *,
    by,
    responsible_person: str,
    supervisor_name: str,
    supervisor_contact: str = "",
) -> Construction:
    """R-BLD-1: the responsible person (the unit's head) and the 监理 unit, before or during construction."""
    fresh = workflow.hold(project, doing=_("登记项目责任人和监理单位"), expected_state=None)
    allowed, reason = may_record_facts(by, fresh)
    if not allowed:
        raise NotAllowed(reason)
    failures = r_bld_1_responsible_and_supervisor(fresh, responsible_person, supervisor_name)
    if failures:
        raise Refused(failures)
    facts = {
        "responsible_person": responsible_person.strip(),
        "supervisor_name": supervisor_name.strip(),
        "supervisor_contact": (supervisor_contact or "").strip(),
    }
    construction = Construction.objects.filter(project=fresh).first()
    if construction is None:
        construction = Construction.objects.create(project=fresh, recorded_by=by, **facts)
    else:
        for name, value in facts.items():
            setattr(construction, name, value)
        construction.recorded_by = by
        construction.recorded_at = timezone.now()
        construction.save()
    trail.record("delivery.construction.recorded", actor=by, target=fresh, details=facts)
    return construction


@transaction.atomic
def record_procurement(project: Project, *, by, **facts) -> Procurement:
    """A procurement of the project, refused with its rule when it breaks R-PRC-1 or R-PRC-2."""
    fresh = workflow.hold(project, doing=_("登记采购情况"), expected_state=None)
    allowed, reason = may_record_procurement(by, fresh)
    if not allowed:
        raise NotAllowed(reason)
    if not (facts.get("name") or "").strip() or facts.get("amount") is None:
        raise Refused(_("请填写采购项目名称和合同金额。"))
    failures = procurement_failures(facts)
    if failures:
        raise Refused(failures)
    if not facts.get("is_om_service"):
        facts.update(om_term_months=None, om_budget_assured=False, om_contract_per_year=False)
    if facts.get("method") not in PRICE_WEIGHTED:
        facts["price_weight"] = None
    procurement = Procurement.objects.create(project=fresh, recorded_by=by, **facts)
    trail.record(
        "delivery.procurement.recorded",
        actor=by,
        target=fresh,
        details={
            "name": procurement.name,
            "method": procurement.method,
            "subject": procurement.subject,
            "price_weight": procurement.price_weight,
            "amount": procurement.amount,
            "om_term_months": procurement.om_term_months,
        },
    )
    return procurement


def start_build(project: Project, *, by, started_on: dt.date, expected_state: str | None = None) -> Project:
    """The unit starts construction (filed → in_construction); the acceptance deadline is set (R-APP-4)."""
    filing = Filing.objects.filter(project=project).first()
    if started_on is None:
        raise Refused(_("请填写开工日期。"))
    if started_on > timezone.localdate():
        raise Refused(_("开工日期不能晚于今天。"))
    if filing is not None and started_on < timezone.localdate(filing.filed_at):
        raise Refused(_("开工日期不能早于备案日期（%(date)s）。") % {"date": display_date(filing.filed_at)})
    due = acceptance_deadline(started_on, filing.construction_months) if filing else None
    seen = project.state if expected_state is None else expected_state
    return workflow.perform(
        project,
        "start_build",
        by=by,
        expected_state=seen,
        kwargs={"acceptance_due": due},
        effect_kwargs={"started_on": started_on},
    )


def _started(project: Project, *, by, started_on: dt.date) -> Construction:
    construction = Construction.objects.get(project=project)
    construction.started_on = started_on
    construction.first_acceptance_due = project.acceptance_due
    construction.started_by = by
    construction.save(update_fields=["started_on", "first_acceptance_due", "started_by"])
    return construction


def _started_details(project: Project) -> dict:
    construction = project.step_result
    return {
        "started_on": construction.started_on,
        "acceptance_due": project.acceptance_due,
        "responsible_person": construction.responsible_person,
        "supervisor_name": construction.supervisor_name,
    }


# -- pages, story, to-dos --------------------------------------------------------------------------


def construction_page(project: Project) -> str:
    return reverse("delivery:construction", args=[project.pk])


def _date_line(label, value) -> str:
    return _("%(label)s：%(value)s") % {"label": label, "value": display_date(dt.date.fromisoformat(value))}


def _filed_lines(details: dict) -> list[str]:
    lines = [
        _("备案号：%(number)s") % {"number": details.get("filing_number", "")},
        _("批复建设期限：%(months)s个月") % {"months": details.get("construction_months", "")},
        _("批复总投资：%(amount)s") % {"amount": format_wan(details.get("approved_total"))},
    ]
    if details.get("doc_number"):
        lines.append(_("批复文号：%(number)s") % {"number": details["doc_number"]})
    return lines


def _started_lines(details: dict) -> list[str]:
    lines = []
    if details.get("started_on"):
        lines.append(_date_line(_("开工日期"), details["started_on"]))
    if details.get("acceptance_due"):
        lines.append(_date_line(_("应申请验收日期"), details["acceptance_due"]))
    if details.get("responsible_person"):
        lines.append(_("项目责任人：%(name)s") % {"name": details["responsible_person"]})
    if details.get("supervisor_name"):
        lines.append(_("监理单位：%(name)s") % {"name": details["supervisor_name"]})
    return lines


def _facts_lines(details: dict) -> list[str]:
    return [
        _("项目责任人：%(name)s") % {"name": details.get("responsible_person", "")},
        _("监理单位：%(name)s") % {"name": details.get("supervisor_name", "")},
    ]


def _procurement_lines(details: dict) -> list[str]:
    line = _("%(name)s · %(method)s · %(subject)s · %(amount)s") % {
        "name": details.get("name", ""),
        "method": label_of(Procurement.Method, details.get("method")),
        "subject": label_of(Procurement.Subject, details.get("subject")),
        "amount": format_wan(details.get("amount")),
    }
    if details.get("price_weight") is not None:
        line += _("（价格分值%(weight)s%%）") % {"weight": details["price_weight"]}
    return [line]


def next_steps(user, project: Project):
    from projects.story import NextStep

    if project.state in BEFORE_APPROVAL:
        return []

    steps = []
    if project.state in FACT_STATES:
        mine = who.who_unit(user, project) is None
        # Before the start the facts are the next step; later they are only corrected, on the page.
        if project.state == State.FILED:
            allowed, reason = may_record_facts(user, project)
            steps.append(
                NextStep(
                    role=str(who.UNIT_ROLE),
                    label=str(_("登记项目责任人和监理单位")),
                    url=construction_page(project),
                    allowed=allowed,
                    mine=mine,
                    reason="" if allowed or not mine else reason,
                )
            )
        allowed, reason = may_record_procurement(user, project)
        steps.append(
            NextStep(
                role=str(who.UNIT_ROLE),
                label=str(_("登记采购情况")),
                url=construction_page(project),
                allowed=allowed,
                mine=mine,
                reason="" if allowed or not mine else reason,
            )
        )
    return steps


def story_section(user, project: Project):
    from projects.story import Section

    if project.state in BEFORE_APPROVAL:
        return []
    filing = Filing.objects.filter(project=project).select_related("approval_document").first()
    construction = Construction.objects.filter(project=project).first()
    return [
        Section(
            key="construction",
            title=str(_("备案与建设")),
            template="delivery/_story_construction.html",
            context={
                "filing": filing,
                "construction": construction,
                "procurement_count": Procurement.objects.filter(project=project).count(),
                "url": construction_page(project),
            },
            order=10,
        )
    ]


def page_link(user, project: Project):
    from projects.page_links import PageLink

    if project.state in BEFORE_APPROVAL:
        return []
    return [PageLink(str(_("备案与开工")), construction_page(project))]


def todo(user):
    from govinfo.home import todo as todos
    from govinfo.home.todo import TodoItem
    from govinfo.orgs import roles
    from projects import access

    items = []
    if who.is_bigdata(user):
        # ``state`` too: the FSM mixin reads it as each row loads (a deferred field is one query a row).
        waiting = access.visible(user).filter(state=State.APPROVED).only("pk", "name", "state")
        listed = list(waiting.order_by("updated_at")[: todos.SHOWN])
        for project in listed:
            items.append(
                TodoItem(
                    title=_("待备案登记：%(name)s") % {"name": project.name},
                    url=construction_page(project),
                    category=_("项目备案"),
                )
            )
        items += todos.more(
            waiting,
            what=_("待备案登记的项目"),
            url=reverse("projects:list") + f"?state={State.APPROVED}",
            category=_("项目备案"),
        )
    units = roles.units_of(user)
    if units:
        waiting = Project.objects.filter(lead_unit__in=units, state=State.FILED).only("pk", "name", "state")
        for project in waiting.order_by("updated_at")[: todos.SHOWN]:
            items.append(
                TodoItem(
                    title=_("待开工建设：%(name)s") % {"name": project.name},
                    url=construction_page(project),
                    category=_("项目建设"),
                    detail=str(_("登记项目责任人、监理单位和采购情况后开工")),
                )
            )
    return items


def register() -> None:
    from govinfo.audit import actions
    from govinfo.home import todo as todos
    from projects import page_links, story

    actions.register("delivery.project.filed", gettext_lazy("备案登记"))
    actions.register("delivery.construction.recorded", gettext_lazy("登记项目责任人和监理单位"))
    actions.register("delivery.procurement.recorded", gettext_lazy("登记采购情况"))
    actions.register("delivery.project.started", gettext_lazy("开工建设"))
    story.register_lines("delivery.project.filed", _filed_lines)
    story.register_lines("delivery.project.started", _started_lines)
    story.register_lines("delivery.construction.recorded", _facts_lines)
    story.register_lines("delivery.procurement.recorded", _procurement_lines)
    story.register_next_steps(next_steps)
    story.register_section(story_section)
    page_links.register(page_link)
    todos.register(todo)
    workflow.register(
        workflow.Step(
            PROJECT,
            "file",
            gettext_lazy("备案登记"),
            "delivery.project.filed",
            who=who.who_files,
            effect=_file,
            details=_filed,
            role=who.BIGDATA_ROLE,
            page=construction_page,
        ),
        workflow.Step(
            PROJECT,
            "start_build",
            gettext_lazy("开工建设"),
            "delivery.project.started",
            who=who.who_unit,
            rules=("R-BLD-1", "R-PRC-1", "R-PRC-2", "R-APP-4"),
            guard=start_failures,
            effect=_started,
            details=_started_details,
            role=who.UNIT_ROLE,
            page=construction_page,
        ),
    )
