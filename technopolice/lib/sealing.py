"""Values sealed to a public key whose private half the platform never holds.

``lib.crypto`` seals with keys the server has (it must read what it seals: an email it will
write to). This module seals what the server must *not* be able to read back: a signatory's
name and postal address are sealed to the campaign's public key (libsodium's sealed boxes,
X25519 + XSalsa20-Poly1305, through PyNaCl), and only the holder of the private key, kept
offline by the organiser, opens them, as the EU's citizens' initiative systems do. A copy of
the database, of the settings or of the running process opens nothing.

Keys travel as base64 text (44 characters), the private one in a small file the organiser
keeps: see ``key_file_text`` and ``read_private_key``.
"""

import base64
import binascii
import re

from nacl.exceptions import CryptoError as NaClCryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

PREFIX = "box1:"  # marks a sealed box (the version of this format), unlike a Fernet token
KEY_LINE = re.compile(r"^[A-Za-z0-9+/]{43}=$")


class SealingError(ValueError):
    """A key that is not one, or a sealed value that this private key does not open."""


def generate_keypair() -> tuple[str, str]:
    """(private, public), both base64: the private key is for the organiser's machine only."""
    private = PrivateKey.generate()
    return _b64(bytes(private)), _b64(bytes(private.public_key))


def public_key_of(private_key: str) -> str:
    return _b64(bytes(_private(private_key).public_key))


def check_public_key(value: str) -> str:
    """The key, stripped, if it is a base64 X25519 public key; SealingError otherwise."""
    value = (value or "").strip()
    _public(value)
    return value


def seal(public_key: str, value: str) -> str:
    """``value`` sealed to ``public_key``; empty stays empty (an optional field costs nothing)."""
    if not value:
        return ""
    box = SealedBox(_public(public_key)).encrypt(value.encode())
    return PREFIX + _b64(box)


def is_sealed(token: str) -> bool:
    return token.startswith(PREFIX)


def unseal(private_key: PrivateKey, token: str) -> str:
    """Open ``token`` with the organiser's key (from ``read_private_key``)."""
    if not token:
        return ""
    if not is_sealed(token):
        raise SealingError("This value is not sealed to a campaign key.")
    try:
        return SealedBox(private_key).decrypt(base64.b64decode(token[len(PREFIX) :])).decode()
    except (NaClCryptoError, binascii.Error, UnicodeDecodeError):
        raise SealingError("This private key does not open the values sealed for this campaign.") from None


def key_file_text(private_key: str, public_key: str, label: str = "") -> str:
    """What the key command writes: the private key on a line of its own, with what it is for."""
    lines = [
        "# Technopolice campaign private key. Keep it offline; whoever holds it reads the signatories.",
        f"# Public key (paste it into the campaign): {public_key}",
    ]
    if label:
        lines.append(f"# For: {label}")
    return "\n".join([*lines, private_key, ""])


def read_private_key(text: str | bytes) -> PrivateKey:
    """The private key in a key file (or pasted alone); SealingError for anything else."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")  # the key is base64; its comments may name a campaign in French
        except UnicodeDecodeError:
            raise SealingError("This is not a campaign key file.") from None
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if len(lines) != 1 or not KEY_LINE.match(lines[0]):
        raise SealingError("This is not a campaign key file.")
    return _private(lines[0])


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _raw_key(value: str) -> bytes:
    if not isinstance(value, str) or not KEY_LINE.match(value):
        raise SealingError("A campaign key is 44 characters of base64.")
    return base64.b64decode(value)


def _public(value: str) -> PublicKey:
    return PublicKey(_raw_key(value))


def _private(value: str | PrivateKey) -> PrivateKey:
    if isinstance(value, PrivateKey):
        return value
    return PrivateKey(_raw_key(value))
