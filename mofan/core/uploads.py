"""Checks every uploaded file passes before it is stored: its type by extension, its size, and for
photos that it really is an image (and not a decompression bomb). Thumbnails for photos."""

import io

from mofan.core.errors import InvalidInput

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DOCUMENTS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".ofd", ".txt", ".zip"}
)
PHOTOS = frozenset({".jpg", ".jpeg", ".png"})
MAX_PIXELS = 60_000_000  # a 60-megapixel photo is the largest a phone takes; more is a bomb


def extension(name: str) -> str:
    return ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""


def check_upload(upload, allowed=DOCUMENTS | PHOTOS, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The file's base name if it may be stored; InvalidInput in Chinese otherwise."""
    name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    suffix = extension(name)
    if suffix not in allowed:
        raise InvalidInput(
            f"不支持的文件类型“{suffix or '无扩展名'}”。可上传：{'、'.join(sorted(allowed))}。"
        )
    if upload.size > max_bytes:
        raise InvalidInput(f"单个文件不能超过 {max_bytes // 1024 // 1024} MB。")
    return name[:200]


def thumbnail(upload, size: int = 480) -> bytes:
    """A JPEG thumbnail of a photo; InvalidInput when the file is not a readable image."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((size, size))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise InvalidInput("照片文件已损坏或不是图片，请重新上传。") from error
    finally:
        upload.seek(0)
    return out.getvalue()
