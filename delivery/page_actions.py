"""How every delivery page runs a posted action: one helper, one behaviour, the product's own.

The view checks who may act (``construction_pages.refuse_unless``), validates the form and calls one
service through ``act``:

- done → back to the page with a message;
- a stale page (``Conflict``) → back with the conflict, nothing done;
- not this person's to do (``NotAllowed``: a role or state question) → the refusal page (403), as the
  project and review pages answer it (``govinfo.refusals.refused``);
- refused by the rules (``Refused`` with citations) → the page again with the rules' words above the
  form (403), or what the user typed (400);
- an upload refused by its checks (``ValidationError``: format, size, name) → the page again (400);
- a form that did not validate (``invalid``) → the page again with its errors (400).

Every refusal of a posted action is recorded (``govinfo.refusals``). ``render_page`` is called with the
keywords ``status`` and ``refusal`` (a list of lines), plus the invalid forms for ``invalid``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from govinfo import refusals
from govinfo.errors import Conflict, NotAllowed, Refused

REFUSED_TEMPLATE = "delivery/refused.html"


def act(request, target, call: Callable[[], object], *, success, back, render_page: Callable):
    """Run ``call`` for ``target`` (the case or unit the refusal event names).

    ``success`` and ``back`` are a message and a URL, or functions of what ``call`` returned.
    """
    try:
        result = call()
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect(back if isinstance(back, str) else reverse_back(request))
    except NotAllowed as exc:
        return refusals.refused(request, REFUSED_TEMPLATE, exc.message, status=exc.status, target=target)
    except Refused as exc:
        refusals.record(request, exc.message, status=exc.status, target=target)
        return render_page(status=exc.status, refusal=exc.messages)
    except ValidationError as exc:
        refusals.record(request, "；".join(exc.messages), status=400, target=target)
        return render_page(status=400, refusal=exc.messages)
    messages.success(request, success(result) if callable(success) else success)
    return redirect(back(result) if callable(back) else back)


def invalid(render_page: Callable, **forms):
    """A form that did not validate: the page again, its errors next to the fields."""
    return render_page(status=400, refusal=None, **forms)


def reverse_back(request) -> str:
    """Where a stale page goes back to: the page it was posted from (a path of this site), else home."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return "/"
