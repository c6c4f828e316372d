"""``manage.py rollover YEAR [--dry-run]``: close a subsidy year (R37); idempotent."""

import json

from django.core.management.base import BaseCommand, CommandError

from payments.services import PaymentError, rollover


class Command(BaseCommand):
    help = "Carry a subsidy year's unspent funds and its unpaid applications into the next year (R23, R37)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done; write nothing.")

    def handle(self, *args, year, dry_run, **options):
        try:
            plan = rollover(year=year, dry_run=dry_run)
        except PaymentError as error:
            raise CommandError(error.message) from error
        if plan["done_before"]:
            self.stdout.write(f"{year} was already rolled over; nothing to do.")
            return
        verb = "would carry" if dry_run else "carried"
        for row in plan["carry_over"]:
            self.stdout.write(f"{verb} {row['amount']} of {row['source']} funds of {row['district']} into {year + 1}")
        for row in plan["applications"]:
            self.stdout.write(f"{verb} application {row['number']} ({row['state']}) into {year + 1}, to be paid first")
        for number in plan["in_flight"]:
            self.stdout.write(f"application {number} stays in {year}: it is with the treasury in a batch")
        self.stdout.write(
            json.dumps(
                {
                    "carry_over": len(plan["carry_over"]),
                    "applications": len(plan["applications"]),
                    "in_flight": len(plan["in_flight"]),
                }
            )
        )
