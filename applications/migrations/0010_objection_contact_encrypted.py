"""The objector's telephone or e-mail is personal data: encrypted like the other personal numbers (issue 14)."""

from django.db import migrations, models


def encrypt_contacts(apps, schema_editor):
    from accounts import crypto

    Objection = apps.get_model("applications", "Objection")
    for objection in Objection.objects.exclude(contact="").only("pk", "contact").iterator():
        Objection.objects.filter(pk=objection.pk).update(contact_encrypted=crypto.encrypt(objection.contact.strip()))


def decrypt_contacts(apps, schema_editor):
    from accounts import crypto

    Objection = apps.get_model("applications", "Objection")
    for objection in Objection.objects.exclude(contact_encrypted="").only("pk", "contact_encrypted").iterator():
        Objection.objects.filter(pk=objection.pk).update(contact=crypto.decrypt(objection.contact_encrypted)[:100])


class Migration(migrations.Migration):
    dependencies = [("applications", "0009_application_town")]

    operations = [
        migrations.AddField(
            model_name="objection",
            name="contact_encrypted",
            field=models.TextField(blank=True, editable=False, verbose_name="how to reach you (encrypted)"),
        ),
        migrations.RunPython(encrypt_contacts, decrypt_contacts),
        migrations.RemoveField(model_name="objection", name="contact"),
    ]
