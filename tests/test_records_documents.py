"""Documents on the family's record (issue 14): checked by their content, never the browser's
word; stored through Django's storage API, on disk and in an S3-compatible store (moto's server,
a real HTTP endpoint); downloaded only as an attachment after the access check, every download
audited; nothing half-saved."""

import io
import socket
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from earlyhelp.audit.models import AuditEvent
from earlyhelp.records.documents import DocumentDetails, content_type_of, document_upload
from earlyhelp.records.models import Document
from tests.conftest import signed_in
from tests.factories import episode_allocated

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _upload(name: str, content: bytes, claimed: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=claimed)


def _details(upload, **changes) -> DocumentDetails:
    values = {"kind": "direct_work", "title": "Maya's three houses", "upload": upload}
    values.update(changes)
    return DocumentDetails(**values)


def test_the_type_is_read_from_the_content():
    assert content_type_of(PDF) == "application/pdf"
    assert content_type_of(PNG) == "image/png"
    assert content_type_of(_docx()) == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert content_type_of(b"<html><script>alert(1)</script></html>") is None


def test_a_coach_uploads_a_document_and_anyone_who_may_see_the_case_downloads_it_as_an_attachment(
    episode, coach, team_leader
):
    maya = episode.children.get().person
    client = signed_in(coach)
    response = client.post(
        f"/episodes/{episode.pk}/documents/",
        {
            "kind": "direct_work",
            "title": "Maya's three houses",
            "children": [str(maya.pk)],
            "upload": _upload("three houses.pdf", PDF, claimed="text/html"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "application/pdf"  # what it is, not what the browser said
    assert document.original_name == "three houses.pdf"
    assert "three houses" not in str(document.file.name)  # the stored name says nothing
    assert AuditEvent.objects.filter(target_type="records.document", verb=AuditEvent.Verb.CREATED).exists()

    download = signed_in(team_leader).get(f"/episodes/{episode.pk}/documents/{document.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="three houses.pdf"' in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    assert _body(download) == PDF
    assert AuditEvent.objects.filter(
        actor=team_leader, verb=AuditEvent.Verb.VIEWED, target_type="records.document", target_id=document.pk
    ).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.html", b"<html><script>alert(1)</script></html>", "The file must be a PDF"),
        ("photo.png", PDF, "but it is a PDF"),
        ("empty.pdf", b"", "The file is empty"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "The file must be a PDF"),
    ],
)
def test_a_file_that_is_not_what_it_says_or_not_allowed_is_refused_beside_its_field(
    episode, coach, name, content, message
):
    response = signed_in(coach).post(
        f"/episodes/{episode.pk}/documents/",
        {"kind": "correspondence", "title": "Letter from school", "upload": _upload(name, content)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Letter from school" in page  # what was typed is kept
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused(episode, coach, settings):
    settings.DOCUMENT_LARGEST_BYTES = 1024
    with pytest.raises(ValidationError, match="smaller than"):
        document_upload(actor=coach, episode=episode, details=_details(_upload("big.pdf", PDF + b"0" * 2048)))


def test_a_body_over_the_upload_limit_is_refused_with_a_page_that_says_so(episode, coach, settings):
    settings.DOCUMENT_LARGEST_BYTES = 1024
    settings.LARGEST_REQUEST_BYTES = 1024
    response = signed_in(coach).post(
        f"/episodes/{episode.pk}/documents/",
        {"kind": "other", "title": "Huge", "upload": _upload("huge.pdf", PDF + b"0" * 5000)},
    )
    assert response.status_code == 413
    assert "choose a smaller file" in response.content.decode()


def test_nothing_is_half_saved_when_the_record_cannot_be_written(episode, coach, monkeypatch):
    stored_before = set(_stored_names())

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("earlyhelp.records.documents.record_change", broken)
    with pytest.raises(RuntimeError):
        document_upload(actor=coach, episode=episode, details=_details(_upload("a.pdf", PDF)))
    assert not Document.objects.exists()
    assert set(_stored_names()) == stored_before


def _stored_names() -> list[str]:
    storage = storages["documents"]
    names: list[str] = []
    folders = [""]
    while folders:
        folder = folders.pop()
        if not storage.exists(folder or "."):
            continue
        subfolders, files = storage.listdir(folder or ".")
        names += [f"{folder}/{name}" for name in files]
        folders += [f"{folder}/{name}".strip("/") for name in subfolders]
    return names


def test_someone_who_may_not_see_the_case_gets_nothing(episode, coach, bob):
    document = document_upload(actor=coach, episode=episode, details=_details(_upload("a.pdf", PDF)))
    response = signed_in(bob).get(f"/episodes/{episode.pk}/documents/{document.pk}/download/")
    assert response.status_code == 404
    other = signed_in(coach).get(f"/episodes/{episode.pk + 1}/documents/{document.pk}/download/")
    assert other.status_code == 404


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def s3_documents(monkeypatch):
    """The documents' storage on an S3-compatible server: moto's, over HTTP on this machine."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    endpoint = f"http://127.0.0.1:{port}"
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-2").create_bucket(
        Bucket="earlyhelp-documents", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    backend = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "earlyhelp-documents",
            "endpoint_url": endpoint,
            "region_name": "eu-west-2",
            "default_acl": None,
            "file_overwrite": False,
        },
    }
    from django.conf import settings

    with override_settings(STORAGES={**settings.STORAGES, "documents": backend}):
        # The field was given its storage when the model loaded (as a server starting with the
        # setting would): given it again here, under the setting the test makes.
        monkeypatch.setattr(Document._meta.get_field("file"), "storage", storages["documents"])
        yield endpoint
    server.stop()


def test_documents_are_kept_in_object_storage_by_setting(episode, coach, s3_documents):
    import boto3

    document = document_upload(actor=coach, episode=episode, details=_details(_upload("a.pdf", PDF)))
    listed = boto3.client("s3", endpoint_url=s3_documents, region_name="eu-west-2").list_objects_v2(
        Bucket="earlyhelp-documents"
    )
    assert [item["Key"] for item in listed["Contents"]] == [document.file.name]
    download = signed_in(coach).get(f"/episodes/{episode.pk}/documents/{document.pk}/download/")
    assert _body(download) == PDF
