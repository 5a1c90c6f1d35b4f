"""Checks every uploaded file passes before it is stored or read: its type by extension, its size,
and that its content really is of that type — photos decoded by Pillow, office files opened as
zip packages (through the one zip guard) with the main content type their extension names, PDF
and compound-file headers, plain text decodable and free of markup a browser would render.
Also: the zip guard with the site's limits, thumbnails, and how stored files are sent back.

The content checks are written here rather than taken from a signature library (filetype,
puremagic): those tell a type by its first bytes only, while what must hold here is structural —
Pillow decoding the image, the package's [Content_Types].xml naming a Word or Excel main part,
no HTML in a text file — and the few leading signatures that remain are fixed constants."""

import io
import re
import zipfile
from pathlib import PurePosixPath

from defusedxml import ElementTree
from django.conf import settings
from django.http import FileResponse

from mofan.core.errors import InvalidInput
from mofan.docparse import DocumentError
from mofan.docparse import archive as zip_guard
from mofan.docparse import text as plain_text

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DOCUMENTS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".ofd", ".txt", ".zip"}
)
PHOTOS = frozenset({".jpg", ".jpeg", ".png"})
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
MAX_PIXELS = 60_000_000  # a 60-megapixel photo is the largest a phone takes; more is a bomb

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # MS-CFB 2.2: .doc, .xls, .ppt, .wps
_OOXML_MAIN = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024
# A text that opens the way a browser's sniffer takes for HTML (WHATWG MIME Sniffing 7.1) or as
# XML/SVG, or that carries an active element anywhere near its start.
_MARKUP_START = re.compile(
    r"^\s*<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p"
    r"|!--|\?xml|svg)[\s>/]",
    re.IGNORECASE,
)
_MARKUP_ACTIVE = re.compile(r"<(?:script|html|svg|iframe|object|embed)[\s>/]", re.IGNORECASE)
# The types files are sent back as: a fixed table by extension, never the upload's own claim.
# Anything not named here goes out as application/octet-stream.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".wps": "application/vnd.ms-works",
    ".ofd": "application/ofd",
    ".txt": "text/plain",  # no charset: a text may be GB18030 as well as UTF-8
    ".zip": "application/zip",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def extension(name: str) -> str:
    return ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""


def office_limits() -> zip_guard.ZipLimits:
    """The zip guard's limits as configured (MOFAN_OFFICE_MAX_EXPANDED_MB and friends)."""
    return zip_guard.ZipLimits(
        max_expanded=settings.OFFICE_MAX_EXPANDED_MB * zip_guard.MB,
        max_entries=settings.OFFICE_MAX_ENTRIES,
        max_ratio=settings.OFFICE_MAX_RATIO,
    )


def open_office_zip(source) -> zipfile.ZipFile:
    """A zip-based office file opened through the guard; InvalidInput before anything expands."""
    try:
        return zip_guard.open_zip(source, office_limits())
    except DocumentError as error:
        raise InvalidInput(error.message) from error


def check_upload(upload, allowed=DOCUMENTS | PHOTOS, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The file's base name if it may be stored; InvalidInput in Chinese otherwise."""
    name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if len(name) > 200:
        raise InvalidInput(f"文件名过长（{len(name)} 个字符，最多 200 个），请改短后再上传。")
    suffix = extension(name)
    if suffix not in allowed:
        raise InvalidInput(
            f"不支持的文件类型“{suffix or '无扩展名'}”。可上传：{'、'.join(sorted(allowed))}。"
        )
    if upload.size > max_bytes:
        raise InvalidInput(f"单个文件不能超过 {max_bytes // 1024 // 1024} MB。")
    if upload.size == 0:
        raise InvalidInput("文件是空的。")
    try:
        check_content(upload, suffix)
    finally:
        upload.seek(0)
    return name


def keep_upload(instance, upload, *, field: str = "file", name_field: str = "file_name") -> None:
    """Checks `upload` and puts it on `instance`'s file field under its checked name, the name
    in `name_field`; the caller saves the instance (both fields) in its own transaction."""
    name = check_upload(upload)
    setattr(instance, name_field, name)
    getattr(instance, field).save(name, upload, save=False)


def check_content(upload, suffix: str) -> None:
    """InvalidInput unless the bytes are of the type the extension names."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if suffix in PHOTOS:
        _check_image(upload, suffix)
    elif suffix == ".pdf":
        if not head.startswith(b"%PDF-"):
            raise _mismatch(suffix, "不是 PDF 文件")
    elif suffix in _OOXML_MAIN:
        _check_ooxml(upload, suffix, head)
    elif suffix == ".ofd":
        if not head.startswith(b"PK\x03\x04"):
            raise _mismatch(suffix, "不是 OFD 版式文件")
        names = {n.lower() for n in open_office_zip(upload).namelist()}
        if "ofd.xml" not in names:
            raise _mismatch(suffix, "不是 OFD 版式文件")
    elif suffix in (".doc", ".xls", ".ppt", ".wps"):
        rtf = suffix in (".doc", ".wps") and head.startswith(b"{\\rtf")
        if not head.startswith(_CFB) and not rtf:
            raise _mismatch(suffix, "不是 Office/WPS 文档")
    elif suffix == ".zip":
        # Kept and downloaded, never expanded here: its signature is enough, and its directory
        # (which may list hundreds of thousands of entries) is not parsed.
        if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            raise _mismatch(suffix, "不是有效的压缩包")
    elif suffix == ".txt":
        _check_text(upload.read())
    else:  # an extension some caller allowed without saying how to check it
        raise InvalidInput(f"无法核验“{suffix}”类型的文件内容，未保存。")


def _mismatch(suffix: str, what: str) -> InvalidInput:
    return InvalidInput(f"文件内容与扩展名“{suffix}”不符（{what}），未保存。请检查后重新上传。")


def _check_image(upload, suffix: str) -> None:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(upload, formats=["JPEG", "PNG"]) as image:
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise _mismatch(suffix, "不是 JPEG 或 PNG 图片") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise InvalidInput("照片文件已损坏，请重新上传。") from error


def _check_ooxml(upload, suffix: str, head: bytes) -> None:
    kinds = {".docx": "Word", ".xlsx": "Excel", ".xlsm": "Excel", ".pptx": "PowerPoint"}
    wrong = _mismatch(suffix, f"不是 {kinds[suffix]} 文件")
    if head.startswith(_CFB):
        raise InvalidInput(
            f"这是旧版 Office 文件或已加密的文件，请另存为 {suffix} 或去除密码后再上传。"
        )
    if not head.startswith(b"PK\x03\x04"):
        raise wrong
    package = open_office_zip(upload)
    try:
        info = package.getinfo("[Content_Types].xml")
    except KeyError as error:
        raise wrong from error
    if info.file_size > _MAX_CONTENT_TYPES_BYTES:
        raise wrong
    try:
        types = ElementTree.fromstring(package.read(info))
    except Exception as error:  # malformed XML, a refused entity, a CRC error: not a package
        raise wrong from error
    declared = {element.get("ContentType") for element in types.iter() if element.get("PartName")}
    if _OOXML_MAIN[suffix] not in declared:
        raise wrong


def _check_text(data: bytes) -> None:
    try:
        decoded = plain_text.decode(data)
    except (DocumentError, UnicodeDecodeError) as error:
        raise InvalidInput("文件内容不是可读的文本（.txt），未保存。") from error
    if _MARKUP_START.match(decoded) or _MARKUP_ACTIVE.search(decoded[:4096]):
        raise InvalidInput("文本文件中含有网页或脚本代码，不能上传。请另存为纯文本后再上传。")


def thumbnail(upload, size: int = 480) -> bytes:
    """A JPEG thumbnail of a photo; InvalidInput when the file is not a readable image."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        upload.seek(0)
        with Image.open(upload, formats=["JPEG", "PNG"]) as image:
            image.verify()
        upload.seek(0)
        with Image.open(upload, formats=["JPEG", "PNG"]) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((size, size))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise InvalidInput("照片文件已损坏或不是图片，请重新上传。") from error
    finally:
        upload.seek(0)
    return out.getvalue()


def safe_download(
    handle, name: str, *, inline: bool = False, content_type: str | None = None
) -> FileResponse:
    """A stored upload sent back: its type from the fixed table (octet-stream otherwise), and as a
    download unless `inline` is asked for a checked photo — so no stored file is ever rendered by
    the browser as a page. `content_type` is for files the app made itself (thumbnails)."""
    suffix = PurePosixPath(name.lower()).suffix
    inline = inline and (suffix in PHOTOS or content_type in PHOTO_TYPES)
    content_type = content_type or CONTENT_TYPES.get(suffix, "application/octet-stream")
    response = FileResponse(
        handle, as_attachment=not inline, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
