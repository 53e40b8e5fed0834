"""punkt.split gives underthesea's sentences exactly: on random text, and on the corpora."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsfacts import punkt, segment
from newsfacts.clean import clean_plain_text

ROOT = Path(__file__).resolve().parents[1]
# Characters the splitter decides on, and those its tests look at around them.
PIECES = [".", ".", "..", "...", "....", "?", "!", "?!", " ", " ", "\t", "\n", "\r", "\u2024",
          "1", "2", "a", "b", "A", "Đ", "ư", "Ư", "TP", "Tp", "ThS", "ts", "v.v", "e.g", "Mr",
          "000", "…", "ve…", "x", "ab", "Hà Nội", "tỉnh", "²", "_", "-", "(", ")", ",", "%"]


@pytest.fixture(scope="module")
def original() -> object:
    """underthesea's own splitter object, loaded from its file as segment loads it."""
    import importlib.util

    spec = importlib.util.find_spec("underthesea")
    assert spec is not None
    path = next(Path(f) / segment._SENT_TOKENIZE_FILE for f in spec.submodule_search_locations or [])
    file_spec = importlib.util.spec_from_file_location("_punkt_test_sent_tokenize", path)
    assert file_spec is not None and file_spec.loader is not None
    module = importlib.util.module_from_spec(file_spec)
    file_spec.loader.exec_module(module)
    return module


def test_the_installed_splitter_is_the_one_restated(original: object) -> None:
    assert punkt.fast_splitter(original) is not None
    assert segment._splitter().__module__ == punkt.__name__


def test_random_text_splits_the_same(original: object) -> None:
    fast = punkt.fast_splitter(original)
    assert fast is not None
    rng = random.Random(17)
    for _ in range(20000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30)))
        assert fast(text) == original.sent_tokenize(text), repr(text)  # type: ignore[attr-defined]


def test_corpus_paragraphs_split_the_same(original: object) -> None:
    fast = punkt.fast_splitter(original)
    assert fast is not None
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").rglob("*.txt"))]
    assert texts
    for text in texts:
        for paragraph in clean_plain_text(text).text.split("\n\n"):
            for variant in (paragraph, segment._mask(paragraph)):
                assert fast(variant) == original.sent_tokenize(variant)  # type: ignore[attr-defined]


def test_another_version_runs_its_own_splitter(original: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(punkt, "KNOWN_SOURCE", "another")
    assert punkt.fast_splitter(original) is None
