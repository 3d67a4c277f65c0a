import secrets
import string

_ALPHABET = string.ascii_lowercase + string.digits


def new_code() -> str:
    """A Statuspage-style public id: 12 lowercase letters and digits."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(12))
