import sys

from django.core.management.base import BaseCommand

from applications.events import verify_chain


class Command(BaseCommand):
    help = "audit verify: prove that no application event was altered or removed (R45); names the first that was."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        broken = verify_chain()
        if broken is None:
            self.stdout.write("application events: chain intact")
            return
        self.stderr.write(
            f"application events: chain broken at event {broken.pk} "
            f"(application {broken.application_id}, {broken.action}, {broken.at:%Y-%m-%d %H:%M:%S})"
        )
        sys.exit(1)
