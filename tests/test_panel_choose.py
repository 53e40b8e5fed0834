"""The panel's choice rule (newsfacts.panel.choose), through the command on own-written
outputs: most articles; ties by the latest publication (undated is oldest); then the
first document id, whatever order the inputs come in."""

from __future__ import annotations

from pathlib import Path

from panel_helpers import fact, panel, record, row, write_records

from newsfacts.panel import STRATEGIES


def _score(value: float, **kw) -> dict:
    return fact("score", "tỉnh Nghệ An", "VN-22", value=value, unit="percent", **kw)


def _rank(position: int | None, **kw) -> dict:
    return fact("rank", "tỉnh Nghệ An", "VN-22", position=position, **{"qualifier": "exact", **kw})


def _one(tmp: Path, records: list[dict], name: str = "facts.jsonl") -> dict:
    rows, _ = panel(tmp, write_records(tmp / name, records), name=f"panel-{name}")
    return row(rows, "VN-22", 2022)


def test_the_strategies_are_the_written_rule() -> None:
    assert STRATEGIES == ("single_value", "most_articles", "latest_publication", "first_document")


def test_most_articles_win_over_a_later_one(tmp_path: Path) -> None:
    r = _one(tmp_path, [record("a", [_score(88.1)], "2023-01-05"),
                        record("b", [_score(88.1)], "2023-01-06"),
                        record("c", [_score(81.8)], "2023-05-01")])
    assert (r["value"], r["score_articles"], r["score_chosen_by"], r["conflict"]) == \
        (88.1, 2, "most_articles", True)
    assert r["competing"]["score"] == [{"value": 81.8, "articles": 1, "doc_ids": ["c"]}]


def test_an_article_counts_once_however_often_it_repeats_a_figure(tmp_path: Path) -> None:
    repeated = [_score(70.0, sentence="Tiêu đề: 70%."), _score(70.0, sentence="Thân bài: 70%."),
                _score(70.0, sentence="Kết luận: 70%.")]
    r = _one(tmp_path, [record("a", repeated, "2023-01-05"),
                        record("b", [_score(71.0)], "2023-01-01"),
                        record("c", [_score(71.0)], "2023-01-02")])
    assert (r["value"], r["score_articles"], r["score_chosen_by"]) == (71.0, 2, "most_articles")
    assert r["competing"]["score"][0]["articles"] == 1
    assert len([s for s in r["sources"] if s["doc_id"] == "a"]) == 3  # every mention is a source


def test_a_tie_goes_to_the_latest_publication_and_undated_is_oldest(tmp_path: Path) -> None:
    r = _one(tmp_path, [record("a", [_score(60.0)], "05/01/2023 08:00"),
                        record("b", [_score(61.0)], "2023-02-01T07:00:00+07:00"),
                        record("c", [_score(62.0)], None)])
    assert (r["value"], r["score_chosen_by"]) == (61.0, "latest_publication")
    assert {c["value"] for c in r["competing"]["score"]} == {60.0, 62.0}
    # a day-first date is read as a date: 20/02 is after 2023-02-01
    r = _one(tmp_path, [record("a", [_score(60.0)], "20/02/2023"),
                        record("b", [_score(61.0)], "2023-02-01")], name="dmy.jsonl")
    assert r["value"] == 60.0


def test_an_undecided_tie_goes_to_the_first_document_in_any_input_order(tmp_path: Path) -> None:
    records = [record("z-9", [_score(50.0)]), record("b-2", [_score(52.0)]), record("m-5", [_score(51.0)])]
    first = _one(tmp_path, records, "order1.jsonl")
    again = _one(tmp_path, records[::-1], "order2.jsonl")
    assert (first["value"], first["score_chosen_by"]) == (52.0, "first_document")
    assert first == again


def test_values_agree_to_three_decimals(tmp_path: Path) -> None:
    r = _one(tmp_path, [record("a", [_score(92.1)]), record("b", [_score(92.1001)]),
                        record("c", [_score(92.11)])])
    assert (r["score_articles"], r["score_chosen_by"]) == (2, "most_articles")
    assert [c["value"] for c in r["competing"]["score"]] == [92.11]


def test_ranks_are_chosen_by_position_keeping_the_fields_most_give(tmp_path: Path) -> None:
    r = _one(tmp_path, [record("a", [_rank(7, out_of=63, change=2)], "2023-01-01"),
                        record("b", [_rank(7, out_of=63)], "2023-01-02"),
                        record("c", [_rank(7, out_of=None, change=2)], "2023-01-03"),
                        record("d", [_rank(9, out_of=63)], "2023-06-01"),
                        record("e", [_rank(7, qualifier="top_n")], "2023-06-01")])
    assert (r["position"], r["out_of"], r["change"], r["rank_articles"]) == (7, 63, 2, 3)
    assert (r["rank_chosen_by"], r["conflict"]) == ("most_articles", True)
    assert r["competing"] == {"rank": [{"position": 9, "articles": 1, "doc_ids": ["d"]}]}
    assert r["value"] is None and r["score_chosen_by"] is None
    # "last" with no position stands at its out_of
    r = _one(tmp_path, [record("a", [_rank(None, qualifier="last", out_of=63)])], name="last.jsonl")
    assert r["position"] == 63


def test_score_and_rank_are_chosen_apart(tmp_path: Path) -> None:
    r = _one(tmp_path, [record("a", [_score(80.0), _rank(4)], "2023-01-01"),
                        record("b", [_score(80.5), _rank(4)], "2023-02-01")])
    assert (r["value"], r["score_chosen_by"]) == (80.5, "latest_publication")
    assert (r["position"], r["rank_chosen_by"], r["rank_articles"]) == (4, "single_value", 2)
    assert r["conflict"] is True and list(r["competing"]) == ["score"]
    assert [s["agrees"] for s in r["sources"] if s["kind"] == "score"] == [True, False]


def test_measures_follow_the_same_rule(tmp_path: Path) -> None:
    def share(value: float) -> dict:
        return fact("percentage", "tỉnh Nghệ An", "VN-22", index=None, value=value, measure=
                    "tỷ lệ hồ sơ giải quyết đúng hạn của tỉnh", qualifier="exact", is_change=False)

    def count(n: int, action: str = "cung cấp") -> dict:
        return fact("procedure_count", "tỉnh Nghệ An", "VN-22", index=None, count=n,
                    object="online_service", level="full", action=action)

    src = write_records(tmp_path / "m.jsonl", [
        record("a", [share(98.5), count(900)], "2023-01-01"),
        record("b", [share(98.5), count(905)], "2023-03-01"),
        record("c", [share(97.0), count(20, action="cắt giảm")], "2023-04-01")])
    _, measures = panel(tmp_path, src)
    pct = next(m for m in measures if m["kind"] == "percentage")
    assert (pct["measure"], pct["value"], pct["agreeing"], pct["articles"], pct["chosen_by"]) == \
        ("tỷ lệ hồ sơ giải quyết đúng hạn", 98.5, 2, 3, "most_articles")
    counts = sorted((m["measure"], m["value"], m["chosen_by"]) for m in measures
                    if m["kind"] == "procedure_count")
    assert counts == [("online_service level full, cung cấp", 905, "latest_publication"),
                      ("online_service level full, cắt giảm", 20, "single_value")]
