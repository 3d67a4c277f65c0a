"""Personal data at rest: mobile numbers and email addresses are encrypted (Fernet, AES-128-CBC
with HMAC-SHA256) and found again by a keyed hash, so the database alone reveals neither.

The key comes from ``PERSONAL_DATA_KEY``: one or more Fernet keys, comma-separated, newest
first. New data is encrypted with the first; any of them decrypts, so a new key can be put in
front without losing what the old one wrote.
"""

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def _keys() -> tuple[str, ...]:
    return tuple(settings.PERSONAL_DATA_KEYS)


def encrypt(value: str) -> bytes:
    return _fernet(_keys()).encrypt(value.encode())


def decrypt(token: bytes) -> str:
    return _fernet(_keys()).decrypt(bytes(token)).decode()


def rotate(token: bytes) -> bytes:
    return _fernet(_keys()).rotate(bytes(token))


@functools.lru_cache(maxsize=4)
def _hash_key(first_key: str) -> bytes:
    # Derived from the oldest key (the last listed) under its own label: the look-up hash and
    # the encryption never share a key, and putting a new key in front changes no hash.
    return hmac.new(base64.urlsafe_b64decode(first_key), b"eps-status lookup hash v1", hashlib.sha256).digest()


def lookup_hash(channel: str, address: str, under: str | None = None) -> str:
    """The same address always gives the same hash; without the key it cannot be reversed or guessed.
    ``under``: the key to derive it from instead of the last listed (retiring that key)."""
    key = _hash_key(under or settings.PERSONAL_DATA_KEYS[-1])
    return hmac.new(key, f"{channel}:{address}".encode(), hashlib.sha256).hexdigest()


def new_key() -> str:
    return Fernet.generate_key().decode()


def mask(channel: str, address: str) -> str:
    """A number or email address as a page shows it to whoever holds a link: its owner recognises
    it, nobody else learns it. +447700900321 -> 07••• •••321; jane.doe@example.org -> j•••@example.org."""
    if channel == "email":
        local, _, domain = address.partition("@")
        return f"{local[:1]}•••@{domain}"
    national = "0" + address[3:] if address.startswith("+44") else address
    return f"{national[:2]}••• •••{national[-3:]}"
