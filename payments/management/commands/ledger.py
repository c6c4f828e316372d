"""``manage.py ledger check``: the ledger balances (R21–R23) and its chains are intact; exits 1 on any difference."""

import sys

from django.core.management.base import BaseCommand

from payments import ledger


class Command(BaseCommand):
    help = "Check the fund ledger: per district, year and source the balances add up; pairs sum to zero."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check"])

    def handle(self, *args, action, **options):
        result = ledger.check()
        if result:
            self.stdout.write("ledger balanced")
            return
        for problem in result.problems:
            self.stderr.write(problem)
        sys.exit(1)
