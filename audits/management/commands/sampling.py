from django.core.management.base import BaseCommand, CommandError

from audits.models import SamplingRun
from audits.sampling import replay


class Command(BaseCommand):
    help = (
        "Sampling runs: `sampling replay RUN` recomputes a run's selection from what it recorded (RUN: number or id)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        replay_parser = sub.add_parser("replay", help="Recompute a run and exit non-zero if it differs.")
        replay_parser.add_argument("run")

    def handle(self, *args, action, run, **options):
        found = SamplingRun.objects.filter(number=run).first()
        if found is None and run.isdigit():
            found = SamplingRun.objects.filter(pk=int(run)).first()
        if found is None:
            raise CommandError(f"No sampling run {run}.")
        differences = replay(found)
        if differences:
            raise CommandError(f"{found.number} does not replay:\n" + "\n".join(f"- {d}" for d in differences))
        selected = found.selections.count()
        self.stdout.write(f"{found.number} replays: {selected} selected of {len(found.population)}, as recorded.")
