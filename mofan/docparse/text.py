"""Plain text in: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK, detected."""

from mofan.docparse.errors import DocumentError

MAX_BYTES = 20 * 1024 * 1024


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise DocumentError("文件超过 20 MB，请拆分后再分解。")
    if not data.strip():
        raise DocumentError("文件是空的。")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise DocumentError("这不是文本文件，请上传 .txt、.docx 或 .pdf 文件。")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError("无法识别文本编码，请另存为 UTF-8 后再上传。")


def lines(text: str) -> list[str]:
    """Paragraphs as lines: line breaks of every kind, full-width spaces trimmed, blanks dropped."""
    normalised = (
        text.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u2029", "\n")
    )
    return [
        line.strip().strip("\u3000")
        for line in normalised.split("\n")
        if line.strip().strip("\u3000")
    ]
