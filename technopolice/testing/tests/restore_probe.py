"""Run by the restore drill (test_restore.py) in a process of its own, against the restored
database and data folder only: what a visitor, a searcher and an exporter get there, as JSON.

PROBE (an environment variable, JSON) names the dossier, the search words, the exporter, their
password and the campaign's private key file the organiser kept; the answer is printed as one
JSON line."""

import hashlib
import io
import json
import os
import zipfile

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "technopolice.settings")
    django.setup()
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation
    from django_otp.plugins.otp_static.models import StaticToken

    from technopolice.complaints import checks
    from technopolice.complaints.models import Campaign
    from technopolice.documents.models import Document

    probe = json.loads(os.environ["PROBE"])
    client = Client()
    found = {}
    with translation.override("fr"):
        dossier = client.get(reverse("registry:dossier", args=[probe["dossier"]]))
        found["dossier"] = [dossier.status_code, probe["dossier_title"] in dossier.content.decode()]
        search = client.get(reverse("search:results"), {"q": probe["search"]})
        found["search"] = [search.status_code, probe["document_title"] in search.content.decode()]
        clusters = client.get(reverse("mapdata:clusters"), {"bbox": "-5.5,41,10,51.5", "zoom": 5})
        body = json.loads(clusters.content)
        found["map"] = [
            clusters.status_code,
            sum(c["count"] for c in body["clusters"]) + len(body["cameras"]),
        ]
        found["files"] = {
            document.sha256: hashlib.sha256(document.file.open("rb").read()).hexdigest()
            for document in Document.objects.all()
        }
        for document in Document.objects.all():
            document.file.close()
        client.login(username=probe["user"], password=probe["password"])
        # The exporter is staff: one of the restored recovery codes completes the login. (Not the
        # authenticator's code: a second probe within the same 30 s would replay it, and a TOTP
        # code is accepted once.)
        recovery = StaticToken.objects.filter(device__user__username=probe["user"]).first()
        client.post(reverse("accounts:second_factor_verify"), {"token": recovery.token})
        campaign = Campaign.objects.get()
        with open(probe["key_file"], "rb") as key:
            export = client.post(
                reverse("complaints:export", args=[campaign.slug]),
                {"key_file": key, "password": probe["password"]},
            )
        if export.get("Content-Type") == "application/zip":
            with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
                body = archive.read("signatories.csv").decode("utf-8-sig")
        else:
            body = export.content.decode()
        found["export"] = [export.status_code, body]
    found["checks"] = [error.id for error in checks.check_keys_open_stored_data()]
    print(json.dumps(found))


if __name__ == "__main__":
    main()
