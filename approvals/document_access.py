"""Who else may open a review document: whoever follows the project's review (the access rule that
approvals registers with the platform's 公文 engine in ``ApprovalsConfig.ready``).

A review document is a signed opinion's 审核意见书 (its target is the ``Opinion``) or a round's 批复
(its target is the ``ReviewRound``). Whoever may follow that project's review — its units, the
reviewing agencies, NDRC, invited experts — may open it; drafts are never documents.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from govinfo.documents.models import IssuedDocument
from projects.models import Project

from .models import Opinion, ReviewRound
from .permissions import review_projects_for, review_role


def project_of_document(document: IssuedDocument) -> Project | None:
    """The project a review document belongs to (its target is an Opinion or a ReviewRound)."""
    if document.target_type_id is None:
        return None
    types = ContentType.objects.get_for_models(Opinion, ReviewRound)
    if document.target_type_id == types[Opinion].pk:
        opinion = Opinion.objects.select_related("task__round__project").filter(pk=document.target_id).first()
        return opinion.task.round.project if opinion else None
    if document.target_type_id == types[ReviewRound].pk:
        round = ReviewRound.objects.select_related("project").filter(pk=document.target_id).first()
        return round.project if round else None
    return None


def follows_review(user, document: IssuedDocument) -> bool:
    project = project_of_document(document)
    return project is not None and bool(review_role(user, project))


def review_documents(user) -> Q:
    """The same decision as a filter over documents: targets in the projects whose review ``user`` follows."""
    types = ContentType.objects.get_for_models(Opinion, ReviewRound)
    projects = review_projects_for(user).values("pk")
    opinions = (
        Opinion.objects.filter(task__round__project__in=projects)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    rounds = (
        ReviewRound.objects.filter(project__in=projects).annotate(key=Cast("pk", CharField())).values("key")
    )
    return Q(target_type=types[Opinion], target_id__in=opinions) | Q(
        target_type=types[ReviewRound], target_id__in=rounds
    )
