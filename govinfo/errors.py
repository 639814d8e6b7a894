"""One family of errors for every service of every app: what a refused action tells the user.

- ``Failure``: one broken rule — its id, its article and what is wrong in plain language — so the
  page, the log and the test show the same words (STYLE habit 2). Guards return lists of them.
- ``Refused``: the action was refused; carries every failure found, listed at once.
- ``NotAllowed``: this user may not take this action on this case (a role or state question).
- ``Conflict``: someone else changed the case first; nothing of this attempt was saved.

Views catch ``Refused`` (the base of all three) and show ``messages``; the HTTP status comes from
``status`` (403, 409 or 400). Messages are built with gettext at the moment they are raised, in the
language of the request that raised them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .formats import clauses
from .rules import citation, cite


@dataclass(frozen=True)
class Failure:
    rule: str  # e.g. "R-APP-1"
    article: str  # e.g. "第十六条"
    message: str  # plain language: what is missing or wrong and what to do
    section: str = ""  # form section where the applicant fixes it ("" when no form section can)
    url: str = ""  # where it is fixed outside the application (e.g. the overdue share request)
    source: str = "川办法"

    @property
    def citation(self) -> str:
        return citation(self.rule, self.article, self.source)

    def __str__(self) -> str:
        return cite(self.rule, self.article, str(self.message), self.source)


class Refused(Exception):
    """A service refused an action; ``failures`` say why (one or many), or ``message`` when no rule does.

    A refusal by the rules answers 403; one about what the user typed (a missing reason) 400.
    """

    def __init__(self, failures: list[Failure] | Failure | str):
        if isinstance(failures, str):
            self.failures: list[Failure] = []
            self.message = str(failures)
        else:
            self.failures = failures if isinstance(failures, list) else [failures]
            self.message = clauses(str(f) for f in self.failures)
        super().__init__(self.message)

    @property
    def status(self) -> int:
        return 403 if self.failures else 400

    @property
    def messages(self) -> list[str]:
        return [str(f) for f in self.failures] if self.failures else [self.message]

    @property
    def reason(self) -> str:
        """The whole refusal as one sentence (the catalogue's pages show it this way)."""
        return self.message


class NotAllowed(Refused):
    """The user may see the case but may not take this action (now)."""

    status = 403


class Conflict(Refused):
    """Someone else changed the case first: the caller's action was not applied."""

    status = 409


def stale(current_state_label: str, action: str) -> Conflict:
    """The conflict a stale page gets: what the case is now, and that nothing was done."""
    return Conflict(
        _("案件已被他人处理，当前状态为“%(state)s”，未能%(action)s。请刷新页面查看最新情况。")
        % {"state": current_state_label, "action": action}
    )


def refuse_if(reason: str | None) -> None:
    """Raise ``NotAllowed`` with the guard's reason when it gave one."""
    if reason:
        raise NotAllowed(reason)
