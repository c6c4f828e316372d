"""A part of an application number in the office queue's search, by a trigram index (PostgreSQL only)."""

from django.conf import settings
from django.db import migrations

from core.postgres import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_display_name_trigram"),
        ("applications", "0012_queue_next_due"),
        ("catalog", "0010_sale"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [trigram_index("application_number_trgm", "applications_application", '"number"')]
