"""A part of a buyer's name in the office queue's search, by a trigram index (PostgreSQL only)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from core.postgres import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_reset_requests"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        TrigramExtension(),  # PostgreSQL only: CreateExtension does nothing elsewhere
        trigram_index("user_display_name_trgm", "accounts_user", "display_name"),
    ]
