"""Lexicons: the data is complete and consistent, and every written form finds its entry."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
import regex

from newsfacts.clean import normalize_tones
from newsfacts.lexicons import INDEX_CODES, LexiconError, Lexicons, load_lexicons

LEXICON_DIR = Path(__file__).resolve().parents[1] / "rules" / "lexicons"
FILES = ("provinces.yaml", "ministries.yaml", "departments.yaml", "indexes.yaml")

# Resolution 202/2025/QH15: the post-2025 unit -> the pre-2025 units merged into it.
MERGERS = {
    "VN-07": {"VN-03"}, "VN-02": {"VN-06"}, "VN-69": {"VN-53"}, "VN-68": {"VN-70", "VN-14"},
    "VN-56": {"VN-54"}, "VN-66": {"VN-20"}, "VN-HP": {"VN-61"}, "VN-18": {"VN-63", "VN-67"},
    "VN-25": {"VN-24"}, "VN-DN": {"VN-27"}, "VN-29": {"VN-28"}, "VN-30": {"VN-31"},
    "VN-34": {"VN-36"}, "VN-35": {"VN-72", "VN-40"}, "VN-33": {"VN-32"},
    "VN-SG": {"VN-57", "VN-43"}, "VN-39": {"VN-58"}, "VN-37": {"VN-41"},
    "VN-CT": {"VN-52", "VN-73"}, "VN-49": {"VN-50", "VN-51"}, "VN-45": {"VN-46"},
    "VN-59": {"VN-55"}, "VN-44": {"VN-47"},
}
UNCHANGED = {"VN-HN", "VN-26", "VN-01", "VN-71", "VN-05", "VN-09", "VN-13", "VN-21", "VN-22",
             "VN-23", "VN-04"}


@pytest.fixture(scope="module")
def lex() -> Lexicons:
    return load_lexicons(LEXICON_DIR)


def _ids(entries) -> list[str]:
    return [e.id for e in entries]


# ----------------------------------------------------------------------------- the data
@pytest.mark.parametrize("name", FILES)
def test_files_are_nfc_with_modern_tone_placement(name):
    text = (LEXICON_DIR / name).read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text
    assert normalize_tones(text) == text  # "hòa", "thủy", "khỏe", not "hoà", "thuỷ", "khoẻ"


def test_province_counts(lex):
    pre, post = lex.provinces_in("pre2025"), lex.provinces_in("post2025")
    assert len(pre) == 63 and len(post) == 34
    assert len(set(_ids(lex.provinces))) == len(lex.provinces) == 63
    assert sum(p.type == "thành phố" for p in pre) == 6  # Huế since 1 January 2025
    assert sum(p.type == "thành phố" for p in post) == 6
    assert all(p.id.startswith("VN-") for p in lex.provinces)


def test_province_mergers(lex):
    absorbed: dict[str, set[str]] = {}
    for p in lex.provinces:
        if p.merged_into:
            absorbed.setdefault(p.merged_into, set()).add(p.id)
    assert absorbed == MERGERS
    survivors = {p.id for p in lex.provinces_in("post2025")}
    assert survivors == set(MERGERS) | UNCHANGED
    assert lex.province_by_id("VN-57").current_id == "VN-SG"


def test_ministry_counts(lex):
    def count(era: str, kind: str) -> int:
        return sum(era in m.era and m.kind == kind for m in lex.ministries)

    assert (count("pre2025", "ministry"), count("pre2025", "agency")) == (18, 4)
    assert (count("post2025", "ministry"), count("post2025", "agency")) == (14, 3)
    assert len(set(_ids(lex.ministries))) == len(lex.ministries)
    merged = {m.id: m.merged_into for m in lex.ministries if m.merged_into}
    assert merged["MPI"] == "MOF" and merged["MIC"] == "MOST" and merged["MOT"] == "MOC"
    assert merged["MONRE"] == merged["MARD"] == "MAE" and merged["CEMA"] == "MERA"


def test_departments_and_indexes_are_consistent(lex):
    assert len(set(_ids(lex.departments))) == len(lex.departments)
    known = {m.id for m in lex.ministries}
    assert all(d.ministry in known for d in lex.departments if d.ministry)
    assert {i.code for i in lex.indexes} == set(INDEX_CODES)
    assert len(set(_ids(lex.indexes))) == len(lex.indexes)


# --------------------------------------------------------------------- forms round-trip
def _all_forms(lex: Lexicons):
    for p in lex.provinces:
        yield "province", p, (p.name, *p.forms, *p.cased_forms)
    for m in lex.ministries:
        yield "ministry", m, (m.name, *m.forms)
    for d in lex.departments:
        yield "department", d, d.forms
    for i in lex.indexes:
        yield "index", i, (i.name, *i.names)


def test_every_form_resolves_to_its_own_entry(lex):
    lookup = {"province": lex.province_of, "ministry": lex.ministry_of,
              "department": lex.department_of, "index": lex.index_of}
    pattern = {"province": lex.province_pattern(), "ministry": lex.ministry_pattern(),
               "department": lex.department_pattern(), "index": lex.index_pattern()}
    for kind, entry, forms in _all_forms(lex):
        for form in forms:
            assert lookup[kind](form) is entry, (kind, form)
            assert regex.fullmatch(pattern[kind], form), (kind, form)
            found = regex.search(pattern[kind], f"Theo {form}, năm 2023")
            assert found and found.group() == form, (kind, form)


def test_every_component_form_resolves(lex):
    for index in lex.indexes:
        for comp in index.components:
            for form in (comp.name, *comp.forms):
                assert lex.component_of(form, index.code) == comp.name, (index.code, form)
                assert regex.fullmatch(lex.component_pattern(index.code), form), form


# ---------------------------------------------------------------------------- lookups
@pytest.mark.parametrize("surface, expected", [
    ("TP.HCM", "VN-SG"), ("TP HCM", "VN-SG"), ("TPHCM", "VN-SG"), ("Tp. Hồ Chí Minh", "VN-SG"),
    ("Thừa Thiên Huế", "VN-26"), ("Thừa Thiên - Huế", "VN-26"), ("TT-Huế", "VN-26"),
    ("TP. Hà Nội", "VN-HN"), ("Tp Hà Nội", "VN-HN"), ("thành phố Hà Nội", "VN-HN"),
    ("Bà Rịa – Vũng Tàu", "VN-43"), ("BR-VT", "VN-43"), ("tỉnh Hoà Bình", "VN-14"),
    ("Đăk Lăk", "VN-33"), ("Sở KH&CN Hà Tĩnh", "VN-23"),
])
def test_province_of(lex, surface, expected):
    assert lex.province_of(surface).id == expected


@pytest.mark.parametrize("surface, expected", [
    ("Bộ KH&ĐT", "MPI"), ("Bộ KH-ĐT", "MPI"), ("Bộ KHĐT", "MPI"), ("Bộ Kế hoạch - Đầu tư", "MPI"),
    ("Bộ TT&TT", "MIC"), ("Bộ GD&ĐT", "MOET"), ("Bộ GD – ĐT", "MOET"), ("Bộ LĐ-TB&XH", "MOLISA"),
    ("Bộ NN&PTNT", "MARD"), ("Bộ TN&MT", "MONRE"), ("Bộ KH&CN", "MOST"), ("Bộ VH-TT&DL", "MOCST"),
    ("Bộ Văn hóa - Thể thao và Du lịch", "MOCST"), ("NHNN", "SBV"), ("Ngân hàng Nhà nước", "SBV"),
    ("Bộ Dân tộc và Tôn giáo", "MERA"), ("VCCI", "VCCI"),
])
def test_ministry_of(lex, surface, expected):
    assert lex.ministry_of(surface).id == expected


@pytest.mark.parametrize("surface, expected", [
    ("Chỉ số CCHC", "PAR_INDEX"), ("PAR INDEX", "PAR_INDEX"), ("PAR-Index", "PAR_INDEX"),
    ("PAR - index", "PAR_INDEX"), ("chỉ số cải cách hành chính cấp tỉnh", "PAR_INDEX"),
    ("năng lực cạnh tranh cấp tỉnh (PCI)", "PCI"), ("PCI", "PCI"),
    ("chỉ số năng lực cạnh tranh cấp sở, ngành và địa phương", "DDCI"),
    ("Chỉ số hài lòng về sự phục vụ hành chính", "SIPAS"), ("SIPAS", "SIPAS"),
    ("chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI)", "PAPI"),
    ("Chỉ số chuyển đổi số cấp tỉnh", "DTI"), ("Vietnam ICT Index", "ICT_INDEX"),
    ("Bộ chỉ số phục vụ người dân, doanh nghiệp", "SERVICE_INDEX"),
    ("chỉ số môi trường kinh doanh", "OTHER"), ("Global Innovation Index", "OTHER"),
    ("chỉ số tăng trưởng", None),
])
def test_index_code(lex, surface, expected):
    assert lex.index_code(surface) == expected


@pytest.mark.parametrize("surface, expected", [
    ("Sở KH&CN", "DOST"), ("Sở KH & CN", "DOST"), ("Sở KH-CN", "DOST"), ("Sở KHCN", "DOST"),
    ("Sở Khoa học và công nghệ", "DOST"), ("Sở GD – ĐT", "DOET"), ("Sở TN-MT", "DONRE"),
    ("Sở Tài nguyên - Môi trường", "DONRE"), ("Sở Văn hóa, Thể thao và Du lịch", "DCST"),
    ("Sở VH&TT", "DCS"), ("Sở LĐ-TB&XH", "DOLISA"), ("Sở Nông nghiệp và Môi trường", "DAE"),
    ("UBND tỉnh", "PPC"), ("Ủy ban nhân dân huyện", "DPC"), ("HĐND tỉnh", "P_COUNCIL"),
    ("Trung tâm Phục vụ hành chính công", "PSAC"), ("Bộ phận một cửa", "ONE_STOP"),
])
def test_department_of(lex, surface, expected):
    assert lex.department_of(surface).id == expected


def test_component_of(lex):
    assert lex.component_of("cải cách TTHC", "PAR_INDEX") == "cải cách thủ tục hành chính"
    assert lex.component_of("Chi phí không chính thức", "PCI") == "chi phí không chính thức"
    assert lex.component_of("chi phí không chính thức", "PAR_INDEX") is None
    assert lex.component_of("cải cách TTHC", "NOT_A_CODE") is None


# ---------------------------------------------------------------- patterns in running text
def _found(pattern: str, text: str) -> list[str]:
    return [m.group() for m in regex.finditer(pattern, text)]


def test_patterns_take_the_longest_form(lex):
    text = "Chỉ số năng lực cạnh tranh cấp sở, ngành và địa phương (DDCI) năm 2023"
    assert _found(lex.index_pattern(), text) == [
        "Chỉ số năng lực cạnh tranh cấp sở, ngành và địa phương", "DDCI"]
    assert _found(lex.department_pattern(), "Sở Văn hóa, Thể thao và Du lịch tỉnh") == [
        "Sở Văn hóa, Thể thao và Du lịch"]


def test_patterns_in_sentences(lex):
    text = "Sở KH&CN Hà Tĩnh đạt 93,364/98 điểm, xếp thứ nhất Chỉ số CCHC (PAR Index) năm 2023."
    assert _found(lex.department_pattern(), text) == ["Sở KH&CN"]
    assert _found(lex.province_pattern(), text) == ["Hà Tĩnh"]
    assert _found(lex.index_pattern(), text) == ["Chỉ số CCHC", "PAR Index"]
    assert _found(lex.province_pattern(), "TP.HCM và Tp. Hà Nội") == ["TP.HCM", "Tp. Hà Nội"]


@pytest.mark.parametrize("text", ["Sở KH VÀ CN", "SỞ KH & CN", "Sở KH\u00a0-\u00a0CN",
                                  "Sở Tài nguyên\u202fvà\u202fMôi trường"])
def test_gaps_take_any_space_and_a_conjunction_in_any_case(lex, text):
    assert _found(lex.department_pattern(), f"{text} tỉnh") == [text]


def test_patterns_leave_ordinary_words(lex):
    assert _found(lex.province_pattern(), "vì hòa bình, cao bằng người lớn, hải dương học") == []
    assert _found(lex.province_pattern(), "tỉnh Hòa Bình") == ["tỉnh Hòa Bình"]
    assert _found(lex.ministry_pattern(), "cầm mic, most of, các bộ, tài chính công") == []
    assert _found(lex.index_pattern(), "pci-e, papi") == []
    assert _found(lex.province_pattern(), "Hà Nộii, AnGiang2") == []


# ------------------------------------------------------------------------------ loading
@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "lexicons"
    shutil.copytree(LEXICON_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_env_var_overrides_root(copy, monkeypatch):
    from newsfacts.resources import load_resources

    for part in ("sites", "blocks.yaml", "score.yaml"):
        source = LEXICON_DIR.parent / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, copy.parent / part)
    _edit(copy / "indexes.yaml", "    - PAR-Index\n", "    - PAR-Index\n    - Chỉ số thử nghiệm\n")
    monkeypatch.setenv("NEWSFACTS_RULES", str(copy.parent))
    assert load_resources(check=False).lexicons.index_code("chỉ số thử nghiệm") == "PAR_INDEX"


def test_error_names_file_and_entry(copy):
    _edit(copy / "provinces.yaml", "  type: thành phố\n", "  type: đặc khu\n")
    with pytest.raises(LexiconError, match=r"provinces\.yaml: entry 1 \(VN-HN\): 'type'"):
        load_lexicons(copy)


def test_error_on_a_form_of_two_entries(copy):
    _edit(copy / "ministries.yaml", "[Bộ Nội vụ, BNV,", "[Bộ Nội vụ, Bộ Tư pháp, BNV,")
    with pytest.raises(LexiconError, match=r"'Bộ Tư pháp' of MO(HA|J) also names MO(HA|J)"):
        load_lexicons(copy)


def test_error_on_unknown_field_and_bad_merge(copy):
    _edit(copy / "departments.yaml", "  head: Sở\n", "  heed: Sở\n")
    with pytest.raises(LexiconError, match=r"departments\.yaml: entry 1 \(DOHA\): unknown field"):
        load_lexicons(copy)
    shutil.copy(LEXICON_DIR / "departments.yaml", copy / "departments.yaml")
    _edit(copy / "provinces.yaml", "merged_into: VN-07", "merged_into: VN-03")
    with pytest.raises(LexiconError, match=r"provinces\.yaml: entry \d+ \(VN-03\): merged_into"):
        load_lexicons(copy)


def test_error_on_missing_file(tmp_path):
    with pytest.raises(LexiconError, match=r"ministries\.yaml"):
        load_lexicons(tmp_path)
