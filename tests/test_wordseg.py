"""The word segmenter imported without underthesea's __init__ is underthesea's own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["Cục Hàng hải Việt Nam thông tin", "Sở KH&CN tỉnh Hà Tĩnh", "Ủy ban An toàn giao thông quốc gia",
         "Tổng cục Tiêu chuẩn - Đo lường - Chất lượng", "Trung tâm Phục vụ hành chính công TP. Đà Nẵng",
         "Hiệp hội DN nhỏ và vừa", "Viện Huyết học - Truyền máu TƯ cần", "Chi cục Thuế khu vực 2"]


def _run(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stdout.split("\n")


def test_segmenting_a_name_leaves_the_package_unimported() -> None:
    lines = _run("import sys; from newsfacts.wordseg import segment; "
                 "print(segment('Cục Hàng hải Việt Nam cho biết')); print('underthesea' in sys.modules)")
    assert lines[0].startswith("('Cục', 'Hàng hải', 'Việt Nam'") and lines[1] == "False"


def test_the_words_are_those_of_underthesea_s_word_tokenize() -> None:
    """Loaded first the light way, then the package as usual: one function, one model,
    and the same words as a process that only ever imported the package."""
    names = repr(NAMES)
    light = _run("from newsfacts.wordseg import segment, _word_tokenize; import underthesea; "
                 f"print([list(segment(n)) for n in {names}]); "
                 "print(underthesea.word_tokenize is _word_tokenize())")
    plain = _run(f"from underthesea import word_tokenize; print([word_tokenize(n) for n in {names}])")
    assert light[0] == plain[0] and light[1] == "True"
