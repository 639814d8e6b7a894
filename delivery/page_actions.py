"""How the pages of monitoring, acceptance, evaluation and units run a posted action: thin and alike.

The view validates the form and calls one service. A conflict (someone acted first) goes back to the page
with the message; a refusal — the role, the state, or the rules with their citations — is shown on the
page with its status (403, or 400 for what the user typed) and recorded as a refused action
(``govinfo.refusals``); success goes back to the page with a message.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from govinfo import refusals
from govinfo.errors import Conflict, Refused


def run(request, *, call: Callable[[], object], success: str, back: str, render_page: Callable, target=None):
    """``render_page(refusal=[...], status=...)`` re-renders the page with the refusal listed."""
    try:
        call()
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect(back)
    except Refused as exc:
        refusals.record(request, exc.message, status=exc.status, target=target)
        return render_page(refusal=exc.messages, status=exc.status)
    except ValidationError as exc:  # an upload refused by its checks (format, size, name)
        refusals.record(request, "；".join(exc.messages), status=400, target=target)
        return render_page(refusal=exc.messages, status=400)
    messages.success(request, success)
    return redirect(back)


def invalid(render_page, **forms):
    """A form that did not validate: the page again, its errors next to the fields."""
    return render_page(status=400, **forms)
