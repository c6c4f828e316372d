"""Personal numbers at rest: encrypted under rotatable keys, found by blind index, shown masked."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from accounts import crypto
from accounts.models import User


def test_masks():
    assert crypto.mask_id_number("110108197503120033") == "110***********0033"
    assert crypto.mask_phone("13812345678") == "138****5678"
    assert crypto.mask_name("张三") == "张*"
    assert crypto.mask_name("欧阳娜娜") == "欧***"
    assert crypto.mask_account("6222020200112233445") == "**** **** 3445"


@pytest.mark.django_db
def test_keys_rotate_without_losing_data(settings, cast):
    old_token = User.objects.get(pk=cast["buyer"].pk).id_number_encrypted
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    call_command("rotate_personal_data")
    rotated = User.objects.get(pk=cast["buyer"].pk)
    assert rotated.id_number_encrypted != old_token
    # Only the new key is needed now.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert User.objects.get(pk=cast["buyer"].pk).id_number == "110108197503120033"
    assert User.objects.get(pk=cast["buyer"].pk).mobile == "13900000001"


@pytest.mark.django_db
def test_blind_index_finds_without_decrypting(cast):
    assert User.objects.with_mobile("13900000001").get() == cast["buyer"]
    assert not User.objects.with_mobile("13900000009").exists()
