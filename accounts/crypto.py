"""Sensitive personal data at rest (PIPL Art. 28, 51): encrypted, with a keyed hash beside it for look-ups.

Encryption is Fernet under ``settings.FIELD_ENCRYPTION_KEYS`` (a MultiFernet: the first key encrypts, every key
decrypts, so keys rotate by putting a new one first). The blind index is HMAC-SHA256 under
``settings.BLIND_INDEX_KEY``, so equality (uniqueness, sign-in by mobile) works without decrypting.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet_key(secret: str) -> bytes:
    """Accept a ready Fernet key, or derive one from any secret string."""
    try:
        if len(base64.urlsafe_b64decode(secret.encode())) == 32:
            return secret.encode()
    except (ValueError, TypeError):
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())


@cache
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(k)) for k in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return cipher().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    return cipher().decrypt(token.encode()).decode() if token else ""


def rotate(token: str) -> str:
    """Re-encrypt under the current first key."""
    return cipher().rotate(token.encode()).decode() if token else ""


def blind_index(value: str) -> str:
    if not value:
        return ""
    normalised = value.strip().upper()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """110105194912310021 -> 110***********0021."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_account(value: str) -> str:
    """6222020200112233445 -> **** **** 3445."""
    if not value:
        return ""
    return "**** **** " + value[-4:]


def mask_serial(value: str) -> str:
    """A factory serial number as a public notice shows it (R34): enough for one who knows the machine to recognise
    it, not enough to copy onto another nameplate. TX554A2026001234 -> TX5**********234."""
    value = (value or "").strip()
    if len(value) <= 6:
        return value[:1] + "*" * max(len(value) - 1, 0)
    return value[:3] + "*" * (len(value) - 6) + value[-3:]


def mask_name(value: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***; an organisation's name is public and is not masked by this helper."""
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)
