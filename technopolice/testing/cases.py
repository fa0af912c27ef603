"""The base test case: a cast of users and a client that enforces CSRF like a browser.

- Alice is a contributor, Bob a moderator, Carol an administrator, Mallory an outsider
  with an account and no role.
"""

from django.contrib.auth.models import Group, User
from django.test import Client, TestCase

from technopolice.accounts.roles import ADMINISTRATORS, CONTRIBUTORS, MODERATORS

PASSWORD = "correct horse battery staple"


def make_user(username: str, *groups: str, is_staff: bool = False) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=is_staff)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


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
        client = client or self.client
        client.force_login(user)
        return client
