"""``manage.py audit verify`` and ``audit checkpoint`` (R45; issue 14 §2).

``verify`` checks every trail but the ledger (``ledger check`` has it): each row's keyed hash and link, and each
chain against the last signed checkpoint (core/checkpoints.py); it names the first row that differs (table,
chain, id), a missing tail and a truncation, and exits 1 on any. ``--since-checkpoint`` checks only the rows added
since then (and the counts up to it). ``checkpoint`` verifies all trails, the ledger too, and writes a new signed
checkpoint when they are intact (the daily task does the same).
"""

import sys

from django.core.management.base import BaseCommand

from core import chain, checkpoints


class Command(BaseCommand):
    help = "audit verify: prove that no trail row was altered or removed (R45); audit checkpoint: sign the heads."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint"])
        parser.add_argument(
            "--since-checkpoint", action="store_true", help="check only the rows added since the last checkpoint"
        )

    def handle(self, *args, action, since_checkpoint=False, **options):
        if action == "checkpoint":
            row, report = checkpoints.write()
            if row is not None:
                self.stdout.write(f"checkpoint {row.file}: digest {row.digest}, signature {row.signature}")
        else:
            trails = [m for m in chain.chained_models() if m._meta.label != "payments.LedgerEntry"]
            report = checkpoints.verify(trails, since=since_checkpoint)
            if report.checkpoint is None and not report.problems:
                self.stdout.write("no checkpoint yet: heads and counts not compared")
        for line in report.intact:
            self.stdout.write(line)
        for problem in report.problems:
            self.stderr.write(problem)
        if report.problems:
            sys.exit(1)
