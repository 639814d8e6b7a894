"""A refused action is itself an event: who tried what, where, and why it was refused.

等保 asks that attempts to act without the right be traceable, and an auditor who posts an action by
mistake (or a tampered form) must leave a mark. Views call ``refused`` instead of rendering their
refusal page by hand; the event is written after the service's transaction has rolled back, so it
stays even though the action did not.
"""

from __future__ import annotations

from django.shortcuts import render

from .audit import trail

ACTION = "govinfo.action.refused"


def record(request, reason: str, *, status: int, target=None) -> None:
    """Write the refusal of a posted action to the audit trail (reads are not actions)."""
    if request.method != "POST":
        return
    trail.record(
        ACTION,
        actor=request.user,
        target=target,
        details={"path": request.path, "status": status, "reason": str(reason)[:1000]},
    )


def refused(request, template: str, reason: str, *, status: int = 403, target=None):
    """The refusal page with its reason, the refusal recorded."""
    record(request, reason, status=status, target=target)
    return render(request, template, {"reason": reason}, status=status)
