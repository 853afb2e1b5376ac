"""Static files: after collectstatic their names carry a content hash and they are served cacheable for a year
(WhiteNoise), while every page of the app stays no-store (issue 14 item 4)."""

from __future__ import annotations

from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse


def test_collected_static_files_are_hashed_and_cached_long(settings, tmp_path, people):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES,
                         # production also compresses (CompressedManifest…); hashing and headers are tested here
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    call_command("collectstatic", interactive=False, verbosity=0)
    url = static("web/app.css")
    assert url != "/static/web/app.css" and url.endswith(".css"), "the name carries a content hash"
    client = Client()  # a new handler: WhiteNoise indexes the collected files
    response = client.get(url)
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    client.force_login(people.owner)
    page = client.get(reverse("web:home"))
    assert "no-store" in page["Cache-Control"] and url in page.content.decode()
