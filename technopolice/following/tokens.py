"""The unsubscribe link's token: signed, salted, naming the person and what it does.

No expiry: a digest read months later must still stop the digests. The token only turns them
off, so a leaked one can do nothing worse; the purpose inside it keeps it from being taken
for any other signed value of the site, and the salt keeps other signed values from being it.
"""

from django.core import signing

SALT = "technopolice.following.unsubscribe"
PURPOSE = "digests-off"


def make(user_id: int) -> str:
    return signing.dumps({"u": user_id, "p": PURPOSE}, salt=SALT)


def read(token: str) -> int | None:
    """The user id a genuine token names; None for a forged, tampered or foreign one."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") != PURPOSE or not isinstance(data.get("u"), int):
        return None
    return data["u"]
