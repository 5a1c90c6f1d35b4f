"""Stored files (under MEDIA_ROOT) as the views serve them: a file gone from the disk — lost, or
not yet restored from a backup — is a clear 404 page, never a 500."""

import logging
from pathlib import PurePosixPath

from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from django.shortcuts import render

from mofan.core.errors import UserFacingError
from mofan.core.uploads import safe_download

logger = logging.getLogger(__name__)


# A file system takes names of at most 255 bytes, and a Chinese character is three in UTF-8;
# the storage may add "_" and seven characters to make a name unique.
MAX_STORED_NAME_BYTES = 180


class MediaStorage(FileSystemStorage):
    """MEDIA_ROOT as Django stores it, with names a file system takes: a long Chinese file name
    is shortened on disk (its stem cut at a character, the extension kept); the name the user
    sees is kept apart in the record."""

    def get_valid_name(self, name):
        name = super().get_valid_name(name)
        if len(name.encode()) <= MAX_STORED_NAME_BYTES:
            return name
        path = PurePosixPath(name)
        suffix = path.suffix[:16]
        stem = path.stem
        while len((stem + suffix).encode()) > MAX_STORED_NAME_BYTES:
            stem = stem[:-1]
        return stem + suffix


class StoredFileMissing(UserFacingError):
    default_message = "附件已丢失，请联系管理员从备份恢复。"
    status_code = 404


def _missing(field_file: FieldFile, exc: Exception | None = None) -> StoredFileMissing:
    instance = field_file.instance
    logger.warning(
        "Stored file missing: %s (%s pk=%s, field %s): %s",
        field_file.name or "(no name)",
        instance._meta.label_lower,
        instance.pk,
        field_file.field.name,
        exc or "no file name",
    )
    return StoredFileMissing()


def open_stored(field_file: FieldFile):
    """The stored file opened for reading; StoredFileMissing (logged) when it is not there."""
    if not field_file:
        raise _missing(field_file)
    try:
        return field_file.storage.open(field_file.name, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        raise _missing(field_file, exc) from exc


def stored_size(field_file: FieldFile) -> int | None:
    """The stored file's size, or None (logged) when it is not there."""
    if not field_file:
        _missing(field_file)
        return None
    try:
        return field_file.storage.size(field_file.name)
    except (FileNotFoundError, NotADirectoryError) as exc:
        _missing(field_file, exc)
        return None


def missing_page(request, error: StoredFileMissing) -> HttpResponse:
    return render(request, "core/file_missing.html", {"message": error.message}, status=404)


def stored_file_response(
    request,
    field_file: FieldFile,
    *,
    filename: str | None = None,
    inline: bool = False,
    content_type: str | None = None,
) -> HttpResponse:
    """A stored file sent back, typed and disposed by `uploads.safe_download` (no stored file is
    ever rendered by the browser as a page); the missing-file page when it is gone."""
    try:
        handle = open_stored(field_file)
    except StoredFileMissing as error:
        return missing_page(request, error)
    name = filename or PurePosixPath(field_file.name).name
    return safe_download(handle, name, inline=inline, content_type=content_type)


def stored_file_api(field_file: FieldFile, *, filename: str) -> HttpResponse:
    """The same for the API: no file is a 404; a file that is gone is StoredFileMissing; both
    answered in JSON by the API's exception handler."""
    from django.http import Http404

    if not field_file:
        raise Http404
    return safe_download(open_stored(field_file), filename)
