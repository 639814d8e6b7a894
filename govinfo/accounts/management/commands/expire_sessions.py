from django.core.management.base import BaseCommand

from govinfo.accounts.idle import expire_all


class Command(BaseCommand):
    help = "Record the idle sign-out of every expired session on the audit trail, then delete it (run daily)."

    def handle(self, *args, **options):
        recorded = expire_all()
        self.stdout.write(f"{recorded} idle sign-outs recorded; expired sessions removed.")
