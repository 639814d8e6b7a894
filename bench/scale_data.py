"""Realistic data at scale for bench/scale.py, written fast (PostgreSQL COPY, ids allocated here).

``grow(total)`` brings the configured database to ``total`` projects, keeping what is there. The rows
are what the services would have left behind, in the proportions measured on a province's history
(issue 13: at 100k projects 95k review rounds, 389k tasks, 338k opinions, 395k documents, 1.49M audit
events, 30k catalogue resources):

- the work in hand (drafts, reviews, construction, acceptance) is three years' intake of 300 cases, at
  every size; a larger database adds settled history (in operation, evaluated, rejected, terminated);
- 100 units, each with a clerk; the grants the services make — the lead unit's group (view, change,
  submit), participating units' groups (view), NDRC's group once submitted, each reviewing agency's group
  (view, opened by its task), and a personal grant for each invited expert;
- rounds (one per submitted case, a returned round before it for one in ten), three to six tasks per round
  (the Article-22 agencies, finance nearly always), a signed opinion with its 审核意见书 per closed task,
  a 批复 or 不予批复函 per decided round, three experts invited to each round's 评估论证 (第二十四条);
- about 15 audit events per case on a proper hash chain (``verify_audit`` still holds), the chain head
  moved to the end;
- 0.3 catalogue resources per case, eight data items each: two from a pool of 40 names many providers
  hold (the 一数一源 conflicts), six of the resource's own; maintained by the provider's group.

Issued documents point at no file (the PDF bytes are not what a list page reads). Everything is
deterministic for a given starting size (``random.Random(total)``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

PASSWORD = "scale-bench-2026"
UNITS = 100
EXPERTS = 50
EXPERTS_PER_ROUND = 3
RESOURCES_PER_PROJECT = 0.3
ITEMS_PER_RESOURCE = 8
# A catalogue's items: most belong to their resource alone (许可证编号, 检测结果…), a few dozen are held
# by many providers (身份证号码, 姓名, 统一社会信用代码, 地址…) — the 一数一源 conflicts, each with more
# sources as the catalogue grows (a dozen already at 1 000 cases).
SHARED_ITEM_NAMES = 40
SHARED_ITEMS_PER_RESOURCE = 2
ARTICLE_22 = ("cyberspace", "secrecy", "crypto", "econit", "police", "finance", "bigdata")
MISSING = object()

# Where the cases of a province stand after decades: most are long in operation.
STATES = (
    ("draft", 8),
    ("returned", 2),
    ("submitted", 2),
    ("in_review", 3),
    ("evaluation", 1),
    ("approved", 5),
    ("rejected", 4),
    ("filed", 3),
    ("in_construction", 10),
    ("trial_operation", 5),
    ("acceptance_review", 1),
    ("in_operation", 40),
    ("self_evaluated", 8),
    ("evaluated", 8),
)
SETTLED = (
    ("in_operation", 60),
    ("self_evaluated", 15),
    ("evaluated", 15),
    ("rejected", 7),
    ("terminated", 3),
)
SETTLED_NAMES, SETTLED_WEIGHTS = zip(*SETTLED, strict=True)
YEARS = 27
# The work in hand — drafts, reviews, construction, acceptance — is the last three years' intake, a few
# hundred cases a year whatever the archive holds: a larger database adds history, not more work in
# hand, so each size's to-do lists and review queues show the same kind of page.
INTAKE_PER_YEAR = 300
LIVE_YEARS = 3
OPEN_ROUND = {"in_review", "evaluation"}
NO_ROUND = {"draft", "submitted"}


# -- bulk writing ------------------------------------------------------------------------------


def _prep(field, value):
    if value is MISSING:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        else:
            value = field.get_default()
    if isinstance(field, models.JSONField) and value is not None:
        return Jsonb(value)
    return value


def copy_rows(model, rows) -> int:
    """COPY ``rows`` (dicts keyed by attname; missing ones take the field default) into ``model``'s table.

    On another database than PostgreSQL (the query-count tests on SQLite) the rows are bulk-created."""
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        model.objects.bulk_create(objects, batch_size=500)
        return len(objects)
    fields = model._meta.concrete_fields
    columns = ", ".join(f'"{f.column}"' for f in fields)
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([_prep(f, row.get(f.attname, MISSING)) for f in fields])
                count += 1
    return count


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')
        return cursor.fetchone()[0]


def _reset_sequences(*model_list) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite numbers a new row after the largest id
    with connection.cursor() as cursor:
        for model in model_list:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
            )


# -- the people ----------------------------------------------------------------------------------


def _user(username: str, full_name: str, password: str, **extra):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create(username=username, full_name=full_name, password=password, **extra)
    return user


def _member(user, role, *, unit=None, agency=None):
    from govinfo.orgs.models import Membership

    Membership.objects.get_or_create(user=user, role=role, unit=unit, agency=agency)


def people() -> dict:
    """Units, their clerks, one reviewer-signer per agency, an auditor, an administrator and experts."""
    from django.contrib.auth.models import Group

    from govinfo.orgs.agencies import ensure_seed_agencies
    from govinfo.orgs.credit_code import make_credit_code
    from govinfo.orgs.models import Agency, Role, Unit

    ensure_seed_agencies(Agency, Group)
    password = make_password(PASSWORD)
    units = list(Unit.objects.filter(name__startswith="规模测试厅").order_by("id"))
    for n in range(len(units), UNITS):
        units.append(
            Unit.objects.create(
                name=f"规模测试厅{n:03d}",
                short_name=f"测试厅{n:03d}",
                credit_code=make_credit_code(f"11510000MC{n:07d}"),
                head="张三",
            )
        )
    clerks = []
    for n, unit in enumerate(units):
        clerk = _user(f"scale-unit-{n:03d}", f"经办人{n:03d}", password)
        _member(clerk, Role.APPLICANT, unit=unit)
        clerks.append(clerk)
    agencies = {a.code: a for a in Agency.objects.all()}
    staff = {}
    for code, agency in agencies.items():
        if code == "audit":
            continue
        user = _user(f"scale-{code}", f"{agency.short_name or agency.name}审核", password)
        _member(user, Role.REVIEWER, agency=agency)
        _member(user, Role.SIGNER, agency=agency)
        staff[code] = user
    auditor = _user("scale-auditor", "审计人员", password)
    _member(auditor, Role.AUDITOR, agency=agencies.get("audit"))
    admin = _user("scale-admin", "系统管理员", password, is_staff=True, is_superuser=True)
    _member(admin, Role.ADMIN)
    experts = []
    for n in range(EXPERTS):
        expert = _user(f"scale-expert-{n:02d}", f"专家{n:02d}", password)
        _member(expert, Role.EXPERT)
        experts.append(expert)
    return {
        "units": units,
        "clerks": clerks,
        "agencies": agencies,
        "staff": staff,
        "auditor": auditor,
        "admin": admin,
        "experts": experts,
    }


# -- the cases -------------------------------------------------------------------------------------


def _perm(app_label: str, codename: str) -> int:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename).pk


class _Chain:
    """Collects the events of a run, then puts them on the audit hash chain in time order and COPYs them.

    The chain refuses time running backwards, so an event older than the chain's end (growing a database
    that already has later events) takes the end's time.
    """

    def __init__(self):
        from govinfo.audit.chain import GENESIS
        from govinfo.audit.models import AuditEvent

        last = AuditEvent.objects.order_by("-seq").values("seq", "hash", "created_at").first()
        self.seq = last["seq"] if last else 0
        self.hash = last["hash"] if last else GENESIS
        self.last_time = last["created_at"] if last else None
        self.next_id = _next_id(AuditEvent)
        self.events: list[tuple] = []

    def add(
        self,
        when,
        actor_id,
        action,
        target_type_id,
        target_id,
        target_repr,
        case_type_id,
        case_id,
        from_state="",
        to_state="",
    ):
        self.events.append(
            (
                when,
                len(self.events),
                actor_id,
                action,
                target_type_id,
                str(target_id),
                target_repr,
                case_type_id,
                str(case_id),
                from_state,
                to_state,
            )
        )

    def _rows(self):
        from govinfo.audit.chain import event_hash

        self.events.sort()
        for when, _n, actor_id, action, tt, tid, trepr, ct, cid, from_state, to_state in self.events:
            if self.last_time is not None and when < self.last_time:
                when = self.last_time
            self.last_time = when
            self.seq += 1
            row = {
                "id": self.next_id,
                "seq": self.seq,
                "prev_hash": self.hash,
                "created_at": when,
                "actor_id": actor_id,
                "action": action,
                "target_type_id": tt,
                "target_id": tid,
                "target_repr": trepr,
                "from_state": from_state,
                "to_state": to_state,
                "details": {},
                "ip_address": "10.1.2.3",
                "case_type_id": ct,
                "case_id": cid,
            }
            row["hash"] = self.hash = event_hash(row)
            self.next_id += 1
            yield row

    def write(self):
        """COPY every collected event, then move the chain head to the last one (the head's trigger lets
        it advance one step at a time; the owner role writing in bulk steps past it for this one update)."""
        from govinfo.audit.chain import HEAD_ID
        from govinfo.audit.models import AuditEvent

        copy_rows(AuditEvent, self._rows())
        self.events = []
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("DELETE FROM audit_chainhead")
            cursor.execute(
                "INSERT INTO audit_chainhead (id, seq, hash) VALUES (%s, %s, %s)",
                [HEAD_ID, self.seq, self.hash],
            )
            cursor.execute("SET LOCAL session_replication_role = origin")


def grow(total: int, *, log=print, audit: bool = True) -> int:
    """Bring the database to ``total`` projects; returns how many were added.

    ``audit=False`` writes no audit events (the query-count tests, where the chain's bulk seal —
    a PostgreSQL owner's privilege — is not available)."""
    from approvals.models import ExpertInvitation, Opinion, ReviewRound, ReviewTask
    from catalogue.models import DataItem, Resource, ResourceGroupObjectPermission
    from govinfo.documents.models import IssuedDocument
    from projects.models import (
        Project,
        ProjectGroupObjectPermission,
        ProjectParticipant,
        ProjectUserObjectPermission,
    )

    crowd = people()
    have = Project.objects.count()
    if have >= total:
        log(f"already {have} projects")
        return 0

    rnd = random.Random(total)
    units, clerks, agencies, staff, experts = (
        crowd["units"],
        crowd["clerks"],
        crowd["agencies"],
        crowd["staff"],
        crowd["experts"],
    )
    ndrc = agencies["ndrc"]
    view = _perm("projects", "view_project")
    change = _perm("projects", "change_project")
    submit = _perm("projects", "submit_project")
    resource_perms = [_perm("catalogue", c) for c in ("view_resource", "change_resource", "delete_resource")]
    project_ct = ContentType.objects.get_for_model(Project).pk
    round_ct = ContentType.objects.get_for_model(ReviewRound).pk
    opinion_ct = ContentType.objects.get_for_model(Opinion).pk
    resource_ct = ContentType.objects.get_for_model(Resource).pk
    state_names, state_weights = zip(*STATES, strict=True)
    live_share = min(1.0, INTAKE_PER_YEAR * LIVE_YEARS / total)
    now = timezone.now()
    this_year = now.year

    ids = {
        m: _next_id(m)
        for m in (
            Project,
            ProjectGroupObjectPermission,
            ProjectUserObjectPermission,
            ProjectParticipant,
            ReviewRound,
            ReviewTask,
            Opinion,
            IssuedDocument,
            ExpertInvitation,
            Resource,
            DataItem,
            ResourceGroupObjectPermission,
        )
    }

    def take(model):
        value = ids[model]
        ids[model] += 1
        return value

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT agency_id, year, COALESCE(MAX(number), 0) FROM approvals_issueddocument GROUP BY 1, 2"
        )
        doc_numbers = {(a, y): n for a, y, n in cursor.fetchall()}
    chain = _Chain()
    batch = 5000
    started = have
    with transaction.atomic():
        for start in range(have, total, batch):
            stop = min(start + batch, total)
            projects, grants, user_grants, participants = [], [], [], []
            rounds, tasks, opinions, documents, invitations = [], [], [], [], []
            resources, items, resource_grants = [], [], []
            for n in range(start, stop):
                pid = take(Project)
                lead = rnd.randrange(len(units))
                unit, clerk = units[lead], clerks[lead]
                # A province's history: the last three years' intake is the work in hand (any state of
                # the lifecycle); older cases, up to 27 years back, are settled.
                if rnd.random() < live_share:
                    year = this_year - rnd.randrange(LIVE_YEARS)
                    state = rnd.choices(state_names, state_weights)[0]
                else:
                    year = this_year - rnd.randrange(LIVE_YEARS, YEARS)
                    state = rnd.choices(SETTLED_NAMES, SETTLED_WEIGHTS)[0]
                if n < 2:
                    # The first two cases are the first clerk's, one settled, one in review with a finance
                    # task open and the first expert invited: every list has rows at every size.
                    lead, state, year = 0, ("in_operation", "in_review")[n], (year, this_year)[n]
                    unit, clerk = units[0], clerks[0]
                created = timezone.make_aware(
                    dt.datetime(year - 1, 9, 1) + dt.timedelta(minutes=rnd.randrange(300 * 24 * 60))
                )
                if created > now:
                    created = now - dt.timedelta(days=rnd.randrange(1, 60))
                submitted = created + dt.timedelta(days=rnd.randrange(5, 60)) if state != "draft" else None
                updated = min(now, (submitted or created) + dt.timedelta(days=rnd.randrange(0, 400)))
                name = f"{unit.short_name}政务信息化项目{n:06d}"
                projects.append(
                    {
                        "id": pid,
                        "code": f"{year}-510000-65-{n:06d}" if submitted else None,
                        "state": state,
                        "name": name,
                        "year": year,
                        "category": "business_system",
                        "lead_unit_id": unit.pk,
                        "implementation_mode": "self_build",
                        "main_tasks": "建设统一的业务应用系统。",
                        "total_investment": Decimal(rnd.randrange(50, 5000) * 10000),
                        "om_funding": Decimal("0"),
                        "approval_path": "one_step",
                        "first_submitted_at": submitted,
                        "submitted_at": submitted,
                        "created_by_id": clerk.pk,
                        "created_at": created,
                        "updated_at": updated,
                    }
                )
                for perm in (view, change, submit):
                    grants.append(
                        {
                            "id": take(ProjectGroupObjectPermission),
                            "group_id": unit.group_id,
                            "permission_id": perm,
                            "content_object_id": pid,
                        }
                    )
                if rnd.random() < 0.3:
                    other = units[(lead + 1 + rnd.randrange(len(units) - 1)) % len(units)]
                    participants.append(
                        {
                            "id": take(ProjectParticipant),
                            "project_id": pid,
                            "unit_id": other.pk,
                            "scope": "参与建设",
                            "created_at": created,
                        }
                    )
                    grants.append(
                        {
                            "id": take(ProjectGroupObjectPermission),
                            "group_id": other.group_id,
                            "permission_id": view,
                            "content_object_id": pid,
                        }
                    )
                chain.add(
                    created, clerk.pk, "projects.project.created", project_ct, pid, name, project_ct, pid
                )
                chain.add(
                    created, clerk.pk, "projects.project.updated", project_ct, pid, name, project_ct, pid
                )
                chain.add(
                    created, clerk.pk, "projects.project.updated", project_ct, pid, name, project_ct, pid
                )
                if submitted is None:
                    continue
                grants.append(
                    {
                        "id": take(ProjectGroupObjectPermission),
                        "group_id": ndrc.group_id,
                        "permission_id": view,
                        "content_object_id": pid,
                    }
                )
                chain.add(
                    submitted,
                    clerk.pk,
                    "projects.project.submitted",
                    project_ct,
                    pid,
                    name,
                    project_ct,
                    pid,
                    from_state="draft",
                    to_state="submitted",
                )
                chain.add(
                    submitted, clerk.pk, "projects.revision.frozen", project_ct, pid, name, project_ct, pid
                )
                if state in NO_ROUND:
                    continue
                # Rounds: a returned one first for one case in ten, then the round that stands.
                statuses = (["returned"] if rnd.random() < 0.1 else []) + [
                    "open" if state in OPEN_ROUND else "returned" if state == "returned" else "decided"
                ]
                granted_agencies, invited = set(), set()
                opened = submitted + dt.timedelta(days=3)
                for number, status in enumerate(statuses, start=1):
                    rid = take(ReviewRound)
                    closed = opened + dt.timedelta(days=25) if status != "open" else None
                    outcome = {"open": "", "returned": "returned"}.get(
                        status, "rejected" if state == "rejected" else "approved"
                    )
                    decision_doc = None
                    if status == "decided":
                        kind = "rejection" if outcome == "rejected" else "approval"
                        decision_doc = _document(
                            documents,
                            doc_numbers,
                            take(IssuedDocument),
                            kind,
                            ndrc,
                            closed,
                            round_ct,
                            rid,
                            projects[-1],
                            staff["ndrc"].pk,
                            rnd,
                        )
                    rounds.append(
                        {
                            "id": rid,
                            "project_id": pid,
                            "stage": "implementation",
                            "number": number,
                            "status": status,
                            "opened_at": opened,
                            "opened_by_id": staff["ndrc"].pk,
                            "closed_at": closed,
                            "closed_by_id": staff["ndrc"].pk if closed else None,
                            "outcome": outcome,
                            "reason": "请补充材料。" if status == "returned" else "",
                            "decision_document_id": decision_doc,
                        }
                    )
                    chain.add(
                        opened,
                        staff["ndrc"].pk,
                        "projects.project.accepted",
                        project_ct,
                        pid,
                        name,
                        project_ct,
                        pid,
                        from_state="submitted",
                        to_state="in_review",
                    )
                    chain.add(
                        opened,
                        staff["ndrc"].pk,
                        "approvals.round.opened",
                        round_ct,
                        rid,
                        name,
                        project_ct,
                        pid,
                    )
                    chosen = [
                        code
                        for code in ARTICLE_22
                        if code == "finance"
                        and (rnd.random() < 0.85 or n == 1)
                        or code != "finance"
                        and rnd.random() < 0.45
                    ]
                    for code in chosen:
                        agency = agencies[code]
                        tid = take(ReviewTask)
                        signed = status != "open" or (rnd.random() < 0.4 and n != 1)
                        tasks.append(
                            {
                                "id": tid,
                                "round_id": rid,
                                "agency_id": agency.pk,
                                "status": "signed" if signed else "open",
                                "due_date": (opened + dt.timedelta(days=14)).date(),
                                "created_at": opened,
                                "closed_at": closed if signed else None,
                                "assignee_id": staff[code].pk,
                            }
                        )
                        if code not in granted_agencies:
                            granted_agencies.add(code)
                            grants.append(
                                {
                                    "id": take(ProjectGroupObjectPermission),
                                    "group_id": agency.group_id,
                                    "permission_id": view,
                                    "content_object_id": pid,
                                }
                            )
                        if signed or rnd.random() < 0.5:
                            oid = take(Opinion)
                            when = opened + dt.timedelta(days=rnd.randrange(1, 14))
                            doc = None
                            if signed:
                                doc = _document(
                                    documents,
                                    doc_numbers,
                                    take(IssuedDocument),
                                    "opinion",
                                    agency,
                                    when,
                                    opinion_ct,
                                    oid,
                                    projects[-1],
                                    staff[code].pk,
                                    rnd,
                                )
                            opinions.append(
                                {
                                    "id": oid,
                                    "task_id": tid,
                                    "conclusion": "approve",
                                    "text": "同意。",
                                    "conditions": "",
                                    "status": "signed" if signed else "draft",
                                    "drafted_by_id": staff[code].pk,
                                    "drafted_at": when,
                                    "signed_by_id": staff[code].pk if signed else None,
                                    "signed_at": when if signed else None,
                                    "document_id": doc,
                                }
                            )
                            chain.add(
                                when,
                                staff[code].pk,
                                "approvals.opinion.drafted",
                                opinion_ct,
                                oid,
                                name,
                                project_ct,
                                pid,
                            )
                            if signed:
                                chain.add(
                                    when,
                                    staff[code].pk,
                                    "approvals.opinion.signed",
                                    opinion_ct,
                                    oid,
                                    name,
                                    project_ct,
                                    pid,
                                )
                    # 第二十四条: every case's 评估论证 before its 批复, three experts of the pool (the first
                    # expert always on the first clerk's case in review).
                    panel = rnd.sample(experts, EXPERTS_PER_ROUND)
                    if n == 1 and experts[0] not in panel:
                        panel[0] = experts[0]
                    for expert in panel:
                        invitations.append(
                            {
                                "id": take(ExpertInvitation),
                                "round_id": rid,
                                "expert_id": expert.pk,
                                "invited_by_id": staff["ndrc"].pk,
                                "invited_at": opened,
                                "due_date": (opened + dt.timedelta(days=20)).date(),
                            }
                        )
                        if expert.pk not in invited:
                            invited.add(expert.pk)
                            user_grants.append(
                                {
                                    "id": take(ProjectUserObjectPermission),
                                    "user_id": expert.pk,
                                    "permission_id": view,
                                    "content_object_id": pid,
                                }
                            )
                        chain.add(
                            opened,
                            staff["ndrc"].pk,
                            "approvals.expert.invited",
                            round_ct,
                            rid,
                            name,
                            project_ct,
                            pid,
                        )
                    if closed:
                        action = (
                            "approvals.round.returned"
                            if status == "returned"
                            else f"approvals.project.{outcome}"
                        )
                        chain.add(closed, staff["ndrc"].pk, action, round_ct, rid, name, project_ct, pid)
                        opened = closed + dt.timedelta(days=20)
                # The years after the 批复: filing, construction, reports … as plain case events.
                for _k in range(rnd.randrange(0, 5) if state not in OPEN_ROUND else 0):
                    chain.add(
                        updated, clerk.pk, "projects.project.updated", project_ct, pid, name, project_ct, pid
                    )
            # The catalogue grows with the cases.
            want = int(stop * RESOURCES_PER_PROJECT) - int(start * RESOURCES_PER_PROJECT)
            for _ in range(want):
                rid = take(Resource)
                # The first resource is the first unit's: the bench's clerk maintains one at every size.
                provider = units[0] if rid == 1 else units[rnd.randrange(len(units))]
                state = "published" if rnd.random() < 0.85 else rnd.choice(("draft", "submitted", "retired"))
                resources.append(
                    {
                        "id": rid,
                        "category": "3",
                        "subject": "",
                        "name": _resource_name(provider.short_name, rid, rnd),
                        "code": f"3{provider.pk % 100:02d}001{rid:07d}/{rid % 1000 + 1}",
                        "provider_id": provider.pk,
                        "summary": f"{provider.short_name}在{rnd.choice(SUBJECTS)}业务办理中形成的数据。",
                        "format": "database",
                        "share_type": "unconditional",
                        "share_method": "api",
                        "open_attribute": "closed",
                        "update_cycle": "daily",
                        "published_on": now.date() if state == "published" else None,
                        "state": state,
                        "created_by_id": clerks[units.index(provider)].pk,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                for perm in resource_perms:
                    resource_grants.append(
                        {
                            "id": take(ResourceGroupObjectPermission),
                            "group_id": provider.group_id,
                            "permission_id": perm,
                            "content_object_id": rid,
                        }
                    )
                for position, name in enumerate(_item_names(rid, rnd)):
                    items.append(
                        {
                            "id": take(DataItem),
                            "resource_id": rid,
                            "name": name,
                            "normalized_name": name,
                            "published_provider_id": provider.pk if state == "published" else None,
                            "data_type": "string",
                            "length": 64,
                            "description": "",
                            "position": position,
                        }
                    )
                chain.add(
                    now,
                    staff["bigdata"].pk,
                    "catalogue.resource.published",
                    resource_ct,
                    rid,
                    resources[-1]["name"],
                    resource_ct,
                    rid,
                )
            copy_rows(IssuedDocument, documents)
            copy_rows(Project, projects)
            copy_rows(ProjectGroupObjectPermission, grants)
            copy_rows(ProjectUserObjectPermission, user_grants)
            copy_rows(ProjectParticipant, participants)
            copy_rows(ReviewRound, rounds)
            copy_rows(ReviewTask, tasks)
            copy_rows(Opinion, opinions)
            copy_rows(ExpertInvitation, invitations)
            copy_rows(Resource, resources)
            copy_rows(DataItem, items)
            copy_rows(ResourceGroupObjectPermission, resource_grants)
            log(f"  {stop} projects")
        if audit:
            chain.write()
        _reset_sequences(
            Project,
            ProjectGroupObjectPermission,
            ProjectUserObjectPermission,
            ProjectParticipant,
            ReviewRound,
            ReviewTask,
            Opinion,
            IssuedDocument,
            ExpertInvitation,
            Resource,
            DataItem,
            ResourceGroupObjectPermission,
        )
        from govinfo.audit.models import AuditEvent

        _reset_sequences(AuditEvent)
    from catalogue.conflicts import rebuild

    rebuild()  # the items came by COPY, past the recount of their publication
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum leaves a live database: statistics, and the visibility map that lets counts and
            # keyset pages read an index alone (COPY leaves every page unmarked). Inside a transaction (the
            # query-count tests) VACUUM cannot run; the statistics are what their plans need.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return total - started


# What resources are about, and what they hold: a catalogue's names are varied, so a search for a
# subject finds its share of the catalogue, not every row.
SUBJECTS = (
    "学籍",
    "社会保险",
    "不动产登记",
    "婚姻登记",
    "户籍",
    "企业登记",
    "税务登记",
    "医疗机构",
    "药品监管",
    "食品安全",
    "道路运输",
    "机动车",
    "驾驶人",
    "建设工程",
    "住房公积金",
    "低保救助",
    "残疾人",
    "退役军人",
    "养老服务",
    "就业失业",
    "职业资格",
    "专利",
    "商标",
    "环境监测",
    "排污许可",
    "水资源",
    "森林资源",
    "耕地保护",
    "气象观测",
    "地震监测",
    "应急物资",
    "安全生产",
    "消防检查",
    "文物保护",
    "旅游景区",
    "体育场馆",
    "图书馆藏",
    "广播电视",
    "出版物",
    "网络安全",
    "政府采购",
    "财政预算",
    "国有资产",
    "审计项目",
    "统计调查",
    "价格监测",
    "粮食储备",
    "电力供应",
    "通信基站",
    "邮政快递",
)
HOLDINGS = ("信息", "数据", "台账", "名录", "登记表", "统计表", "证照信息", "目录", "档案", "明细")


def _resource_name(provider: str, rid: int, rnd) -> str:
    return f"{provider}{rnd.choice(SUBJECTS)}{rnd.choice(HOLDINGS)}（{rid:06d}）"


def _item_names(rid: int, rnd) -> list[str]:
    """A resource's item names: a few from the shared pool, the rest its own."""
    shared = [f"共用信息项{n:03d}" for n in rnd.sample(range(SHARED_ITEM_NAMES), SHARED_ITEMS_PER_RESOURCE)]
    own = [f"信息项{rid:07d}-{k}" for k in range(ITEMS_PER_RESOURCE - SHARED_ITEMS_PER_RESOURCE)]
    return shared + own


def _document(
    documents, numbers, doc_id, kind, agency, when, target_type_id, target_id, project, by, rnd
) -> int:
    name, code = project["name"], project["code"]
    key = (agency.pk, when.year)
    numbers[key] = numbers.get(key, 0) + 1
    number = numbers[key]
    token = hashlib.sha256(f"{doc_id}-{rnd.random()}".encode()).hexdigest()
    documents.append(
        {
            "id": doc_id,
            "kind": kind,
            "agency_id": agency.pk,
            "year": when.year,
            "number": number,
            "doc_number": f"{agency.doc_prefix or agency.code}〔{when.year}〕{number}号",
            "title": f"关于{name}的{kind}",
            "target_type_id": target_type_id,
            "target_id": str(target_id),
            "project_code": code or "",
            "project_name": name,
            "issued_at": when,
            "issued_by_id": by,
            "pdf": "",
            "sha256": hashlib.sha256(token.encode()).hexdigest(),
            "content": {},
            "content_fingerprint": token,
            "verification_token": token[:32] + f"{doc_id:x}",
        }
    )
    return doc_id
