"""Verifying the chain and putting the result on the chain itself, where the auditor's page reads it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import actions, chain, trail

VERIFIED = "govinfo.audit.verified"
actions.register(VERIFIED, _("核验审计链"))


def record_verification(actor=None) -> chain.Report:
    report = chain.verify()
    first = report.first
    trail.record(
        VERIFIED,
        actor=actor,
        details={
            "ok": report.ok,
            "checked": report.checked,
            "last_seq": report.last_seq,
            "last_hash": report.last_hash,
            "first_problem": {"seq": first.seq, "kind": first.kind, "message": first.message}
            if first
            else None,
            "problems": len(report.problems),
        },
    )
    return report
