"""Documents on a family's record (FF §17: "correspondence with the family", "uploaded direct
work undertaken with the child, young person and family"), and their downloads.

- **Checked by content, never by the browser's word**: the file's first bytes say what it is
  (`filetype`); only PDF, JPEG, PNG, Word (.docx) and OpenDocument text (.odt) are kept, and a
  file whose name claims another type than its content is refused. The size is checked against
  `DOCUMENT_LARGEST_BYTES` (10 MB by default), and an empty file is refused.
- **Stored through Django's storage API** (`storages["documents"]`): a folder outside the web root
  by default, or object storage by setting; the stored name is random and says nothing about the
  family. Nothing serves the folder or the bucket directly.
- **Downloaded only** after the episode's access check, as an attachment (`Content-Disposition:
  attachment`, `X-Content-Type-Options: nosniff`, never cached); each download is audited.
- Whoever works the episode uploads (its coach, a team leader of its team, the lead practitioner),
  while it is open. A document is kept with the family's record and disposed of with it.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited_writes, record_change
from earlyhelp.casework.access import can_work
from earlyhelp.casework.models import Episode
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import User
from earlyhelp.people.models import FamilyMembership
from earlyhelp.records.models import Document

# What may be kept: the type read from the content, and the name endings that type may have.
ALLOWED = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
}
ALLOWED_WORDS = "a PDF, a photo (JPEG or PNG), or a Word or OpenDocument text file"
HEAD = 8192  # enough of a file to know its type


@dataclass(frozen=True)
class DocumentDetails:
    kind: str
    title: str
    upload: "UploadedFile[bytes] | None"
    description: str = ""
    children: list[int] = field(default_factory=list)


def content_type_of(head: bytes) -> str | None:
    """The type the file's own first bytes say it is, or None."""
    kind = filetype.guess(head)
    return kind.mime if kind is not None else None


def file_problems(upload: "UploadedFile[bytes] | None") -> tuple[dict[str, str], str]:
    """What is wrong with the file, and its type read from its content."""
    if upload is None:
        return {"upload": "Choose the file to upload"}, ""
    largest = settings.DOCUMENT_LARGEST_BYTES
    if not upload.size:
        return {"upload": "The file is empty"}, ""
    if upload.size > largest:
        return {"upload": f"The file must be smaller than {largest // (1024 * 1024)} MB"}, ""
    upload.seek(0)
    detected = content_type_of(upload.read(HEAD))
    upload.seek(0)
    if detected not in ALLOWED:
        return {"upload": f"The file must be {ALLOWED_WORDS}"}, ""
    ending = PurePath(upload.name or "").suffix.lower()
    if ending not in ALLOWED[detected]:
        actual = ALLOWED[detected][0][1:].upper()
        return {"upload": f"The file's name ends {ending or 'with no type'}, but it is a {actual}: check it"}, ""
    return {}, detected


def _safe_name(name: str) -> str:
    """The name the file is downloaded as: its own, without any folder or control characters."""
    base = PurePath(name.replace("\\", "/")).name
    kept = "".join(character for character in base if character.isprintable() and character not in '"<>:|?*')
    return kept[:200] or "document"


def document_upload(*, actor: User, episode: Episode, details: DocumentDetails) -> Document:
    """Check and keep the document. The file is stored first, then its row written in the same
    transaction as its audit entry; if that transaction does not commit, the stored file is
    deleted again: nothing is half-saved."""
    stored: list[tuple[Storage, str]] = []
    try:
        with audited_writes():
            return _document_write(actor=actor, episode=episode, details=details, stored=stored)
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise


def _document_write(
    *, actor: User, episode: Episode, details: DocumentDetails, stored: list[tuple[Storage, str]]
) -> Document:
    episode = locked(episode)
    if not can_work(actor, episode):
        raise ValidationError({"upload": "Only the family's coach, their team leader or the lead practitioner can"})
    problems, detected = file_problems(details.upload)
    if details.kind not in Document.Kind.values:
        problems["kind"] = "Choose what kind of document it is"
    if not details.title.strip():
        problems["title"] = "Give the document a title, for example ‘Maya's three houses drawing’"
    children = set(
        FamilyMembership.objects.filter(family_id=episode.family_id, role=FamilyMembership.Role.CHILD).values_list(
            "person_id", flat=True
        )
    )
    if not set(details.children) <= children:
        problems["children"] = "Choose only the family's own children"
    if problems:
        raise ValidationError(problems)
    upload = details.upload
    assert upload is not None
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = Document(
        family_id=episode.family_id,
        episode=episode,
        kind=details.kind,
        title=details.title.strip(),
        description=details.description.strip(),
        original_name=_safe_name(upload.name or ""),
        content_type=detected,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    document.file.save("upload", upload, save=False)
    stored.append((document.file.storage, str(document.file.name)))
    document.save()
    document.children.set(sorted(set(details.children)))
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=document,
        changes={
            "title": document.title,
            "kind": document.kind,
            "name": document.original_name,
            "content_type": detected,
            "size": document.size,
            "sha256": document.sha256,
        },
    )
    return document
