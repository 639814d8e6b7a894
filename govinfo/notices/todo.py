"""Open notices on the to-do list of their addressee's members (the title says what; the notice page the rest)."""

from __future__ import annotations

from django.urls import reverse

from govinfo.home.todo import TodoItem

from .services import open_for

MAX_ITEMS = 20


def notice_todo(user):
    return [
        TodoItem(
            title=notice.title,
            url=reverse("notices:notice", args=[notice.pk]),
            category=notice.category,
        )
        for notice in open_for(user)[:MAX_ITEMS]
    ]
