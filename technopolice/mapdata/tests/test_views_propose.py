import io
import os
import re
import tempfile
import time
from unittest import mock

import piexif
from django.core.cache import cache
from django.core.files import uploadhandler
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from technopolice.lib.tests.test_images import AUTHOR, SERIAL, photo_with_metadata, pixel_flood
from technopolice.mapdata import actions
from technopolice.mapdata.models import Camera
from technopolice.moderation import actions as moderation
from technopolice.moderation.kinds import get_kind
from technopolice.moderation.models import Proposal
from technopolice.testing.cases import BaseTestCase

VALID = {
    "latitude": "45.4339",
    "longitude": "4.3897",
    "surveillance_type": "camera",
    "camera_type": "dome",
    "direction": "NE;180",
    "zone": "town",
    "operator": "Ville de Saint-Étienne",
    "message": "Au coin de la place.",
    "website": "",
}


def camera_photo_with_gps(width: int = 2000, height: int = 1600) -> bytes:
    """A 3 MB JPEG as a phone takes it: over FILE_UPLOAD_MAX_MEMORY_SIZE, with a GPS position."""
    exif = piexif.dump(
        {
            "0th": {piexif.ImageIFD.Artist: AUTHOR.encode()},
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((45, 1), (26, 1), (1234, 100)),
            },
        }
    )
    out = io.BytesIO()
    Image.effect_noise((width, height), 60).convert("RGB").save(out, "JPEG", quality=95, exif=exif)
    return out.getvalue()


class TemporaryMedia(BaseTestCase):
    """Photos go to a throw-away MEDIA_ROOT."""

    def setUp(self):
        super().setUp()
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        settings = override_settings(MEDIA_ROOT=media.name)
        settings.enable()
        self.addCleanup(settings.disable)


class ProposeViewTests(TemporaryMedia):
    url = reverse("mapdata:propose")

    def tearDown(self):
        cache.clear()  # rate-limit counters live in the cache: keep tests independent
        super().tearDown()

    def post(self, data=None, client=None, **files):
        return (client or self.client).post(self.url, {**(data or VALID), **files})

    def test_it_shows_the_form_with_a_map_and_plain_position_fields(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'id="propose-map"')
        self.assertContains(response, 'name="latitude"')
        self.assertContains(response, 'class="hp"')

    def test_an_anonymous_visitor_proposes_a_camera_for_moderation(self):
        response = self.post()
        follow = re.search(r'href="(/moderation/suivi/[^/"]+/)"', response.content.decode()).group(1)
        self.assertEqual(self.client.get(follow).status_code, 200)
        proposal = Proposal.objects.get()
        self.assertEqual((proposal.kind, proposal.contributor, proposal.state), ("camera", None, "pending"))
        self.assertEqual(proposal.payload["directions"], [45.0, 180.0])
        self.assertEqual(proposal.payload["operator"], "Ville de Saint-Étienne")
        self.assertTrue(proposal.without_proof_of_work)
        self.assertEqual(Camera.objects.count(), 0)  # nothing public before moderation

    def test_a_signed_in_contributor_is_recorded(self):
        self.post(client=self.login(self.alice))
        self.assertEqual(Proposal.objects.get().contributor, self.alice)

    def test_the_photo_is_stored_without_gps_serial_or_author(self):
        photo = SimpleUploadedFile("cam.jpg", photo_with_metadata(), content_type="image/jpeg")
        self.post(photo=photo)
        name = Proposal.objects.get().payload["photo"]
        self.assertTrue(name.startswith("camera-photos/"))
        with default_storage.open(name, "rb") as handle:
            stored = handle.read()
        for secret in (SERIAL.encode(), AUTHOR.encode(), b"GPS", b"Exif"):
            self.assertNotIn(secret, stored)
        self.assertEqual(Image.open(default_storage.open(name)).getexif(), {})

    def test_a_large_photo_is_never_written_to_a_temporary_file_before_cleaning(self):
        data = camera_photo_with_gps()
        self.assertGreater(len(data), 2.5 * 1024 * 1024)  # Django's default handlers would spool it
        photo = SimpleUploadedFile("cam.jpg", data, content_type="image/jpeg")
        # A spooled file is deleted when the request ends: catch it being made, not left behind.
        spied = mock.patch.object(
            uploadhandler, "TemporaryUploadedFile", wraps=uploadhandler.TemporaryUploadedFile
        )
        with tempfile.TemporaryDirectory() as spool, override_settings(FILE_UPLOAD_TEMP_DIR=spool):
            with spied as temporary_file:
                response = self.post(photo=photo)
            self.assertEqual(os.listdir(spool), [])
        temporary_file.assert_not_called()
        self.assertEqual(response.status_code, 200)
        with default_storage.open(Proposal.objects.get().payload["photo"], "rb") as handle:
            stored = handle.read()
        self.assertNotIn(b"GPS", stored)
        self.assertNotIn(AUTHOR.encode(), stored)

    def test_a_photo_over_the_limit_is_refused_with_a_message(self):
        # The memory-only handler keeps one byte past the limit, so the form still sees it is too large.
        with (
            mock.patch("technopolice.mapdata.views.propose.MAX_PHOTO_BYTES", 1000),
            mock.patch("technopolice.mapdata.forms.MAX_PHOTO_BYTES", 1000),
        ):
            photo = SimpleUploadedFile("cam.jpg", camera_photo_with_gps(200, 100), content_type="image/jpeg")
            response = self.post(photo=photo)
        self.assertContains(response, "10 Mo", status_code=400)
        self.assertEqual(Proposal.objects.count(), 0)

    def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_kept(self):
        fake = SimpleUploadedFile("cam.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
        response = self.post(photo=fake)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "errorlist", status_code=400)
        self.assertEqual(Proposal.objects.count(), 0)
        self.assertFalse(default_storage.exists("camera-photos"))

    def test_a_pixel_flood_photo_is_refused_at_once_with_a_message_and_nothing_is_kept(self):
        flood = SimpleUploadedFile("cam.png", pixel_flood(), content_type="image/png")
        started = time.perf_counter()
        response = self.post(photo=flood)
        self.assertLess(time.perf_counter() - started, 5)
        self.assertContains(response, "Cette image est trop grande", status_code=400)
        self.assertEqual(Proposal.objects.count(), 0)
        self.assertFalse(default_storage.exists("camera-photos"))

    def test_bad_fields_are_explained_and_nothing_is_saved(self):
        for field, value in (
            ("latitude", "north"),
            ("longitude", "200"),
            ("direction", "upwards"),
            ("direction", "400"),
        ):
            with self.subTest(field=field, value=value):
                response = self.post({**VALID, field: value})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "errorlist", status_code=400)
        self.assertEqual(Proposal.objects.count(), 0)

    def test_a_bot_filling_the_honeypot_is_thanked_and_ignored(self):
        response = self.post({**VALID, "website": "http://spam.example"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "/moderation/suivi/")
        self.assertEqual(Proposal.objects.count(), 0)

    @override_settings(RATELIMIT_PROPOSALS_PER_HOUR=1)
    def test_robots_do_not_use_up_the_quota_of_people_at_the_same_address(self):
        cache.clear()
        for _ in range(3):
            self.post({**VALID, "website": "http://spam.example"})
        self.assertEqual(self.post().status_code, 200)
        self.assertEqual(Proposal.objects.count(), 1)

    @override_settings(RATELIMIT_PROPOSALS_PER_HOUR=2)
    def test_it_limits_proposals_per_visitor_without_storing_their_address(self):
        cache.clear()
        statuses = [self.post().status_code for _ in range(3)]
        self.assertEqual(statuses, [200, 200, 429])
        self.assertEqual(Proposal.objects.count(), 2)
        self.assertNotIn("127.0.0.1", str(list(Proposal.objects.values())))

    def test_it_needs_the_csrf_token(self):
        self.assertEqual(self.post(client=self.csrf_client).status_code, 403)
        self.assertEqual(Proposal.objects.count(), 0)

    def test_it_refuses_other_methods(self):
        self.assertEqual(self.client.put(self.url).status_code, 405)


class CameraModerationTests(TemporaryMedia):
    def setUp(self):
        super().setUp()
        self.data = {**VALID, "latitude": 45.4339, "longitude": 4.3897, "direction": [45.0, 180.0]}
        self.proposal, _token = actions.propose_camera(self.data, photo_with_metadata(), None, "")

    def test_rejecting_deletes_the_photo(self):
        name = self.proposal.payload["photo"]
        self.assertTrue(default_storage.exists(name))
        with self.captureOnCommitCallbacks(execute=True):
            moderation.reject(self.proposal, self.bob, "Pas une caméra.")
        self.assertFalse(default_storage.exists(name))
        url = reverse("mapdata:proposal_photo", args=[self.proposal.pk])
        self.assertEqual(self.login(self.bob).get(url).status_code, 404)

    def test_accepting_keeps_the_photo_attached_to_the_camera(self):
        name = self.proposal.payload["photo"]
        with self.captureOnCommitCallbacks(execute=True):
            camera = moderation.accept(self.proposal, self.bob)
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.target, camera)
        self.assertEqual(self.proposal.payload["photo"], name)
        self.assertTrue(default_storage.exists(name))
        url = reverse("mapdata:proposal_photo", args=[self.proposal.pk])
        self.assertEqual(self.login(self.bob).get(url).status_code, 200)

    def test_rejecting_never_deletes_a_file_that_is_not_a_proposals_photo(self):
        kept = default_storage.save("documents/keep.txt", io.BytesIO(b"x"))
        for name in (kept, "camera-photos/../documents/keep.txt", self.proposal.payload["photo"]):
            with self.subTest(name=name):
                proposal, _token = actions.propose_camera(self.data, None)
                proposal.payload["photo"] = name  # as a moderator's edit could leave it
                proposal.save()
                with self.captureOnCommitCallbacks(execute=True):
                    moderation.reject(proposal, self.bob, "Non.")
        self.assertTrue(default_storage.exists(kept))
        # The last one named the pending proposal's photo: still offered there, so kept.
        self.assertTrue(default_storage.exists(self.proposal.payload["photo"]))

    def test_accepting_puts_the_camera_in_the_contributions_dataset(self):
        camera = get_kind("camera").apply(self.proposal, self.bob)
        camera.refresh_from_db()
        self.assertEqual(camera.dataset.slug, "contributions")
        self.assertEqual(camera.dataset.licence, "ODbL 1.0")
        self.assertEqual(
            (camera.directions, camera.zone, camera.camera_type), ([45.0, 180.0], "town", "dome")
        )
        self.assertEqual(camera.external_id, f"proposal/{self.proposal.pk}")

    def test_an_accepted_contribution_exports_as_osm_tags(self):
        camera = get_kind("camera").apply(self.proposal, self.bob)
        response = self.client.get(reverse("mapdata:camera_osm_tags", args=[camera.pk]))
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        lines = response.content.decode().splitlines()
        self.assertEqual(lines[0], "# 45.4339000,4.3897000")
        self.assertEqual(
            lines[1:],
            [
                "man_made=surveillance",
                "surveillance=public",
                "surveillance:type=camera",
                "camera:type=dome",
                "camera:direction=45;180",
                "surveillance:zone=town",
                "operator=Ville de Saint-Étienne",
            ],
        )

    def test_only_contributed_cameras_export_as_osm_tags(self):
        from .mapview_helpers import camera

        osm_camera = camera(45.0, 4.0)
        self.assertEqual(
            self.client.get(reverse("mapdata:camera_osm_tags", args=[osm_camera.pk])).status_code, 404
        )

    def test_only_moderators_see_the_proposed_photo(self):
        url = reverse("mapdata:proposal_photo", args=[self.proposal.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.login(self.mallory).get(url).status_code, 403)
        response = self.login(self.bob).get(url)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(SERIAL.encode(), b"".join(response.streaming_content))

    def test_the_review_template_shows_the_proposal(self):
        from django.template.loader import render_to_string

        html = render_to_string(
            get_kind("camera").review_template, {"proposal": self.proposal, "payload": self.proposal.payload}
        )
        self.assertIn("45°, 180°", html)
        self.assertIn(reverse("mapdata:proposal_photo", args=[self.proposal.pk]), html)
