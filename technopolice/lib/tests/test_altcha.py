import datetime as dt
import json
from unittest import mock

import altcha
from django.core.cache import cache
from django.test import SimpleTestCase, override_settings

from technopolice.lib import altcha as proof


def solve(challenge_json: str) -> str:
    challenge = altcha.Challenge.from_dict(json.loads(challenge_json))
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()


class AltchaTests(SimpleTestCase):
    def setUp(self):
        cache.clear()

    def test_it_verifies_a_solved_challenge_once(self):
        payload = solve(proof.new_challenge())
        self.assertTrue(proof.verify(payload))
        self.assertFalse(proof.verify(payload))  # a replay is refused

    def test_it_refuses_a_challenge_signed_with_another_key(self):
        with override_settings(ALTCHA_HMAC_KEY="another key"):
            payload = solve(proof.new_challenge())
        self.assertFalse(proof.verify(payload))

    def test_it_refuses_a_wrong_solution(self):
        payload = altcha.Payload.from_base64(solve(proof.new_challenge()))
        payload.solution.counter += 1
        self.assertFalse(proof.verify(payload.to_base64()))

    def test_it_refuses_garbage_and_empty_input(self):
        for garbage in ("", "not base64!", "e30=", "x" * 5000):
            self.assertFalse(proof.verify(garbage))

    def test_it_refuses_an_expired_challenge(self):
        with mock.patch.object(proof, "LIFETIME", dt.timedelta(seconds=-5)):
            payload = solve(proof.new_challenge())
        self.assertFalse(proof.verify(payload))
