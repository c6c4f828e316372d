from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from applications import demo as applications_demo
from audits import demo as audits_demo
from catalog import demo as catalog_demo
from payments import demo as payments_demo
from reports import demo as reports_demo  # issue 12
from usage import demo as usage_demo  # issue 17

# Each app that has demo data adds its seeder here, in dependency order.
SEEDERS = [
    ("accounts", accounts_demo.seed),
    ("catalog", catalog_demo.seed),
    ("applications", applications_demo.seed),
    ("usage", usage_demo.seed),  # issue 17: before the money's demo funds the year (nothing pre-registered)
    ("payments", payments_demo.seed),
    ("audits", audits_demo.seed),  # issue 11
    ("reports", reports_demo.seed),  # issue 12: two past months of reports, a correction, the annual summary
]


class Command(BaseCommand):
    help = "Load the demo data set (idempotent: a second run adds nothing and keeps what users entered)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for name, seed in SEEDERS:
                created = seed()
                if created:
                    self.stdout.write(f"{name}: {len(created)} demo records created")
