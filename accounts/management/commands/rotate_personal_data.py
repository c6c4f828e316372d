from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import crypto
from accounts.models import User

ENCRYPTED_FIELDS = ["mobile_encrypted", "id_number_encrypted"]


class Command(BaseCommand):
    help = (
        "Re-encrypt personal numbers under the first key of FIELD_ENCRYPTION_KEYS. Put the new key first, keep "
        "the old ones after it, run this, then drop the old keys."
    )

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for user in User.objects.select_for_update().only("pk", *ENCRYPTED_FIELDS).iterator():
                for field in ENCRYPTED_FIELDS:
                    setattr(user, field, crypto.rotate(getattr(user, field)))
                user.save(update_fields=ENCRYPTED_FIELDS)
                count += 1
        self.stdout.write(f"re-encrypted the personal numbers of {count} users")
