"""The catalogue's rows of the lifecycle table (``govinfo.workflow``).

A resource is drafted by its provider, submitted, published or sent back by the Big-data centre, and
retired; a share request is answered by the provider (or granted at once for 无条件共享); a feedback is
answered. ``who`` of each row is the catalogue's own guard (``catalogue/permissions.py``), which also
says what is missing (items, 共享属性) in the words the pages show.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from govinfo import workflow

from . import permissions

RESOURCE = "catalogue.Resource"
SHARE_REQUEST = "catalogue.ShareRequest"
FEEDBACK = "catalogue.Feedback"


def _published(resource) -> dict:
    from .conflicts import conflicts_for_resource

    return {"code": resource.code, "conflicts": [c.label for c in conflicts_for_resource(resource)]}


def _reason(resource) -> dict:
    return {"reason": resource.return_reason}


def _answered(share_request) -> dict:
    return {
        "answer": share_request.answer,
        "due_date": share_request.due_date,
        "overdue": bool(share_request.due_date and share_request.answered_at.date() > share_request.due_date),
    }


def _granted(share_request) -> dict:
    return {"resource": share_request.resource.code, "share_type": share_request.resource.share_type}


workflow.register(
    workflow.Step(
        RESOURCE,
        "submit",
        _("报送发布"),
        "catalogue.resource.submitted",
        who=permissions.why_cannot_submit,
        rules=("R-CAT-2",),
        noun=_("资源"),
    ),
    workflow.Step(
        RESOURCE,
        "send_back",
        _("退回修改"),
        "catalogue.resource.returned",
        who=permissions.why_cannot_review,
        noun=_("资源"),
        details=_reason,
    ),
    workflow.Step(
        RESOURCE,
        "publish",
        _("审核发布"),
        "catalogue.resource.published",
        who=permissions.why_cannot_review,
        rules=("R-CAT-1", "R-CAT-2"),
        noun=_("资源"),
        details=_published,
    ),
    workflow.Step(
        RESOURCE,
        "retire",
        _("停用"),
        "catalogue.resource.retired",
        who=permissions.why_cannot_retire,
        noun=_("资源"),
    ),
    workflow.Step(
        SHARE_REQUEST,
        "approve",
        _("同意共享"),
        "catalogue.share_request.approved",
        who=permissions.why_cannot_answer_request,
        rules=("R-CAT-3",),
        noun=_("共享申请"),
        details=_answered,
    ),
    workflow.Step(
        SHARE_REQUEST,
        "refuse",
        _("不同意共享"),
        "catalogue.share_request.refused",
        who=permissions.why_cannot_answer_request,
        rules=("R-CAT-3",),
        noun=_("共享申请"),
        details=_answered,
    ),
    workflow.Step(
        SHARE_REQUEST,
        "grant_unconditionally",
        _("无条件共享，即时开通"),
        "catalogue.share_request.granted",
        rules=("R-CAT-2",),
        noun=_("共享申请"),
        details=_granted,
    ),
    workflow.Step(
        FEEDBACK,
        "answer_with",
        _("答复"),
        "catalogue.feedback.answered",
        who=permissions.why_cannot_answer_feedback,
        rules=("R-CAT-4",),
        noun=_("反馈"),
        details=lambda feedback: {"answer": feedback.answer},
    ),
)
