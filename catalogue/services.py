"""Every catalogue action is one function here: guard, transition, audit trail, permissions, one transaction.

Views call these and show ``Refused.reason`` to the user; they never call a transition themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govinfo import workflow
from govinfo.audit.trail import record
from govinfo.errors import Conflict, NotAllowed, Refused
from govinfo.formats import display_date
from govinfo.orgs.models import Unit
from govinfo.workdays.days import add_working_days

from . import permissions, rules
from .models import (
    DataAggregationShortfall,
    DataItem,
    Feedback,
    Resource,
    ShareRequest,
    ShareType,
    SharingViolation,
)


def _refuse_if(reason: str | None) -> None:
    if reason:
        raise NotAllowed(reason)


RESOURCE_FIELDS = [
    "category",
    "subject",
    "name",
    "code",
    "summary",
    "format",
    "format_detail",
    "share_type",
    "share_condition",
    "share_scope",
    "legal_basis",
    "share_method",
    "open_attribute",
    "update_cycle",
    "secrecy",
    "related_codes",
]


# --- resources ---


@transaction.atomic
def create_resource(*, unit: Unit, by, data: dict, items: Iterable[dict] = ()) -> Resource:
    """A new draft of ``unit``; its group may maintain it from now on."""
    _refuse_if(permissions.why_cannot_create(by, unit))
    resource = Resource(
        provider=unit, created_by=by, **{k: v for k, v in data.items() if k in RESOURCE_FIELDS}
    )
    resource.full_clean()
    _save_with_unique_code(resource)
    permissions.grant_maintainers(resource, unit.group)
    names = _save_items(resource, items)
    record(
        "catalogue.resource.created",
        actor=by,
        target=resource,
        to_state=resource.state,
        details={"code": resource.code, "items": names},
    )
    return resource


@transaction.atomic
def update_resource(
    resource: Resource, *, by, data: dict, items: Iterable[dict] | None = None, formset=None
) -> Resource:
    """Change a draft's fields and its items: ``items`` adds or updates by name and never deletes (imports);
    ``formset`` is the draft's item table edited on the page, where the provider may delete rows."""
    resource = workflow.hold(resource, doing=_("保存"), expected_state=None)
    _refuse_if(permissions.why_cannot_edit(by, resource))
    changed = []
    for field, value in data.items():
        if field in RESOURCE_FIELDS and getattr(resource, field) != value:
            setattr(resource, field, value)
            changed.append(field)
    resource.full_clean()
    _save_with_unique_code(resource)
    names = _save_items(resource, items or ())
    if formset is not None:
        formset.instance = resource
        formset.save()
        names = [item.name for item in resource.items.all()]
    record(
        "catalogue.resource.updated",
        actor=by,
        target=resource,
        details={"fields": changed, "items": names},
    )
    return resource


def _save_with_unique_code(resource: Resource) -> None:
    """Save; a code another request took since ``full_clean`` is a form error on the code, not a 500."""
    try:
        with transaction.atomic():
            resource.save()
    except IntegrityError:
        if not Resource.objects.filter(code=resource.code).exclude(pk=resource.pk).exists():
            raise
        raise ValidationError({"code": [code_taken(resource.code)]}) from None


def code_taken(code: str) -> str:
    return _("资源代码“%(code)s”已被其他资源使用（可能是刚刚同时提交的），请换一个代码。") % {"code": code}


def _save_items(resource: Resource, items: Iterable[dict]) -> list[str]:
    """Create or update items by normalised name; the next free position goes to new ones."""
    existing = {item.normalized_name: item for item in resource.items.all()}
    position = max((item.position for item in existing.values()), default=0)
    names = []
    for row in items:
        probe = DataItem(resource=resource, **row)
        probe.clean()
        item = existing.get(probe.normalized_name)
        if item is None:
            position += 1
            probe.position = row.get("position") or position
            probe.full_clean(exclude=["resource"])
            probe.save()
            existing[probe.normalized_name] = probe
        else:
            for field in ("name", "data_type", "length", "description"):
                if field in row:
                    setattr(item, field, row[field])
            item.full_clean(exclude=["resource"])
            item.save()
        names.append(row["name"])
    return names


def submit_resource(resource: Resource, *, by) -> Resource:
    return workflow.perform(resource, "submit", by=by)


def publish_resource(resource: Resource, *, by) -> Resource:
    try:
        return workflow.perform(resource, "publish", by=by, kwargs={"on": timezone.localdate()})
    except (Conflict, NotAllowed):
        current = Resource.objects.get(pk=resource.pk)
        if current.state == Resource.State.PUBLISHED:
            raise Conflict(
                _("该资源已于%(date)s发布，无需再次发布。") % {"date": display_date(current.published_on)}
            ) from None
        raise


def return_resource(resource: Resource, *, by, reason: str) -> Resource:
    if not (reason or "").strip():
        _refuse_if(permissions.why_cannot_review(by, resource))
        raise Refused(_("退回须填写退回意见，说明需要修改的内容。"))
    return workflow.perform(resource, "send_back", by=by, kwargs={"reason": reason.strip()})


def retire_resource(resource: Resource, *, by, reason: str) -> Resource:
    if not (reason or "").strip():
        _refuse_if(permissions.why_cannot_retire(by, resource))
        raise Refused(_("停用须说明原因。"))
    return workflow.perform(resource, "retire", by=by, details={"reason": reason.strip()})


# --- 一数一源 ---


def conflicts_for(resource: Resource):
    from .conflicts import conflicts_for_resource

    return conflicts_for_resource(resource)


@transaction.atomic
def confirm_duplicate_collection(resource: Resource, *, by, reason: str) -> SharingViolation:
    """R-CAT-1: the Big-data centre confirms that ``resource``'s provider collects data another department
    already publishes (重复采集). A flagged duplicate becomes a sharing violation, which bars the unit's
    other new projects of the following year (R-APP-4, 第三十三条)."""
    _refuse_if(permissions.why_cannot_confirm_violation(by))
    resource = Resource.objects.select_for_update().select_related("provider").get(pk=resource.pk)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("认定重复采集须写明理由（如：应使用的权威来源及其提供部门）。"))
    conflicts = conflicts_for(resource)
    if not conflicts:
        raise NotAllowed(
            _("“%(name)s”的信息项未与其他单位已发布的信息项重复（一数一源），不能认定为重复采集。")
            % {"name": resource.name}
        )
    if (
        SharingViolation.objects.standing()
        .filter(resource=resource, kind=SharingViolation.Kind.DUPLICATE_COLLECTION)
        .exists()
    ):
        raise Conflict(_("“%(name)s”已被认定为重复采集，未重复认定。") % {"name": resource.name})
    now = timezone.now()
    violation = SharingViolation.objects.create(
        unit=resource.provider,
        resource=resource,
        kind=SharingViolation.Kind.DUPLICATE_COLLECTION,
        items=[conflict.label for conflict in conflicts],
        reason=reason,
        year=timezone.localdate(now).year,
        confirmed_by=by,
        confirmed_at=now,
    )
    record(
        "catalogue.violation.confirmed",
        actor=by,
        target=resource,
        details={
            "unit": resource.provider.name,
            "kind": violation.get_kind_display(),
            "items": violation.items,
            "reason": reason,
            "bars_year": violation.bars_year,
        },
    )
    return violation


@transaction.atomic
def withdraw_violation(violation: SharingViolation, *, by, reason: str) -> SharingViolation:
    """A confirmation made in error is withdrawn with a reason; the record stays."""
    _refuse_if(permissions.why_cannot_confirm_violation(by))
    locked = (
        SharingViolation.objects.select_for_update().select_related("resource", "unit").get(pk=violation.pk)
    )
    if not locked.is_standing:
        raise Conflict(_("该认定已于%(when)s撤销。") % {"when": permissions._when(locked.withdrawn_at)})
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("撤销认定须写明理由。"))
    locked.withdrawn_by, locked.withdrawn_at, locked.withdrawn_reason = by, timezone.now(), reason
    locked.save(update_fields=["withdrawn_by", "withdrawn_at", "withdrawn_reason"])
    record(
        "catalogue.violation.withdrawn",
        actor=by,
        target=locked.resource,
        details={"unit": locked.unit.name, "kind": locked.get_kind_display(), "reason": reason},
    )
    return locked


# --- 数据归集 (R-APP-12) ---


@transaction.atomic
def record_aggregation_shortfall(unit: Unit, *, by, reason: str) -> DataAggregationShortfall:
    """The Big-data centre records that ``unit`` has not completed its 数据归集 (R-APP-12, 第十二条)."""
    _refuse_if(permissions.why_cannot_record_aggregation(by))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("请写明未完成数据归集的具体情况。"))
    if DataAggregationShortfall.objects.standing().filter(unit=unit).exists():
        raise Conflict(_("已记录%(unit)s未完成数据归集，未重复记录。") % {"unit": unit.name})
    shortfall = DataAggregationShortfall.objects.create(unit=unit, reason=reason, recorded_by=by)
    record(
        "catalogue.aggregation.recorded",
        actor=by,
        target=shortfall,
        details={"unit": unit.name, "reason": reason},
    )
    return shortfall


@transaction.atomic
def clear_aggregation_shortfall(unit: Unit, *, by, note: str) -> DataAggregationShortfall:
    """The unit has completed its 数据归集: the record is cleared and the unit may file new projects again."""
    _refuse_if(permissions.why_cannot_record_aggregation(by))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    note = (note or "").strip()
    if not note:
        raise Refused(_("请说明数据归集的完成情况。"))
    shortfall = DataAggregationShortfall.objects.standing().filter(unit=unit).first()
    if shortfall is None:
        raise Conflict(_("%(unit)s没有未解除的数据归集记录。") % {"unit": unit.name})
    shortfall.cleared_by, shortfall.cleared_at, shortfall.cleared_note = by, timezone.now(), note
    shortfall.save(update_fields=["cleared_by", "cleared_at", "cleared_note"])
    record(
        "catalogue.aggregation.cleared",
        actor=by,
        target=shortfall,
        details={"unit": unit.name, "note": note},
    )
    return shortfall


# --- share requests (R-CAT-2, R-CAT-3) ---


@transaction.atomic
def request_share(
    resource: Resource, *, unit: Unit, by, purpose: str, items: Iterable[DataItem] = ()
) -> ShareRequest:
    """有条件: a pending request due in 10 working days. 无条件: granted at once and recorded.
    不予共享: refused here with the legal basis (R-CAT-2)."""
    _refuse_if(permissions.why_cannot_request(by, resource, unit))
    if not (purpose or "").strip():
        raise Refused(_("须说明数据用途（R-CAT-3：申请须写明使用依据和用途）。"))
    items = list(items)
    if any(item.resource_id != resource.pk for item in items):
        raise Refused(_("所选信息项不属于该资源。"))
    now = timezone.now()
    share_request = ShareRequest(
        resource=resource, requester=unit, requested_by=by, purpose=purpose.strip(), created_at=now
    )
    if resource.share_type == ShareType.CONDITIONAL:
        share_request.due_date = add_working_days(timezone.localdate(now), rules.ANSWER_WORKING_DAYS)
        _save_one_live_request(share_request, by=by, unit=unit)
        share_request.items.set(items or list(resource.items.all()))
        record(
            "catalogue.share_request.created",
            actor=by,
            target=share_request,
            to_state=share_request.state,
            details={"resource": resource.code, "due_date": share_request.due_date},
        )
    else:
        _save_one_live_request(share_request, by=by, unit=unit)
        share_request.items.set(items or list(resource.items.all()))
        workflow.perform(share_request, "grant_unconditionally", by=by)
    return share_request


def _save_one_live_request(share_request: ShareRequest, *, by, unit: Unit) -> None:
    """Insert the request; when a concurrent one of the same unit won (the database's one-live-request
    constraint), refuse with the rule's own words instead of a 500."""
    try:
        with transaction.atomic():
            share_request.save()
    except IntegrityError:
        reason = permissions.why_cannot_request(by, share_request.resource, unit)
        if reason is None:
            raise
        raise NotAllowed(reason) from None


def answer_share_request(share_request: ShareRequest, *, by, approve: bool, text: str = "") -> ShareRequest:
    """The provider's answer. The row is locked: of two concurrent answers one wins, the other gets Conflict."""
    text = (text or "").strip()
    if not approve and not text:
        _refuse_if(permissions.why_cannot_answer_request(by, share_request))
        raise Refused(str(rules.R_CAT_3_REFUSAL_REASON_REQUIRED))
    name = "approve" if approve else "refuse"
    try:
        return workflow.perform(
            share_request,
            name,
            by=by,
            expected_state=ShareRequest.State.PENDING,
            kwargs={"by": by, "text": text},
        )
    except (Conflict, NotAllowed):
        current = ShareRequest.objects.get(pk=share_request.pk)
        if current.is_pending:
            raise
        raise Conflict(
            _("该申请已由他人于%(when)s答复为“%(state)s”，您的答复未保存。")
            % {"when": permissions._when(current.answered_at), "state": current.get_state_display()}
        ) from None


# --- feedback and objections (R-CAT-4) ---


@transaction.atomic
def report_feedback(
    resource: Resource, *, unit: Unit, by, kind: str, text: str, items: Iterable[DataItem] = ()
) -> Feedback:
    _refuse_if(permissions.why_cannot_report(by, resource, unit))
    if not (text or "").strip():
        raise Refused(_("请填写反馈或异议的具体内容。"))
    if kind not in Feedback.Kind.values:
        raise Refused(_("请选择反馈类别。"))
    now = timezone.now()
    feedback = Feedback.objects.create(
        resource=resource,
        reporter=unit,
        reported_by=by,
        kind=kind,
        text=text.strip(),
        created_at=now,
        due_date=add_working_days(timezone.localdate(now), rules.ANSWER_WORKING_DAYS),
    )
    items = [item for item in items if item.resource_id == resource.pk]
    feedback.items.set(items)
    record(
        "catalogue.feedback.reported",
        actor=by,
        target=feedback,
        to_state=feedback.state,
        details={"kind": kind, "resource": resource.code, "due_date": feedback.due_date},
    )
    return feedback


def answer_feedback(feedback: Feedback, *, by, text: str) -> Feedback:
    text = (text or "").strip()
    if not text:
        _refuse_if(permissions.why_cannot_answer_feedback(by, feedback))
        raise Refused(_("请填写答复内容（R-CAT-4：提供部门应答复数据异议）。"))
    try:
        return workflow.perform(
            feedback,
            "answer_with",
            by=by,
            expected_state=Feedback.State.OPEN,
            kwargs={"by": by, "text": text},
        )
    except (Conflict, NotAllowed):
        current = Feedback.objects.get(pk=feedback.pk)
        if current.is_open:
            raise
        raise Conflict(
            _("该反馈已由他人于%(when)s答复，您的答复未保存。")
            % {"when": permissions._when(current.answered_at)}
        ) from None
