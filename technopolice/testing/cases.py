"""The base test case: a cast of users and a client that enforces CSRF like a browser.

- Alice is a contributor, Bob a moderator, Carol an administrator, Mallory an outsider
  with an account and no role.

Moderators and administrators must pass a second factor before anything else
(accounts/middleware.py): ``login`` gives them a TOTP device and logs them in with a session
verified by it, as the verification page does (``django_otp.login``).
"""

from django.contrib.auth.models import Group, User
from django.test import Client, TestCase
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from technopolice.accounts.roles import ADMINISTRATORS, CONTRIBUTORS, MODERATORS
from technopolice.accounts.twofactor import TOTP_NAME, current_code, has_second_factor, is_staff_member

PASSWORD = "correct horse battery staple"
__all__ = ["PASSWORD", "BaseTestCase", "current_code", "login", "login_verified", "make_user", "totp_device"]


def make_user(username: str, *groups: str, is_staff: bool = False) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=is_staff)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def totp_device(user: User) -> TOTPDevice:
    """The user's confirmed authenticator (created the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)


def login_verified(client: Client, user: User) -> Client:
    """Log ``user`` in with a session that passed the second factor (their TOTP device)."""
    device = totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def login(client: Client, user: User) -> Client:
    """Log ``user`` in as the site would let them in: verified when a second factor is needed."""
    if is_staff_member(user) or has_second_factor(user):
        return login_verified(client, user)
    client.force_login(user)
    return client


class BaseTestCase(TestCase):
    client_class = Client

    @classmethod
    def setUpTestData(cls) -> None:
        cls.alice = make_user("alice", CONTRIBUTORS)
        cls.bob = make_user("bob", MODERATORS)
        cls.carol = make_user("carol", ADMINISTRATORS, is_staff=True)
        cls.mallory = make_user("mallory")

    def setUp(self) -> None:
        super().setUp()
        self.csrf_client = Client(enforce_csrf_checks=True)

    def login(self, user: User, client: Client | None = None) -> Client:
        return login(client or self.client, user)
