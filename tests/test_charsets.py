"""Charsets: declared, wrong, Windows-1258, decomposed, legacy TCVN3/VNI, binary."""

from __future__ import annotations

import codecs
import pickle
import unicodedata

import pytest

from newsfacts.charsets import (
    NormalizedText,
    binary_kind,
    decode_html,
    detect_legacy,
    normalize_html_text,
)

VN = "Sở Khoa học và Công nghệ Hà Tĩnh đạt 93,364 điểm, được xếp thứ nhất của tỉnh năm 2023."


def encode_1258(text: str) -> bytes:
    """Windows-1258 stores tones as combining marks after a (possibly modified) base letter."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + tones).encode("cp1258")
    return out


def test_utf8_declared_and_right() -> None:
    got = decode_html(f'<meta charset="utf-8"><p>{VN}</p>'.encode())
    assert VN in got.text and got.charset == "utf-8" and got.warnings == []


def test_windows_1258_page_becomes_nfc() -> None:
    page = encode_1258(f'<meta http-equiv="Content-Type" content="text/html; charset=windows-1258"><p>{VN}</p>')
    got = decode_html(page)
    assert VN in got.text and got.charset == "cp1258"
    assert unicodedata.is_normalized("NFC", got.text)


def test_wrong_declared_utf8_is_detected_and_warned() -> None:
    got = decode_html(encode_1258(f'<meta charset="utf-8"><p>{VN}</p>'))
    assert VN in got.text
    assert got.warnings and "does not fit" in got.warnings[0]


def test_latin1_declared_but_utf8_bytes() -> None:
    got = decode_html(f'<meta charset="iso-8859-1"><p>{VN}</p>'.encode())
    assert VN in got.text and "is wrong" in got.warnings[0]


def test_http_header_beats_meta_and_bom_beats_both() -> None:
    page = f'<meta charset="iso-8859-1"><p>{VN}</p>'.encode()
    assert VN in decode_html(page, http_charset="utf-8").text
    utf16 = codecs.BOM_UTF16_LE + f"<p>{VN}</p>".encode("utf-16-le")
    assert VN in decode_html(utf16, http_charset="iso-8859-1").text


def test_unknown_declared_charset_is_warned() -> None:
    got = decode_html(f'<meta charset="x-viet-abc"><p>{VN}</p>'.encode())
    assert VN in got.text and "unknown charset" in got.warnings[0]


def test_decomposed_unicode_is_composed() -> None:
    text, _ = normalize_html_text(unicodedata.normalize("NFD", VN))
    assert text == VN


def test_normalized_page_is_not_normalized_again() -> None:
    page = decode_html(f"<p>{unicodedata.normalize('NFD', VN)}</p>".encode()).text
    assert isinstance(page, NormalizedText) and VN in page
    again, warnings = normalize_html_text(page)
    assert again is page and warnings == []
    assert type(pickle.loads(pickle.dumps(page))) is type(page)  # the mark survives a worker hop
    assert type(page[3:]) is str  # and any change to the text drops it


def _legacy(table: list[str]) -> str:
    from newsfacts import charsets

    reverse = {u: code for code, u in zip(table, charsets._UNICODE, strict=False)}
    return "".join(reverse.get(ch, ch) for ch in VN)


@pytest.mark.parametrize("name", ["TCVN3", "VNI"])
def test_legacy_font_text_is_converted(name: str) -> None:
    from newsfacts import charsets

    legacy = _legacy(charsets._TCVN3 if name == "TCVN3" else charsets._VNI)
    page = f"<p>Trang chủ – Liên hệ</p><p>{legacy}</p><p>{legacy}</p>"
    assert detect_legacy(page) == name
    text, warnings = normalize_html_text(page)
    assert VN in text and "Trang chủ – Liên hệ" in text
    assert name in warnings[0]


def test_ordinary_pages_are_not_legacy() -> None:
    assert detect_legacy(f"<p>{VN}</p>") is None
    assert detect_legacy("<p>Mañana señor, niño ñandú ö ô</p>") is None


@pytest.mark.parametrize(("data", "kind"), [
    (b"%PDF-1.4 ...", "PDF"), (b"\x89PNG\r\n\x1a\n....", "PNG image"),
    (b"\x00\x01\x02binary\x00", "binary data (NUL bytes)"), (b"<html><body>ok</body></html>", None),
    (b"ab\x01\x1b" * 100, "binary data (control bytes)"), (b"<p>\t\n\r\x0b\x0c</p>" * 100, None),
])
def test_binary_kind(data: bytes, kind: str | None) -> None:
    assert binary_kind(data) == kind
