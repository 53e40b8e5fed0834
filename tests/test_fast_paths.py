"""Start-up short cuts give exactly what the plain paths give, and fall back when they cannot."""

from __future__ import annotations

import gc
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import regex

from newsfacts import segment
from newsfacts.gcutil import gc_paused
from newsfacts.lexicons import GAP_DEFINITIONS, Lexicons, load_lexicons

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "(Baohatinh.vn) - Theo TP. Hà Tĩnh, ThS. Nguyễn Văn A, Sở KH&CN đạt 93,364/98 điểm. "
    "Kinh phí 1.000.000 đồng tại Q. 1 được giải ngân... Vì sao? Đúng vậy!",
    "Năm 2023, Sở Tài nguyên - Môi trường tỉnh Hà Tĩnh và Sở KH & CN TP.HCM xếp thứ 2. "
    "Bộ Văn hóa, Thể thao và Du lịch đạt 88,5 điểm Chỉ số cải cách hành chính (PAR Index).",
    "Chỉ số PCI 2022 của Tp. Hà Nội; Chỉ số hài lòng SIPAS tăng. e.g. Mr. Smith đến.",
]


# --------------------------------------------------------------------------- sentence splitter
def test_direct_sentence_splitter_is_underthesea_s() -> None:
    from underthesea import sent_tokenize

    direct = segment._load_sent_tokenize_direct()
    assert direct is not None and direct is not sent_tokenize
    for text in TEXTS:
        assert direct(text) == sent_tokenize(text)


def test_splitting_does_not_import_underthesea() -> None:
    code = ("import sys; from newsfacts.segment import split_sentences; "
            "split_sentences('Câu một. Câu hai.'); print('underthesea' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_splitter_falls_back_to_the_package_when_the_file_is_not_there(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from underthesea import sent_tokenize

    monkeypatch.setattr(segment, "_SENT_TOKENIZE_FILE", Path("no", "such", "file.py"))
    assert segment._load_sent_tokenize_direct() is None
    segment._splitter.cache_clear()
    try:
        assert segment._splitter() is sent_tokenize
        assert [s.text for s in segment.split_sentences("Một. Hai.")] == ["Một.", "Hai."]
    finally:
        segment._splitter.cache_clear()


def test_splitter_falls_back_when_the_file_does_not_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kw: object) -> None:
        raise ImportError("simulated")

    monkeypatch.setattr(importlib.util, "spec_from_file_location", broken)
    assert segment._load_sent_tokenize_direct() is None


# --------------------------------------------------------------------------- lexicon patterns
@pytest.fixture(scope="module")
def lex() -> Lexicons:
    return load_lexicons(ROOT / "rules" / "lexicons")


def _spans(pattern: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in regex.finditer(pattern, text, flags=regex.IGNORECASE | regex.VERSION1)]


def test_patterns_calling_their_gaps_match_what_the_written_out_ones_match(lex: Lexicons) -> None:
    forms = [f for p in lex.provinces for f in (p.name, *p.forms)]
    forms += [f for m in lex.ministries for f in (m.name, *m.forms)]
    forms += [f for d in lex.departments for f in d.forms]
    forms += [f for i in lex.indexes for f in (i.name, *i.names)]
    text = "; ".join(forms) + " | " + " ".join(TEXTS) + " sở kh-cn, TP HCM, tài nguyên và môi trường"
    for name in ("province", "ministry", "department", "index"):
        written, called = (getattr(lex, f"{name}_pattern")(refs=r) for r in (False, True))
        assert "(?&lexgap" in called and "(?&lexgap" not in written
        assert _spans(called + GAP_DEFINITIONS, text) == _spans(written, text), name


def test_entity_pattern_finds_what_one_with_every_form_written_out_finds(
        lex: Lexicons, resources) -> None:  # type: ignore[no-untyped-def]
    """Resources.vocab calls the gaps and, for a department's province, the province group."""
    from newsfacts.entities import _anchored

    v = resources.vocab
    called = v.entity.pattern
    written = called.replace(lex.department_pattern(refs=True), lex.department_pattern())
    written = written.replace(lex.ministry_pattern(refs=True), lex.ministry_pattern())
    written = written.replace(lex.province_pattern(refs=True), lex.province_pattern())
    written = written.replace("(?&prov)", lex.province_pattern())
    assert written.endswith(GAP_DEFINITIONS) and "(?&" not in written
    plain = regex.compile(written[: -len(GAP_DEFINITIONS)], regex.IGNORECASE | regex.VERSION1)
    texts = [*TEXTS, *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt")))]
    for text in texts:
        got = [(m.span(), {k: x for k, x in m.groupdict().items() if x}) for m in _anchored(v.entity, v.starts, text)]
        want = [(m.span(), {k: x for k, x in m.groupdict().items() if x}) for m in _anchored(plain, v.starts, text)]
        assert got == want


def test_entity_starts_are_where_the_start_pattern_matches(resources) -> None:  # type: ignore[no-untyped-def]
    """The start finder's positions (a capital, or a word found in the lower-cased text) are
    those of the one case-insensitive start pattern, on the seeds, the spec texts and edges."""
    from spec_corpus import load_cases

    from newsfacts.wordstarts import StartFinder

    starts = resources.vocab.starts
    assert isinstance(starts, StartFinder), "the lexicons' first words are plain lower-case words"
    texts = [*TEXTS, *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))),
             *(c.text for c in load_cases()), "tỉnh", "xtỉnh tỉnhx 3tỉnh tỉnh3 _tỉnh TỈNH Tỉnh-Bộ", "İstanbul tỉnh"]
    for text in texts:
        assert starts.positions(text) == [m.start() for m in starts.pattern.finditer(text)], text


def test_gc_paused_restores_the_collector_as_it_was() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
