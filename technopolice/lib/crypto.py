"""Personal data at rest: authenticated encryption and keyed hashes, behind one helper.

Values are sealed with Fernet (AES-128-CBC + HMAC-SHA256, authenticated) through a
MultiFernet built from ``settings.COMPLAINTS_KEYS``: the first key seals, every key
opens, so a new key can be put first and old rows re-sealed by ``rotate()`` while the
site keeps running. Duplicates are found through ``blind_index()``, an HMAC-SHA256 of
the normalised value under its own key (``COMPLAINTS_HASH_KEY``), which is never
rotated with the encryption keys: rotating must not make an old signatory look new.
The database alone therefore holds no name, no email and no key.
"""

import hashlib
import hmac
import unicodedata
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class CryptoError(ValueError):
    """A sealed value could not be opened: wrong keys or tampered data."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise CryptoError("COMPLAINTS_KEYS is empty: at least one Fernet key is needed.")
    return MultiFernet([Fernet(key) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.COMPLAINTS_KEYS))


def generate_key() -> str:
    return Fernet.generate_key().decode()


def seal(value: str) -> str:
    """Encrypt ``value`` with the current key; empty stays empty so optional fields stay cheap."""
    if not value:
        return ""
    return _current().encrypt(value.encode()).decode()


def _open(token: str, how) -> str:
    if not token:
        return ""
    try:
        return how(token.encode()).decode()
    except InvalidToken:
        raise CryptoError("A sealed value does not open with any configured key.") from None


def unseal(token: str) -> str:
    return _open(token, _current().decrypt)


def rotate(token: str) -> str:
    """Re-seal ``token`` under the current (first) key."""
    return _open(token, _current().rotate)


def normalise_email(email: str) -> str:
    """One spelling per mailbox: NFKC, trimmed, lower-cased (providers treat case alike)."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def blind_index(value: str, purpose: str) -> str:
    """A keyed hash for equality look-ups; ``purpose`` keeps hashes of one use apart from another."""
    key = settings.COMPLAINTS_HASH_KEY.encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """What is stored for a one-time link: its SHA-256, so a database leak yields no usable link."""
    return hashlib.sha256(token.encode()).hexdigest()
