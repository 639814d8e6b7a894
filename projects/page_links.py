"""Links that later stages add to the project page (审查与批复, 建设, 验收 …).

The arrows of ARCHITECTURE.md run projects ← approvals, so the project page cannot ask approvals
whether a user follows the review. Apps register a provider in their AppConfig.ready() instead:
``provider(user, project) -> list[PageLink]``; the page shows what the providers return.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str
    note: str = ""


Provider = Callable[[object, object], list[PageLink]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def links_for(user, project) -> list[PageLink]:
    return [link for provider in _PROVIDERS for link in provider(user, project)]
