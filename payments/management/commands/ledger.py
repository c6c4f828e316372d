"""``manage.py ledger check``: the ledger balances (R21–R23) and its chains are intact, each fund's chain compared
with the last signed checkpoint (core/checkpoints.py); exits 1 on any difference. ``--since-checkpoint`` checks
only the entries added since that checkpoint (and the counts up to it)."""

import sys

from django.core.management.base import BaseCommand

from payments import ledger


class Command(BaseCommand):
    help = "Check the fund ledger: per district, year and source the balances add up; pairs sum to zero."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check"])
        parser.add_argument(
            "--since-checkpoint", action="store_true", help="check only the entries added since the last checkpoint"
        )

    def handle(self, *args, action, since_checkpoint=False, **options):
        result = ledger.check(since_checkpoint=since_checkpoint)
        if result:
            self.stdout.write("ledger balanced; ledger entries: chains intact")
            return
        for problem in result.problems:
            self.stderr.write(problem)
        sys.exit(1)
