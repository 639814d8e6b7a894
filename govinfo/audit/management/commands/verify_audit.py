"""``manage.py verify_audit``: walk the audit chain and name the first broken or missing link.

Exit status 0 when the chain is whole, 1 when it is broken (for cron and monitoring). The result is
appended to the chain as a ``govinfo.audit.verified`` event (the auditor's page shows the latest) unless
``--no-record``.
"""

from django.core.management.base import BaseCommand, CommandError

from govinfo.audit import chain
from govinfo.audit.verification import record_verification


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; name the first broken or missing link."

    def add_arguments(self, parser):
        parser.add_argument("--no-record", action="store_true", help="do not append the result to the chain")
        parser.add_argument("--all", action="store_true", help="list every problem found, not only the first")

    def handle(self, *args, **options):
        report = chain.verify() if options["no_record"] else record_verification()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(report.summary()))
            return
        problems = report.problems if options["all"] else report.problems[:1]
        for problem in problems:
            self.stderr.write(f"#{problem.seq} [{problem.kind}] {problem.message}")
        raise CommandError(report.summary(), returncode=1)
