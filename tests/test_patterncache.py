"""Compiled patterns kept between runs: they save start-up and never change a match."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import regex
from conftest import CORPUS, ROOT

from newsfacts import patterncache
from newsfacts.patterncache import PatternCache

PATTERNS = [
    (r"(?P<x>tỉnh|thành phố) (\p{Lu}\w+)(?(DEFINE)(?P<g>a|b))", regex.IGNORECASE | regex.VERSION0),
    (r"xếp (?:thứ|hạng) (\d+)(?:/(\d+))?", regex.IGNORECASE),
    (r"(?<![\p{L}])(?:Sở|sở) (?&w)(?(DEFINE)(?P<w>[\p{Lu}Đ][\p{Ll}]+))", regex.VERSION0),
]
TEXTS = ["Tỉnh Hà Tĩnh xếp thứ 5/63", "thành phố Huế XẾP HẠNG 12", "Sở Tư pháp và sở Nội vụ", ""]


def _matches(compiled: regex.Pattern[str]) -> list[object]:
    return [(m.span(), m.groups(), m.groupdict())
            for t in TEXTS for m in compiled.finditer(t, overlapped=True)]


def test_a_stored_program_matches_as_the_compiled_pattern_does(tmp_path: Path) -> None:
    path = tmp_path / "patterns.bin"
    first = PatternCache(path)
    fresh = [first.compile(p, f) for p, f in PATTERNS]
    assert first.added == len(PATTERNS)
    first.save()
    again = PatternCache(path)
    stored = [again.compile(p, f) for p, f in PATTERNS]
    assert again.hits == len(PATTERNS) and again.added == 0
    for a, b in zip(fresh, stored, strict=True):
        assert (b.pattern, b.flags, b.groupindex) == (a.pattern, a.flags, a.groupindex)
        assert _matches(b) == _matches(a)


def test_a_damaged_or_foreign_file_means_compiling_as_usual(tmp_path: Path) -> None:
    path = tmp_path / "patterns.bin"
    cache = PatternCache(path)
    cache.compile(*PATTERNS[0])
    cache.save()
    path.write_bytes(path.read_bytes()[:-10])  # cut short: the checksum no longer fits
    cut = PatternCache(path)
    assert cut.entries == {} and _matches(cut.compile(*PATTERNS[0])) == _matches(
        regex.compile(*PATTERNS[0]))
    odd = PatternCache(tmp_path / "other.bin")
    odd.entries[(PATTERNS[1][0], int(PATTERNS[1][1]))] = ("not", "a", "program")
    assert odd.compile(*PATTERNS[1]).search("xếp thứ 3/63").groups() == ("3", "63")


def test_off_or_unwritable_means_no_file_and_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFACTS_CACHE_DIR", "off")
    assert patterncache.cache_file() is None
    monkeypatch.delenv("NEWSFACTS_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert patterncache.cache_file() is None
    PatternCache(None).save()
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    cache = PatternCache(blocked / "patterns.bin")
    cache.compile(*PATTERNS[2])
    cache.save()  # the folder cannot be made: nothing written, nothing raised
    assert blocked.read_text() == "not a folder"


def test_a_run_with_stored_programs_writes_what_a_run_without_writes(tmp_path: Path) -> None:
    env_cache = tmp_path / "cache"
    outs = []
    for run in range(2):
        out = tmp_path / f"out{run}.jsonl"
        subprocess.run([sys.executable, "-c", "from newsfacts.cli import app; app()", "extract",
                        str(CORPUS), "-o", str(out), "--quiet", "--jobs", "1"], check=True, cwd=ROOT,
                       env={**__import__("os").environ, "NEWSFACTS_CACHE_DIR": str(env_cache)})
        outs.append(out.read_bytes())
        assert list(env_cache.glob("patterns-*.bin"))  # written by the first run, read by the second
    assert outs[0] == outs[1] and outs[0]
