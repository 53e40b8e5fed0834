"""Canonical subjects (newsfacts.panel.subjects, rules/lexicons/subjects.yaml): one stable
id per unit however it is written, the article's province for what lacks one, and the
2025 map."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from panel_helpers import ROOT, fact, panel, record, row, write_records

from newsfacts.entities import COUNTRIES, GROUPS
from newsfacts.errors import LexiconError
from newsfacts.panel import SubjectResolver
from newsfacts.resources import load_resources


@pytest.fixture(scope="module")
def resolver() -> SubjectResolver:
    return SubjectResolver.load(ROOT / "rules")


SAME_UNIT = [
    ("VN-SG", [("TP.HCM", "VN-SG"), ("Thành phố Hồ Chí Minh", "VN-SG"), ("TP HCM", None),
               ("thành phố Hồ Chí Minh", None), ("UBND TP.HCM", "PC:VN-SG")]),
    ("DOST:VN-23", [("Sở KH&CN Hà Tĩnh", "DOST:VN-23"), ("Sở Khoa học và Công nghệ tỉnh Hà Tĩnh", None),
                    ("Sở KH-CN Hà Tĩnh", None), ("Sở Khoa học và Công nghệ (KH&CN) Hà Tĩnh", None)]),
    ("VN-13", [("tỉnh Quảng Ninh", "VN-13"), ("Quảng Ninh", None), ("UBND tỉnh Quảng Ninh", "PPC:VN-13")]),
    ("MOHA", [("Bộ Nội vụ", "MOHA"), ("Bộ Nội vụ", None)]),
    ("TAX:VN-23", [("Cục Thuế tỉnh Hà Tĩnh", "TAX"), ("Cục Thuế tỉnh Hà Tĩnh", None)]),
    ("AGG-PROVINCES", [("63 tỉnh, thành phố", None), ("các tỉnh, thành phố trực thuộc Trung ương", None),
                       ("34 tỉnh, thành", None), ("UBND cấp tỉnh", "PPC")]),
    ("AGG-MINISTRIES", [("19 bộ, cơ quan ngang bộ", None), ("các bộ, ngành", None)]),
    ("VN", [("toàn quốc", None), ("cả nước", None), ("Việt Nam", None)]),
    ("US", [("Mỹ", None), ("Hoa Kỳ", None)]),
    ("REGION-SE", [("vùng Đông Nam Bộ", None), ("Đông Nam Bộ", None)]),
    ("H-YEN-THE:VN-54", [("huyện Yên Thế, tỉnh Bắc Giang", None), ("huyện Yên Thế tỉnh Bắc Giang", None)]),
]


@pytest.mark.parametrize(("expected", "forms"), SAME_UNIT, ids=[s[0] for s in SAME_UNIT])
def test_every_written_form_of_a_unit_has_its_one_id(resolver: SubjectResolver, expected: str,
                                                      forms: list[tuple[str, str | None]]) -> None:
    for subject, sid in forms:
        for linked in (True, False):  # from the linker (an id or null), or from another tool
            got = resolver.resolve(subject, sid, linked=linked and sid is not None)
            assert got is not None and got.id == expected, (subject, sid, got)


def test_kinds_and_names(resolver: SubjectResolver) -> None:
    def of(subject: str, sid: str | None = None):
        got = resolver.resolve(subject, sid)
        assert got is not None
        return got.kind, got.name

    assert of("TP.HCM", "VN-SG") == ("province", "Thành phố Hồ Chí Minh")
    assert of("Sở KH&CN Hà Tĩnh") == ("department", "Sở Khoa học và Công nghệ Hà Tĩnh")
    assert of("các tỉnh, thành phố") == ("aggregate", "các tỉnh, thành phố trực thuộc Trung ương")
    assert of("Hoa Kỳ")[0] == "country" and of("Bộ Y tế")[0] == "ministry"
    assert of("thị xã Kỳ Anh") == ("district", "thị xã Kỳ Anh")
    assert resolver.resolve("nền kinh tế", None).id == "TEXT-NEN-KINH-TE"
    assert resolver.resolve(None, None) is None


def test_every_country_the_linker_names_has_a_code(resolver: SubjectResolver) -> None:
    for name in set(COUNTRIES) - set(GROUPS):
        got = resolver.resolve(name, None, linked=True)
        assert got is not None and got.kind == "country" and len(got.id) == 2, name
    assert {resolver.resolve(g, None).id for g in GROUPS} == {"AGG-COUNTRIES"}


def test_what_lacks_a_province_takes_the_article_s_one(tmp_path: Path) -> None:
    src = write_records(tmp_path / "facts.jsonl", [
        record("ht", [fact("score", "tỉnh Hà Tĩnh", "VN-23", value=88.0),
                      fact("score", "Sở Tư pháp", "DOJ", value=91.0),
                      fact("score", "khối sở, ban, ngành", None, value=85.0),
                      fact("score", "UBND huyện Kỳ Anh", "DPC", value=80.0),
                      fact("score", "toàn tỉnh", None, year=2021, value=87.0)]),
        record("two", [fact("score", "tỉnh Hà Tĩnh", "VN-23", year=2020, value=86.0),
                       fact("score", "tỉnh Nghệ An", "VN-22", year=2020, value=85.0),
                       fact("score", "Sở Tư pháp", "DOJ", year=2020, value=90.0)])])
    rows, _ = panel(tmp_path, src)
    assert row(rows, "DOJ:VN-23", 2022)["subject"] == "Sở Tư pháp Hà Tĩnh"
    assert row(rows, "AGG-DEPARTMENTS:VN-23", 2022)["subject"] == "các sở, ban, ngành (Hà Tĩnh)"
    assert row(rows, "H-KY-ANH:VN-23", 2022)["subject_kind"] == "district"
    assert row(rows, "VN-23", 2021)["value"] == 87.0  # "toàn tỉnh" is the province itself
    # two provinces in the article: the department stays unplaced
    assert row(rows, "DOJ", 2020)["subject_kind"] == "department"


def test_the_2025_map_turns_63_units_into_34(resolver: SubjectResolver) -> None:
    provinces = resolver.lex.provinces
    assert len(provinces) == 63
    mapped = {p.id: resolver.mapped(resolver.resolve(p.name, p.id))[0].id for p in provinces}
    assert len(set(mapped.values())) == 34
    assert mapped["VN-24"] == "VN-25" and mapped["VN-57"] == mapped["VN-43"] == "VN-SG"
    assert all(mapped[p.id] == p.id for p in provinces if "post2025" in p.era)
    dept, was = resolver.mapped(resolver.resolve("Sở Kế hoạch và Đầu tư tỉnh Hà Giang", None))
    assert (dept.id, dept.name, was) == ("DOF:VN-07", "Sở Tài chính Tuyên Quang", "DPI:VN-03")
    ministry, was = resolver.mapped(resolver.resolve("Bộ Kế hoạch và Đầu tư", "MPI"))
    assert (ministry.id, was) == ("MOF", "MPI")
    district, was = resolver.mapped(resolver.resolve("huyện Yên Thế, tỉnh Bắc Giang", None))
    assert (district.id, district.name, was) == ("H-YEN-THE:VN-56", "huyện Yên Thế (Bắc Ninh)",
                                                 "H-YEN-THE:VN-54")
    same = resolver.resolve("Bộ Nội vụ", "MOHA")
    assert resolver.mapped(same) == (same, None)


def _root_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", copy)
    return copy


def test_an_aggregate_without_a_code_is_a_lexicon_error(tmp_path: Path) -> None:
    copy = _root_copy(tmp_path)
    agg = copy / "lexicons" / "aggregates.yaml"
    agg.write_text(agg.read_text(encoding="utf-8").replace("  - vùng kinh tế\n",
                                                           "  - vùng kinh tế\n  - khu công nghiệp\n"),
                   encoding="utf-8")
    with pytest.raises(LexiconError, match=r"subjects\.yaml: form 'khu công nghiệp': is an aggregate"):
        load_resources(copy, check=False)
    with pytest.raises(LexiconError, match="khu công nghiệp"):
        SubjectResolver.load(copy)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("stands_for: [PC, PPC, DPC, CPC]", "stands_for: [PC, XYZ]", "'XYZ' is not in departments.yaml"),
    ("  - id: AGG-REGIONS\n", "  - id: VN-REGIONS\n", "not a province code"),
    ("    scope: nation\n", "    scope: world\n", "scope 'world'"),
    ("  US: [Hoa Kỳ, Mỹ]", "  US: [Hoa Kỳ, Mỹ]\n  XX: [Mỹ]", "names both US and XX"),
])
def test_subject_codes_are_checked_at_load(tmp_path: Path, old: str, new: str, message: str) -> None:
    copy = _root_copy(tmp_path)
    codes = copy / "lexicons" / "subjects.yaml"
    text = codes.read_text(encoding="utf-8")
    assert old in text
    codes.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        load_resources(copy, check=False)
