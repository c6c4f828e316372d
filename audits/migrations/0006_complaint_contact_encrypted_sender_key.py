"""A complaint's contact is encrypted like an objection's, and a keyed hash of the sender's address limits how many
one sender files a day (R25)."""

from django.db import migrations, models


def encrypt_contacts(apps, schema_editor):
    from accounts import crypto

    Complaint = apps.get_model("audits", "Complaint")
    for complaint in Complaint.objects.exclude(contact="").only("pk", "contact"):
        Complaint.objects.filter(pk=complaint.pk).update(contact_encrypted=crypto.encrypt(complaint.contact.strip()))


class Migration(migrations.Migration):
    dependencies = [("audits", "0005_investigations_and_cases")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="contact_encrypted",
            field=models.TextField(blank=True, editable=False, verbose_name="how to reach you (encrypted)"),
        ),
        migrations.AddField(
            model_name="complaint",
            name="sender_key",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(encrypt_contacts, migrations.RunPython.noop),
        migrations.RemoveField(model_name="complaint", name="contact"),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["sender_key", "received_at"], name="audits_comp_sender__d1f67a_idx"),
        ),
    ]
