"""Charsets: from the bytes of a web page to NFC Unicode text.

A figure read through the wrong charset is silently a different figure (or a
subject nobody can match), so the order of evidence is explicit: a byte-order
mark, then the charset the HTTP server declared, then ``<meta charset>``, then
detection. A declaration is checked against the bytes before it is trusted;
when it is wrong the page is decoded by detection and the record carries a
warning saying so. Windows-1258 and decomposed Unicode become NFC, and pages
typed in the legacy TCVN3 (ABC) or VNI fonts, which look like Latin-1 noise to
every decoder, are recognised by their most common words and converted.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

# Pages larger than this are refused: nothing a reader sees is this large, and
# parsing one would stall a worker (trafilatura's own limit is 20 MB).
MAX_PAGE_BYTES = 20_000_000

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Labels that browsers (WHATWG Encoding) read as another codec than Python does.
_ALIASES = {
    "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252",
    "us-ascii": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252", "windows-1252": "cp1252",
    "windows-1258": "cp1258", "x-cp1258": "cp1258", "utf8": "utf-8", "unicode": "utf-8",
}
_SINGLE_BYTE_WESTERN = {"cp1252", "latin_1", "iso8859-1", "ascii"}
_BINARY_MAGIC = (
    (b"%PDF", "PDF"), (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"), (b"PK\x03\x04", "ZIP archive"), (b"\x7fELF", "executable"),
    (b"RIFF", "RIFF media"), (b"\x1f\x8b", "gzip data (not decompressed)"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"), (b"Rar!", "RAR archive"),
)
# Precomposed letters only Vietnamese uses (ạ…ỹ) plus ă, đ, ơ, ư: evidence of real Vietnamese.
_VN_LETTERS = re.compile("[\u1ea0-\u1ef9\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0]")


@dataclass
class Decoded:
    """Page text with the charset it was read in and anything a reader should know."""

    text: str
    charset: str
    warnings: list[str] = field(default_factory=list)


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)  # not tab, newline, cr, ff, vt


def binary_kind(data: bytes) -> str | None:
    """Name the kind of a non-text payload (PDF, image, …), or None for text."""
    head = data[:8]
    for magic, name in _BINARY_MAGIC:
        if head.startswith(magic):
            return name
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None  # UTF-16/32 text legitimately holds NUL bytes
    sample = data[:4096]
    if b"\x00" in sample:
        return "binary data (NUL bytes)"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return "binary data (control bytes)" if sample and controls > len(sample) // 20 else None


def codec_name(label: str | None) -> str | None:
    """Python codec for an HTTP or HTML charset label; None when it names no known codec."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(value: str | None) -> str | None:
    """The charset label of an HTTP Content-Type value, as written."""
    match = _HEADER_CHARSET.search(value or "")
    return match.group(1) if match else None


def declared_in_html(data: bytes) -> str | None:
    """The charset label of ``<meta charset>`` or ``http-equiv`` in the first 4 KB."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _vn_cp1258(data: bytes) -> tuple[str, int]:
    text = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    return text, len(_VN_LETTERS.findall(text))


# Bytes that start a UTF-8 sequence of two to four bytes.
_UTF8_LEADS = bytes(range(0xC2, 0xF5))
_NOT_LEADS = bytes(b for b in range(256) if b not in _UTF8_LEADS)


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """The page read as UTF-8 with its few bad sequences replaced, and how many there were;
    None when the bytes are not overwhelmingly UTF-8.

    One stray byte (a Latin-1 ``\\xa0`` pasted into a template, a cut multi-byte letter)
    must not send a UTF-8 page to Windows-1258, where every letter would be wrong. In a
    page in a single-byte charset almost every byte that could start a UTF-8 letter is
    followed by one that cannot go on with it; in a UTF-8 page almost none is. So the page
    stays UTF-8 when it holds at least 10 multi-byte letters and at most one bad sequence
    for every 20 of them (a Windows-1258 page has about one for every one).
    """
    leads = len(data.translate(None, _NOT_LEADS))
    if leads < 10:
        return None
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad <= 0 or bad * 20 > leads:
        return None
    return text, bad


def _utf8_warning(bad: int) -> str:
    return (f"page is UTF-8 but for {bad} invalid byte sequence(s), each read as U+FFFD "
            "(replacement character)")


def _detect(data: bytes, warnings: list[str] | None = None) -> tuple[str, str]:
    """Decode undeclared (or wrongly declared) bytes: UTF-8 (a few bad bytes replaced, with a
    warning added to ``warnings``), Windows-1258, then detection."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        if warnings is not None:
            warnings.append(_utf8_warning(mostly[1]))
        return mostly[0], "utf-8"
    text, vn = _vn_cp1258(data)
    if vn >= 10:
        return text, "cp1258"
    from charset_normalizer import from_bytes  # imported lazily: rarely needed, slow import

    best = from_bytes(data[:200_000]).best()
    name = codec_name(best.encoding) if best is not None else None
    if name and name != "utf-8":
        return data.decode(name, errors="replace"), name
    return data.decode("cp1252", errors="replace"), "cp1252"


def decode_html(data: bytes, http_charset: str | None = None) -> Decoded:
    """Bytes of a page to NFC text; a declaration the bytes contradict is overruled with a warning."""
    warnings: list[str] = []
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(bom_codec, errors="replace")
            return _finish(text, bom_codec, warnings)
    label, origin = (http_charset, "HTTP header") if http_charset else (
        declared_in_html(data), "<meta charset>")
    name = codec_name(label)
    if label and name is None:
        warnings.append(f"unknown charset {label!r} declared in {origin}; detected instead")
    if name is None:
        text, found = _detect(data, warnings)
        return _finish(text, found, warnings)
    if name == "utf-8":
        try:
            return _finish(data.decode("utf-8"), "utf-8", warnings)
        except UnicodeDecodeError as exc:
            mostly = _mostly_utf8(data)
            if mostly is not None:
                warnings.append(_utf8_warning(mostly[1]))
                return _finish(mostly[0], "utf-8", warnings)
            return _misdeclared(data, label, origin, exc, warnings)
    if name in _SINGLE_BYTE_WESTERN or name == "cp1258":
        try:
            utf8: str | None = data.decode("utf-8")
        except UnicodeDecodeError:
            mostly = _mostly_utf8(data)
            utf8 = mostly[0] if mostly is not None else None
            if mostly is not None:
                warnings.append(_utf8_warning(mostly[1]))
        if utf8 is not None and not utf8.isascii():
            warnings.append(f"declared charset {label} ({origin}) is wrong: the page is UTF-8")
            return _finish(utf8, "utf-8", warnings)
        if name != "cp1258":
            text, vn = _vn_cp1258(data)
            if vn >= 10:
                warnings.append(
                    f"declared charset {label} ({origin}) is wrong: the page is Windows-1258"
                )
                return _finish(text, "cp1258", warnings)
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        return _misdeclared(data, label, origin, exc, warnings)
    return _finish(text, name, warnings)


def _misdeclared(data: bytes, label: str | None, origin: str, exc: UnicodeDecodeError,
                 warnings: list[str]) -> Decoded:
    """The declared charset cannot decode the bytes: detect instead, and say so."""
    text, found = _detect(data, warnings)
    warnings.append(f"declared charset {label} ({origin}) does not fit the bytes "
                    f"({exc.reason} at byte {exc.start}); decoded as {found}")
    return _finish(text, found, warnings)


def _finish(text: str, charset: str, warnings: list[str]) -> Decoded:
    text, more = normalize_html_text(text)
    return Decoded(text, charset, warnings + more)


class NormalizedText(str):
    """Page text that :func:`normalize_html_text` returned: normalizing it again is a no-op.

    The reader normalizes every page and the page cleaner normalizes whatever text it
    is given; the type tells the cleaner the work (a millisecond a page) is done. Any
    operation on the text gives a plain ``str`` again, so the mark cannot outlive it.
    """

    __slots__ = ()


def normalize_html_text(text: str) -> tuple[str, list[str]]:
    """NFC, then legacy-font Vietnamese converted; returns the text and what was done to it."""
    if isinstance(text, NormalizedText):
        return text, []
    warnings: list[str] = []
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    legacy = detect_legacy(text)
    if legacy is not None:
        text, segments = convert_legacy(text, legacy)
        warnings.append(f"legacy {legacy} Vietnamese text converted to Unicode ({segments} runs)")
    return NormalizedText(text), warnings


# --- TCVN3 (ABC) and VNI -------------------------------------------------------------------
# One row per Unicode letter, in the same order in the three tables.
_UNICODE = ["À", "Á", "Â", "Ã", "È", "É", "Ê", "Ì", "Í", "Ò", "Ó", "Ô", "Õ", "Ù", "Ú", "Ý", "à", "á", "â", "ã", "è", "é", "ê", "ì", "í", "ò", "ó", "ô", "õ", "ù", "ú", "ý", "Ă", "ă", "Đ", "đ", "Ĩ", "ĩ", "Ũ", "ũ", "Ơ", "ơ", "Ư", "ư", "Ạ", "ạ", "Ả", "ả", "Ấ", "ấ", "Ầ", "ầ", "Ẩ", "ẩ", "Ẫ", "ẫ", "Ậ", "ậ", "Ắ", "ắ", "Ằ", "ằ", "Ẳ", "ẳ", "Ẵ", "ẵ", "Ặ", "ặ", "Ẹ", "ẹ", "Ẻ", "ẻ", "Ẽ", "ẽ", "Ế", "ế", "Ề", "ề", "Ể", "ể", "Ễ", "ễ", "Ệ", "ệ", "Ỉ", "ỉ", "Ị", "ị", "Ọ", "ọ", "Ỏ", "ỏ", "Ố", "ố", "Ồ", "ồ", "Ổ", "ổ", "Ỗ", "ỗ", "Ộ", "ộ", "Ớ", "ớ", "Ờ", "ờ", "Ở", "ở", "Ỡ", "ỡ", "Ợ", "ợ", "Ụ", "ụ", "Ủ", "ủ", "Ứ", "ứ", "Ừ", "ừ", "Ử", "ử", "Ữ", "ữ", "Ự", "ự", "Ỳ", "ỳ", "Ỵ", "ỵ", "Ỷ", "ỷ", "Ỹ", "ỹ"]
_TCVN3 = ["Aµ", "A¸", "¢", "A·", "EÌ", "EÐ", "£", "I×", "IÝ", "Oß", "Oã", "¤", "Oâ", "Uï", "Uó", "Yý", "µ", "¸", "©", "·", "Ì", "Ð", "ª", "×", "Ý", "ß", "ã", "«", "â", "ï", "ó", "ý", "¡", "¨", "§", "®", "IÜ", "Ü", "Uò", "ò", "¥", "¬", "¦", "\xad", "A¹", "¹", "A¶", "¶", "¢Ê", "Ê", "¢Ç", "Ç", "¢È", "È", "¢É", "É", "¢Ë", "Ë", "¡¾", "¾", "¡»", "»", "¡¼", "¼", "¡½", "½", "¡Æ", "Æ", "EÑ", "Ñ", "EÎ", "Î", "EÏ", "Ï", "£Õ", "Õ", "£Ò", "Ò", "£Ó", "Ó", "£Ô", "Ô", "£Ö", "Ö", "IØ", "Ø", "IÞ", "Þ", "Oä", "ä", "Oá", "á", "¤è", "è", "¤å", "å", "¤æ", "æ", "¤ç", "ç", "¤é", "é", "¥í", "í", "¥ê", "ê", "¥ë", "ë", "¥ì", "ì", "¥î", "î", "Uô", "ô", "Uñ", "ñ", "¦ø", "ø", "¦õ", "õ", "¦ö", "ö", "¦÷", "÷", "¦ù", "ù", "Yú", "ú", "Yþ", "þ", "Yû", "û", "Yü", "ü"]
_VNI = ["AØ", "AÙ", "AÂ", "AÕ", "EØ", "EÙ", "EÂ", "Ì", "Í", "OØ", "OÙ", "OÂ", "OÕ", "UØ", "UÙ", "YÙ", "aø", "aù", "aâ", "aõ", "eø", "eù", "eâ", "ì", "í", "oø", "où", "oâ", "oõ", "uø", "uù", "yù", "AÊ", "aê", "Ñ", "ñ", "Ó", "ó", "UÕ", "uõ", "Ô", "ô", "Ö", "ö", "AÏ", "aï", "AÛ", "aû", "AÁ", "aá", "AÀ", "aà", "AÅ", "aå", "AÃ", "aã", "AÄ", "aä", "AÉ", "aé", "AÈ", "aè", "AÚ", "aú", "AÜ", "aü", "AË", "aë", "EÏ", "eï", "EÛ", "eû", "EÕ", "eõ", "EÁ", "eá", "EÀ", "eà", "EÅ", "eå", "EÃ", "eã", "EÄ", "eä", "Æ", "æ", "Ò", "ò", "OÏ", "oï", "OÛ", "oû", "OÁ", "oá", "OÀ", "oà", "OÅ", "oå", "OÃ", "oã", "OÄ", "oä", "ÔÙ", "ôù", "ÔØ", "ôø", "ÔÛ", "ôû", "ÔÕ", "ôõ", "ÔÏ", "ôï", "UÏ", "uï", "UÛ", "uû", "ÖÙ", "öù", "ÖØ", "öø", "ÖÛ", "öû", "ÖÕ", "öõ", "ÖÏ", "öï", "YØ", "yø", "Î", "î", "YÛ", "yû", "YÕ", "yõ"]
# Frequent words as each legacy font stores them (của, được, và, các, năm, là, đã, những, một,
# người, với, đến, có, để, tại, Việt, hành, chính, tỉnh, tháng, ngày; none spelt as in Unicode).
_LEGACY_WORDS = {
    "TCVN3": ["cña", "®\xadîc", "vµ", "c¸c", "n¨m", "lµ", "®·", "nh÷ng", "mét", "ng\xadêi", "víi", "®Õn", "cã", "®Ó", "t¹i", "ViÖt", "hµnh", "chÝnh", "tØnh", "th¸ng", "ngµy"],
    "VNI": ["cuûa", "ñöôïc", "vaø", "caùc", "naêm", "laø", "ñaõ", "nhöõng", "moät", "ngöôøi", "vôùi", "ñeán", "coù", "ñeå", "taïi", "Vieät", "haønh", "tænh", "thaùng", "ngaøy"],
}
# Bytes every page in that font is full of (à/á, đ/ư): a cheap test before counting words.
_LEGACY_MARKS = {"TCVN3": ("µ", "¸", "\u00ad"), "VNI": ("ñ", "ö")}
_LEGACY_RUN = {
    name: re.compile("|".join(re.escape(w) for w in words)) for name, words in _LEGACY_WORDS.items()
}
_TEXT_RUN = re.compile(r"(?<=>)[^<]+|^[^<]+")
# The non-ASCII characters of each word: a page (Spanish, German) holding "ñ" or "ö" but
# not the rest of a word is not searched for it.
_LEGACY_CHARS_OF = {w: frozenset(ch for ch in w if not ch.isascii())
                    for words in _LEGACY_WORDS.values() for w in words}
_LEGACY_CHARS = {name: frozenset().union(*(_LEGACY_CHARS_OF[w] for w in words))
                 for name, words in _LEGACY_WORDS.items()}


def _table_regex(table: list[str]) -> tuple[re.Pattern[str], dict[str, str]]:
    mapping = {code: uni for code, uni in zip(table, _UNICODE, strict=True) if code and code != uni}
    keys = sorted(mapping, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))), mapping


_TABLES = {"TCVN3": _table_regex(_TCVN3), "VNI": _table_regex(_VNI)}
assert len(_TCVN3) == len(_VNI) == len(_UNICODE)


def detect_legacy(text: str) -> str | None:
    """"TCVN3" or "VNI" when the page's words are stored in a legacy font encoding."""
    sample = text[:300_000]
    best, best_hits = None, 1
    for name, marks in _LEGACY_MARKS.items():
        if sum(sample.count(m) for m in marks) < 3:
            continue
        present = {ch for ch in _LEGACY_CHARS[name] if ch in sample}  # a word needs all its own
        hits = sum(sample.count(f" {w} ") + sample.count(f">{w} ") for w in _LEGACY_WORDS[name]
                   if _LEGACY_CHARS_OF[w] <= present)
        if hits > best_hits:
            best, best_hits = name, hits
    return best


def convert_legacy(text: str, legacy: str) -> tuple[str, int]:
    """Convert the text runs (between tags) that are written in ``legacy``.

    Runs are judged one by one because portals mix a Unicode menu with an article
    pasted from an old TCVN3 document; converting the Unicode parts too would
    turn "á" into "ọ".
    """
    rx, mapping = _TABLES[legacy]
    words = _LEGACY_RUN[legacy]
    converted = 0

    def run(match: re.Match[str]) -> str:
        nonlocal converted
        chunk = match.group(0)
        plain = _VN_LETTERS.search(chunk) or not words.search(chunk)
        if plain and not (legacy == "TCVN3" and _only_tcvn3_marks(chunk)):
            return chunk
        converted += 1
        return unicodedata.normalize("NFC", rx.sub(lambda m: mapping[m.group(0)], chunk))

    return _TEXT_RUN.sub(run, text), converted


_TCVN3_MARKS = re.compile("[µ¸¶·¹¨©ª«¬®\u00ad]")


def _only_tcvn3_marks(chunk: str) -> bool:
    """A short TCVN3 run without a common word ("Hµ TÜnh") still carries its tone bytes."""
    return len(_TCVN3_MARKS.findall(chunk)) >= 2 and not _VN_LETTERS.search(chunk)
