"""Make an account the user administrator (staff, role user_admin), e.g. the first one after ``createsuperuser``.

The user administrator creates officials and sets their roles and districts in the admin; the role acts on no
application and no money (R36). The change is recorded in the trail of role changes."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, User


class Command(BaseCommand):
    help = "Make USERNAME the user administrator (staff, role user_admin, no district)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        user.role, user.district, user.is_staff, user.is_superuser = Role.USER_ADMIN, None, True, False
        user.save()
        self.stdout.write(f"{username} is the user administrator")
