"""What a refused action says: the rule, the article and the reason in plain Chinese.

Guards return ``Failure`` values rather than raising booleans, so the page, the log and the test
show the same words (STYLE habit 2).
"""

from __future__ import annotations

from dataclasses import dataclass

from govinfo.rules import citation, cite


@dataclass(frozen=True)
class Failure:
    rule: str  # e.g. "R-APP-1"
    article: str  # e.g. "第十六条"
    message: str  # plain Chinese, what is missing or wrong and what to do
    section: str = ""  # form section where the applicant fixes it ("" when no form section can)
    url: str = ""  # where it is fixed outside the application (e.g. the overdue share request)

    @property
    def citation(self) -> str:
        return citation(self.rule, self.article)

    def __str__(self) -> str:
        return cite(self.rule, self.article, self.message)


class ActionRefused(Exception):
    """A service refused an action; ``failures`` say why (one or many)."""

    def __init__(self, failures: list[Failure] | Failure):
        self.failures = failures if isinstance(failures, list) else [failures]
        super().__init__("；".join(str(f) for f in self.failures))

    @property
    def messages(self) -> list[str]:
        return [str(f) for f in self.failures]


class Conflict(ActionRefused):
    """Someone else changed the case first: the caller's action was not applied."""

    def __init__(self, message: str):
        self.failures = []
        self.message = message
        Exception.__init__(self, message)

    @property
    def messages(self) -> list[str]:
        return [self.message]


class NotAllowed(ActionRefused):
    """The user may see the case but may not take this action now."""

    def __init__(self, message: str):
        self.failures = []
        self.message = message
        Exception.__init__(self, message)

    @property
    def messages(self) -> list[str]:
        return [self.message]
