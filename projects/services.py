"""Every action on a project: one function, one transaction, its audit event and its grants.

Concurrency: each action locks the project row (``select_for_update``) and compares the state the
caller saw with the state in the database; when someone else acted first the caller gets a
``Conflict`` and nothing is changed. ``ConcurrentTransitionMixin`` on the model is the second net
for any save of a stale instance.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Resource
from govinfo import workflow
from govinfo.audit import trail
from govinfo.documents.files import atomic_with_files, track
from govinfo.errors import Conflict, NotAllowed
from govinfo.orgs.models import Unit

from . import permissions
from .access import forget
from .catalogue_gate import why_cannot_link
from .materials import check_upload
from .models import Material, Project, ProjectParticipant, ProjectResource, State


def held(project: Project, doing: str) -> Project:
    """The project locked for an edit; a Conflict when its state moved since the caller read it."""
    return workflow.hold(project, doing=doing)


def sync(target: Project) -> Project:
    """Copy the committed row into the caller's instance so it shows the new state."""
    target.refresh_from_db()
    forget(target)
    return target


@transaction.atomic
def create_project(*, unit: Unit, by, **fields) -> Project:
    """A new draft filed by ``unit``; its members may see, edit and submit it."""
    if not permissions.is_applicant_of(by, unit):
        raise NotAllowed(_("只有本单位的项目单位经办人可以为本单位新建项目。"))
    fields.setdefault("year", timezone.localdate().year)
    project = Project(lead_unit=unit, created_by=by, **fields)
    project.full_clean(exclude=["created_by", "lead_unit", "state"])
    project.save()
    permissions.grant_lead(project, unit)
    trail.record(
        "projects.project.created",
        actor=by,
        target=project,
        to_state=project.state,
        details={"unit": unit.name, "name": project.name},
    )
    return project


@transaction.atomic
def update_section(project: Project, *, by, section: str, changes: dict) -> Project:
    """Save one section of the application as a draft (nothing else is touched)."""
    permissions.require(permissions.may_edit(by, project))
    fresh = held(project, _("保存"))
    changed = {}
    for name, value in changes.items():
        old = getattr(fresh, name)
        if old != value:
            setattr(fresh, name, value)
            changed[name] = {"from": old, "to": value}
    if changed:
        fresh.save()
        trail.record(
            "projects.project.updated",
            actor=by,
            target=fresh,
            details={"section": section, "fields": sorted(changed)},
        )
    return sync(project)


@transaction.atomic
def set_participants(project: Project, *, by, lead_scope: str, rows: list[tuple[Unit, str]]) -> Project:
    """Make the participating units exactly ``rows`` (unit, scope), granting and revoking their view."""
    permissions.require(permissions.may_edit(by, project))
    fresh = held(project, _("保存参建单位"))
    wanted = {unit.pk: (unit, scope.strip()) for unit, scope in rows if unit.pk != fresh.lead_unit_id}
    current = {p.unit_id: p for p in fresh.participants.select_related("unit")}
    added, removed, rescoped = [], [], []
    for unit_id, participant in current.items():
        if unit_id not in wanted:
            participant.delete()
            permissions.revoke_participant(fresh, participant.unit)
            removed.append(participant.unit.name)
        elif participant.scope != wanted[unit_id][1]:
            participant.scope = wanted[unit_id][1]
            participant.save(update_fields=["scope"])
            rescoped.append(participant.unit.name)
    for unit_id, (unit, scope) in wanted.items():
        if unit_id not in current:
            ProjectParticipant.objects.create(project=fresh, unit=unit, scope=scope)
            permissions.grant_participant(fresh, unit)
            added.append(unit.name)
    scope_changed = fresh.lead_scope != lead_scope.strip()
    if scope_changed:
        fresh.lead_scope = lead_scope.strip()
        fresh.save(update_fields=["lead_scope"])
    if added or removed or rescoped or scope_changed:
        trail.record(
            "projects.project.participants_changed",
            actor=by,
            target=fresh,
            details={
                "added": added,
                "removed": removed,
                "scope_changed": rescoped,
                "lead_scope": scope_changed,
            },
        )
    return sync(project)


@transaction.atomic
def link_resource(project: Project, *, by, resource, relation: str) -> ProjectResource:
    """Name a 信息资源目录 entry the project produces or uses (R-APP-2, 川办法 第二十条).

    The resource row is locked too: the catalogue's retire locks it, so a resource cannot be retired
    between the check and the link.
    """
    permissions.require(permissions.may_edit(by, project))
    fresh = held(project, _("关联信息资源"))
    resource = Resource.objects.select_for_update().select_related("provider").get(pk=resource.pk)
    reason = why_cannot_link(fresh, resource, relation)
    if reason:
        raise NotAllowed(reason)
    if ProjectResource.objects.filter(project=fresh, resource=resource, relation=relation).exists():
        label = ProjectResource.Relation(relation).label
        raise NotAllowed(
            _("“%(name)s”已作为“%(relation)s”的资源关联本项目，无需重复关联。")
            % {"name": resource.name, "relation": label}
        )
    link = ProjectResource.objects.create(project=fresh, resource=resource, relation=relation)
    trail.record(
        "projects.project.resource_linked",
        actor=by,
        target=fresh,
        details={
            "resource": resource.code,
            "name": resource.name,
            "provider": resource.provider.name,
            "relation": str(link.get_relation_display()),
        },
    )
    return link


@transaction.atomic
def unlink_resource(project: Project, *, by, link: ProjectResource) -> None:
    """Remove a link while the application is editable; the catalogue entry itself is untouched."""
    permissions.require(permissions.may_edit(by, project))
    fresh = held(project, _("移除关联资源"))
    found = (
        ProjectResource.objects.select_for_update()
        .select_related("resource")
        .filter(project=fresh, pk=link.pk)
        .first()
    )
    if found is None:
        raise Conflict(_("该关联已被移除，请刷新页面查看最新情况。"))
    found.delete()
    trail.record(
        "projects.project.resource_unlinked",
        actor=by,
        target=fresh,
        details={
            "resource": found.resource.code,
            "name": found.resource.name,
            "relation": str(found.get_relation_display()),
        },
    )


def upload_material(project: Project, *, by, kind: str, upload) -> Material:
    """Store a checked document as the next version of its kind; raises ValidationError when refused.

    The package is checked (``materials.check_upload``: it may inflate every part of a ZIP) before the
    case is locked. The stored file is tracked: when the row or its audit event does not commit, the
    file goes too (``atomic_with_files``), so no orphan is left in storage.
    """
    permissions.require(permissions.may_edit(by, project))
    checked = check_upload(upload)
    return _store_material(project, by=by, kind=kind, upload=upload, checked=checked)


@atomic_with_files
def _store_material(project: Project, *, by, kind: str, upload, checked) -> Material:
    fresh = held(project, _("上传材料"))
    last = fresh.materials.filter(kind=kind).order_by("-version").values_list("version", flat=True).first()
    material = Material(
        project=fresh,
        kind=kind,
        version=(last or 0) + 1,
        file_format=checked.file_format,
        display_name=checked.display_name,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    material.file.save(checked.display_name, upload, save=False)
    track(material.file)
    material.save()
    trail.record(
        "projects.material.uploaded",
        actor=by,
        target=fresh,
        details={
            "kind": material.get_kind_display(),
            "version": material.version,
            "name": material.display_name,
            "sha256": material.sha256,
            "size": material.size,
        },
    )
    return material


def submit(project: Project, *, by, expected_state: str | None = None) -> Project:
    """Submit (or resubmit after a return): the lifecycle table's submit or resubmit row.

    Refuses with every failing check at once (R-APP-1 … R-APP-12); issues the 项目代码 on first submission.
    """
    name = "resubmit" if project.state == State.RETURNED else "submit"
    seen = project.state if expected_state is None else expected_state
    workflow.perform(project, name, by=by, expected_state=seen)
    return sync(project)


def return_to_feasibility(project: Project, *, by, expected_state: str | None = None) -> Project:
    """R-APP-9: the unit takes a 初步设计 with a major change back to 可研 approval (the lifecycle table's
    ``return_to_feasibility`` row): the project stays on the two-step path at its 可研 stage, to be revised
    and submitted again."""
    seen = project.state if expected_state is None else expected_state
    workflow.perform(project, "return_to_feasibility", by=by, expected_state=seen)
    return sync(project)


def record_download(material: Material, *, by) -> None:
    """Downloads of application documents are logged (等保: who read what, when)."""
    trail.record(
        "projects.material.downloaded",
        actor=by,
        target=material.project,
        details={
            "kind": material.get_kind_display(),
            "version": material.version,
            "name": material.display_name,
        },
    )
