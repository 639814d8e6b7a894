"""The lifecycle table: every transition of every case object is one row, and one helper performs any row.

A row (``Step``) names a django-fsm transition method of a model and says what the code around it must
know: its label on buttons, who may take it (``who`` answers the reason it is refused, or ``None``),
the rules that guard it (``guard`` returns their ``Failure`` values), the audit action it writes and
the case the event belongs to. Source and target states are declared once, on the ``@transition`` of the
model, and read from there (``sources``/``target``); the ``who`` of a row is handed to django-fsm as the
transition's ``permission=`` through ``fsm_permission`` so ``has_transition_perm`` agrees with the table.

Apps register their rows in their ``lifecycle`` module (imported by their ``AppConfig.ready``): projects
the application's own steps, approvals the review's steps on the project, rounds, tasks and opinions,
later apps the construction-to-evaluation steps. ``table()`` is the whole rulebook, e.g. for the docs.

``perform`` is the ritual every service used to write by hand: lock the case, lock and re-read the
object, compare its state with the state the caller saw (``expected_state``; a stale page or API client
gets a ``Conflict``), ask ``who`` and ``guard``, call the transition, save, write the audit event and
bring the caller's instance up to date — all inside one transaction, which the calling service may
widen with its own side effects (opening tasks, issuing a document).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from .audit import trail
from .documents.files import atomic_with_files
from .documents.prerender import render_outside_the_lock
from .errors import Conflict, Failure, NotAllowed, Refused
from .formats import clauses
from .orgs import roles

Who = Callable[[Any, Any], "str | None"]
Guard = Callable[[Any], list[Failure]]

_UNSET: Any = object()
READ_ONLY_REFUSAL = gettext_lazy(
    "审计和系统管理人员可以查阅全部案件，但不能办理业务；本次操作未执行并已记录。"
)


@dataclass(frozen=True)
class Step:
    """One row of the lifecycle table (see the module docstring)."""

    model: str  # app label and model name, e.g. "projects.Project"
    name: str  # the @transition method
    label: Any  # what the button says (lazy gettext)
    action: (
        str | None
    )  # audit action written when the step is taken; None when the step that causes it says it
    who: Who | None = None  # None: a consequence of another step, taken by the system for its actor
    rules: tuple[str, ...] = ()
    guard: Guard | None = None
    case: Callable[[Any], models.Model] | None = (
        None  # the case an event belongs to; the object itself if None
    )
    noun: Any = gettext_lazy("项目")  # what a conflict message calls the object
    details: Callable[[Any], dict] | None = None  # what the audit event records besides the caller's details
    # What the step does besides changing state (open a round, close tasks, issue a document), in the same
    # transaction, before the save and the one event: every caller gets the whole step, never half of it.
    effect: Callable[..., Any] | None = None
    # What follows from the step once its event is written (the last signature moves the case on): its own
    # steps, whose events come after this one's in the timeline.
    then: Callable[..., Any] | None = None
    # States from which the step is not possible *yet*: there the guard's failures say why better than
    # the state does (an approval asked for while opinions are still missing cites R-REV-3).
    waits_in: tuple[str, ...] = ()
    # Who takes the step, as the project page's "next steps" names them (项目单位, 省发展改革委 …), and the
    # page where it is taken (``page(obj) -> url``): the story of a case lists every step this way.
    role: Any = None
    page: Callable[[Any], str] | None = None

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def method(self):
        return getattr(self.model_class, self.name)

    @property
    def state_field(self) -> str:
        meta = self.method._django_fsm
        return meta.field if isinstance(meta.field, str) else meta.field.name

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self.method._django_fsm.transitions)

    @property
    def target(self) -> str:
        return next(iter(self.method._django_fsm.transitions.values())).target

    @property
    def is_system(self) -> bool:
        return self.who is None

    def waits(self, obj) -> bool:
        return getattr(obj, self.state_field) in self.waits_in

    def case_of(self, obj) -> models.Model:
        return self.case(obj) if self.case else obj

    def refusal(self, user, obj) -> str | None:
        """Why ``user`` may not take this step on ``obj`` now (who, then state), or None."""
        if self.who is not None:
            if roles.is_read_only(user):
                return str(READ_ONLY_REFUSAL)
            reason = self.who(user, obj)
            if reason:
                return reason
        if not can_proceed(getattr(obj, self.name), check_conditions=False):
            return _("%(noun)s当前状态为“%(state)s”，不能%(step)s。") % {
                "noun": self.noun,
                "state": _state_label(obj, self.state_field),
                "step": self.label,
            }
        return None


_TABLE: dict[tuple[str, str], Step] = {}


def register(*steps: Step) -> None:
    for step in steps:
        key = (step.model, step.name)
        if key in _TABLE and _TABLE[key] != step:
            raise ValueError(f"lifecycle step {key} registered twice")
        _TABLE[key] = step


def table() -> list[Step]:
    """Every registered row, grouped by model in registration order."""
    return list(_TABLE.values())


def step(model: str, name: str) -> Step:
    return _TABLE[(model, name)]


def _label(obj) -> str:
    return obj._meta.label


def steps_for(obj) -> list[Step]:
    label = _label(obj)
    return [s for s in _TABLE.values() if s.model == label]


def fsm_permission(model: str, name: str) -> Callable[[Any, Any], bool]:
    """``permission=`` for the model's ``@transition``: the row's ``who``, looked up when asked."""

    def allowed(instance, user) -> bool:
        row = _TABLE.get((model, name))
        return row is not None and (row.who is None or row.who(user, instance) is None)

    allowed.__name__ = f"may_{name}"
    return allowed


def _state_label(obj, field_name: str) -> str:
    return str(getattr(obj, f"get_{field_name}_display")())


@dataclass(frozen=True)
class Action:
    """A step as a page shows it: enabled, or disabled with the reason why."""

    step: Step
    allowed: bool
    reason: str = ""

    @property
    def name(self) -> str:
        return self.step.name

    @property
    def label(self):
        return self.step.label


def actions(obj, user, names: Iterable[str] | None = None) -> list[Action]:
    """The steps a person could take on ``obj`` from its current state, each allowed or not with why.

    Steps from other states are left out (nobody expects a button for them) unless the state is one the
    step waits in (an approval while opinions are missing: shown disabled, with the rule); system steps too.
    """
    wanted = set(names) if names is not None else None
    found = []
    for row in steps_for(obj):
        if row.is_system or (wanted is not None and row.name not in wanted):
            continue
        if not (can_proceed(getattr(obj, row.name), check_conditions=False) or row.waits(obj)):
            continue
        allowed, reason = may(obj, user, row.name)
        found.append(Action(row, allowed, reason))
    return found


def may(obj, user, name: str, *, check_rules: bool = True) -> tuple[bool, str]:
    """(allowed, reason) for one step, as the page asks before showing its button: who, the rules, the state.

    ``check_rules=False`` leaves the guard out, for a page that lists the rules' failures itself.
    """
    row = step(_label(obj), name)
    reason = row.refusal(user, obj)
    if (
        check_rules
        and row.guard is not None
        and (reason is None or (row.waits(obj) and not _who_refuses(row, user, obj)))
    ):
        failures = row.guard(obj)
        if failures:
            return False, clauses(str(f) for f in failures)
    return reason is None, reason or ""


def takes(obj, user, name: str) -> bool:
    """Is ``user`` one of the people who take step ``name`` on ``obj``, whatever the state and the rules?

    The story of a case shows such a person their step even while it waits (with why), and shows
    everyone else only who takes it.
    """
    row = step(_label(obj), name)
    return not row.is_system and not _who_refuses(row, user, obj)


def _who_refuses(row: Step, user, obj) -> bool:
    return row.who is not None and (roles.is_read_only(user) or row.who(user, obj) is not None)


def lock(obj: models.Model) -> models.Model:
    """``obj`` re-read under a row lock (``select_for_update``) in the current transaction."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def hold(obj: models.Model, *, doing, expected_state: str | None = _UNSET, field_name: str = "state"):
    """``obj`` locked for an action that is not a transition (editing a draft, drafting an opinion).

    Like ``perform`` it compares the state the caller saw (by default the state of ``obj``) with the
    locked row's, and answers a ``Conflict`` naming what the case is now when they differ. ``doing`` is
    what the caller was trying to do, as the message says it ("保存", "上传材料").
    """
    fresh = lock(obj)
    seen = getattr(obj, field_name) if expected_state is _UNSET else expected_state
    if seen is not None and getattr(fresh, field_name) != seen:
        raise Conflict(
            _("%(noun)s已被他人处理，当前状态为“%(state)s”，未能%(step)s。请刷新页面查看最新情况。")
            % {"noun": fresh._meta.verbose_name, "state": _state_label(fresh, field_name), "step": doing}
        )
    return fresh


@render_outside_the_lock  # a document the step issues renders before the transaction, not inside it
def perform(
    obj: models.Model,
    name: str,
    *,
    by,
    expected_state: str | None = _UNSET,
    details: dict | None = None,
    args: tuple = (),
    kwargs: dict | None = None,
    effect_kwargs: dict | None = None,
    locked_case: models.Model | None = None,
) -> models.Model:
    """Take the step ``name`` on ``obj`` for ``by``; returns the saved, locked instance.

    ``expected_state`` is the state the caller saw: by default the state of ``obj`` as passed in, so a
    stale instance (or a stale page that posts what it showed) gets a ``Conflict`` and nothing changes.
    Pass ``None`` to skip the comparison (a system step taken as a consequence of another). The case
    row is locked before the object (the lock order of every service: case, then its parts); pass
    ``locked_case`` when the calling service already holds it. ``kwargs`` go to the transition
    method, ``effect_kwargs`` to the row's effect, whose result is kept as ``step_result`` on the
    returned instance.
    """
    row = step(_label(obj), name)
    field_name = row.state_field
    seen = getattr(obj, field_name) if expected_state is _UNSET else expected_state
    # Files stored by the step (a document's PDF) are deleted again if the transaction does not commit.
    with atomic_with_files():
        case = row.case_of(obj)
        if case is not obj and locked_case is None:
            locked_case = lock(case)
        fresh = lock(obj)
        current = getattr(fresh, field_name)
        if seen is not None and current != seen:
            raise Conflict(
                _("%(noun)s已被他人处理，当前状态为“%(state)s”，未能%(step)s。请刷新页面查看最新情况。")
                % {"noun": row.noun, "state": _state_label(fresh, field_name), "step": row.label}
            )
        if row.who is not None:
            who_reason = str(READ_ONLY_REFUSAL) if roles.is_read_only(by) else row.who(by, fresh)
            if who_reason:
                raise NotAllowed(who_reason)
        state_reason = row.refusal(by, fresh)
        failures = (
            row.guard(fresh) if row.guard is not None and (not state_reason or row.waits(fresh)) else []
        )
        if failures:
            raise Refused(failures)
        if state_reason:
            raise NotAllowed(state_reason)
        getattr(fresh, name)(*args, **(kwargs or {}))
        # The effect runs before the save so that what the saved row must carry (the document just
        # issued, a closed round) is part of the same write; its result feeds the event's details.
        fresh.step_result = row.effect(fresh, by=by, **(effect_kwargs or {})) if row.effect else None
        fresh.save()
        if row.action:
            event = dict(row.details(fresh)) if row.details else {}
            event.update(details or {})
            trail.record(
                row.action,
                actor=by,
                target=locked_case if locked_case is not None else fresh,
                from_state=current,
                to_state=getattr(fresh, field_name),
                details=event,
            )
        if row.then:
            row.then(fresh, by=by)
    _bring_up_to_date(obj, fresh)
    return fresh


def _bring_up_to_date(obj: models.Model, fresh: models.Model) -> None:
    """Copy every concrete field of the saved row into the caller's instance (FSM-protected fields too)."""
    for model_field in fresh._meta.concrete_fields:
        obj.__dict__[model_field.attname] = getattr(fresh, model_field.attname)
    for cached in ("_govinfo_project_perms",):
        obj.__dict__.pop(cached, None)
    if hasattr(obj, "_update_initial_state"):
        obj._update_initial_state()
