"""Plain text in: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK, detected; and
whether what came in is a Chinese document at all."""

import re
from functools import lru_cache

from mofan.docparse.errors import DocumentError

MAX_BYTES = 20 * 1024 * 1024


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise DocumentError("文件超过 20 MB，请拆分后再分解。")
    if not data.strip():
        raise DocumentError("文件是空的。")
    # A byte-order mark says the encoding; bytes that then break it (a UTF-16 file cut at an
    # odd length, say) are a damaged file, not a crash.
    for mark, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                           (b"\xfe\xff", "utf-16")):  # fmt: skip
        if data.startswith(mark):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise DocumentError(
                    "文件的文本编码已损坏，请用原软件另存为 UTF-8 文本后再上传。"
                ) from None
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


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc  # loads its dictionaries: once, and only where a document is read

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """The text in simplified characters, one for one, so that every offset holds: a document in
    traditional characters (縣政府將…) is read as the simplified ones the model learned from. A
    text whose conversion changes its length (a phrase written with more or fewer characters) is
    converted one character at a time instead."""
    if text.isascii():
        return text
    convert = _to_simplified().convert
    converted = convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(single if len(single := convert(char)) == 1 else char for char in text)


# A Chinese character (the unified ideographs, extension A and the compatibility block)
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_STOPS = re.compile(r"[。！？；!?;]")
LONGEST_UNBROKEN = 5000  # characters a paragraph may run without a sentence's end
SAMPLE = 20000  # characters read to tell a Chinese document


def readable(paragraphs: list[str]) -> list[str]:
    """The paragraphs, when they are a Chinese document that can be cut into sentences;
    otherwise DocumentError saying what is wrong (punctuation only, English, a run of text
    with no sentence end — a paste of something other than a document's text)."""
    joined = "".join(paragraphs)[:SAMPLE]  # what it is shows in its opening pages
    chinese = len(HAN.findall(joined))
    latin = len(_LATIN.findall(joined))
    if chinese < 4 or chinese < 0.3 * (chinese + latin):
        raise DocumentError("未识别到中文正文：任务分解只分解中文公文，请上传或粘贴文件的正文。")
    for number, paragraph in enumerate(paragraphs, 1):
        if len(paragraph) > LONGEST_UNBROKEN and not _STOPS.search(paragraph):
            raise DocumentError(
                f"第 {number} 段长达 {len(paragraph)} 字却没有一个句号，无法分句："
                "请检查粘贴或上传的是否为文件正文。"
            )
    return paragraphs
