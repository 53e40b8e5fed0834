"""resources.py: one rules root, read whole and checked at start, passed to every stage.

Through the command line: a root missing a part, a bad lexicon entry or a bad site
profile stops every command at start with exit 2, naming the file, the entry and the
reason; no document is read and nothing falls back to the packaged rules.
"""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT
from typer.testing import CliRunner

from newsfacts.cli import app
from newsfacts.errors import (
    LexiconError,
    NewsfactsError,
    OutputError,
    ResourceError,
    RuleError,
    SiteProfileError,
)
from newsfacts.resources import ENV_VAR, Resources, default_root, load_resources, packaged_root

runner = CliRunner()
SEEDS = CORPUS / "seeds"
CLI = [sys.executable, "-c", "from newsfacts.cli import app; app()"]


def copy_root(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def invoke(*args: object) -> object:
    return runner.invoke(app, [str(a) for a in args])


# The commands that read a rules root, each with what it needs besides --rules.
def commands(root: Path, tmp_path: Path) -> list[list[object]]:
    return [
        ["extract", SEEDS, "--rules", root, "-o", tmp_path / "out.jsonl", "-j", "1"],
        ["rules", "test", root],
        ["rules", "coverage", SEEDS, "--rules", root],
        ["explain", "Tỉnh đạt 81,98 điểm.", "--rules", root],
        ["report", SEEDS, "-o", tmp_path / "r.html", "--rules", root],
        ["clean", SEEDS, "-o", tmp_path / "c.jsonl", "--rules", root],
    ]


def assert_stops_at_start(root: Path, tmp_path: Path, *wanted: str) -> None:
    for args in commands(root, tmp_path):
        result = invoke(*args)
        assert result.exit_code == 2, (args[:2], result.output)
        message = result.stderr
        for part in wanted:
            assert part in message, (args[:2], message)
    assert not (tmp_path / "out.jsonl").exists() or not (tmp_path / "out.jsonl").read_text()


# --------------------------------------------------------------------------- a whole root
@pytest.mark.parametrize("part", ["lexicons", "sites"])
def test_a_root_without_a_part_is_an_error_not_a_fallback(part: str, tmp_path: Path) -> None:
    root = copy_root(tmp_path)
    shutil.rmtree(root / part)
    assert_stops_at_start(root, tmp_path, str(root), f"{part}/ missing")


def test_a_root_without_blocks_names_it(tmp_path: Path) -> None:
    assert_stops_at_start(tmp_path, tmp_path, "blocks.yaml", "lexicons/", "sites/")


def test_a_missing_lexicon_file_names_it(tmp_path: Path) -> None:
    root = copy_root(tmp_path)
    (root / "lexicons" / "populations.yaml").unlink()
    assert_stops_at_start(root, tmp_path, "populations.yaml")


# --------------------------------------------------------------------------- bad entries
def test_a_bad_provinces_entry_stops_every_command_at_start(tmp_path: Path) -> None:
    root = copy_root(tmp_path)
    edit(root / "lexicons" / "provinces.yaml", "  type: thành phố\n", "  type: đặc khu\n")
    assert_stops_at_start(root, tmp_path, str(root / "lexicons" / "provinces.yaml"),
                          "entry 1 (VN-HN)", "'type' is 'đặc khu'")


def test_a_bad_sector_form_names_file_entry_and_reason(tmp_path: Path) -> None:
    root = copy_root(tmp_path)
    edit(root / "lexicons" / "sectors.yaml", "forms: [ngành nông nghiệp,", "forms: [ngành nông nghiệp (x),")
    with pytest.raises(LexiconError) as info:
        load_resources(root, check=False)
    assert info.value.file == str(root / "lexicons" / "sectors.yaml")
    assert info.value.entry == "sectors entry 2 (nông nghiệp)"
    assert "may only hold letters" in info.value.reason


def test_a_bad_site_profile_xpath_stops_every_command_at_start(tmp_path: Path) -> None:
    root = copy_root(tmp_path)
    edit(root / "sites" / "baohatinh.yaml", "body: \"//div[contains(@class, 'detail__content')]\"",
         "body: \"//div[contains(@class, 'detail__content'\"")
    assert_stops_at_start(root, tmp_path, str(root / "sites" / "baohatinh.yaml"), "body",
                          "bad XPath")


def test_a_site_profile_without_hosts_or_with_an_unknown_key(tmp_path: Path) -> None:
    root = copy_root(tmp_path)
    (root / "sites" / "x.yaml").write_text("name: X\nbody: //div\n", encoding="utf-8")
    with pytest.raises(SiteProfileError, match=r"x\.yaml: hosts: a site profile needs"):
        load_resources(root, check=False)
    (root / "sites" / "x.yaml").write_text("hosts: [x.vn]\nbodyy: //div\n", encoding="utf-8")
    with pytest.raises(SiteProfileError, match=r"x\.yaml: unknown key\(s\) \['bodyy'\]"):
        load_resources(root, check=False)


def test_errors_are_one_hierarchy() -> None:
    for kind in (RuleError, LexiconError, SiteProfileError):
        assert issubclass(kind, ResourceError) and issubclass(kind, NewsfactsError)
        assert issubclass(kind, ValueError)  # as RuleError and LexiconError always were
    from newsfacts.run import RunError
    from newsfacts.sinks import SinkError

    assert issubclass(SinkError, OutputError) and issubclass(RunError, NewsfactsError)
    err = RuleError("a.yaml", "r.x", "bad pattern")
    assert str(err) == "a.yaml: rule 'r.x': bad pattern" and err.exit_code == 2


# --------------------------------------------------------------------------- which root
def test_the_root_given_is_the_root_read(tmp_path: Path) -> None:
    """A rule changed in a --rules copy changes the output; the packaged rules do not leak in."""
    root = copy_root(tmp_path)
    edit(root / "lexicons" / "indexes.yaml", "    - PAR-Index\n", "    - PAR-Index\n    - Chỉ số Thử nghiệm\n")
    text = tmp_path / "a.txt"
    text.write_text("Tin\n\nNăm 2023, Chỉ số Thử nghiệm của tỉnh Hà Tĩnh đạt 88,5 điểm.\n", encoding="utf-8")
    for env, args in (({}, ["--rules", str(root)]), ({ENV_VAR: str(root)}, [])):
        result = runner.invoke(app, ["extract", str(text), "-j", "1", *args], env=env)
        (fact,) = json.loads(result.stdout)["facts"]
        assert fact["index"] == "PAR_INDEX", env
    result = runner.invoke(app, ["extract", str(text), "-j", "1"], env={ENV_VAR: ""})
    assert json.loads(result.stdout)["facts"][0].get("index") is None


def test_the_default_root_of_a_checkout_is_its_rules_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert packaged_root() == (ROOT / "rules").resolve() == default_root()
    assert load_resources(check=False).root == ROOT / "rules"


# --------------------------------------------------------------------------- shipping
def test_resources_cross_to_another_process_as_their_files(resources: Resources) -> None:
    """What a forkserver or Dask worker gets: the same files, loaded once there."""
    copy = pickle.loads(pickle.dumps(resources))
    assert copy is not resources and copy.digest == resources.digest
    assert [r.id for r in copy.rules.rules] == [r.id for r in resources.rules.rules]
    assert copy.sites == resources.sites and copy.words == resources.words
    assert copy.vocab.entity.pattern == resources.vocab.entity.pattern


def test_a_process_pool_from_a_forkserver_writes_what_a_serial_run_writes(tmp_path: Path) -> None:
    """Workers that are not forked from the run load the resources from their pickled files."""
    code = ("import sys, multiprocessing as mp; mp.get_all_start_methods = lambda: ['forkserver'];"
            "from newsfacts.cli import app; sys.argv = ['newsfacts'] + sys.argv[1:]; app()")
    serial, pool = tmp_path / "serial.jsonl", tmp_path / "pool.jsonl"
    for out, jobs in ((serial, "1"), (pool, "2")):
        proc = subprocess.run([sys.executable, "-c", code, "extract", str(CORPUS), "-o", str(out),
                               "-j", jobs, "--batch-size", "2", "-q"],
                              capture_output=True, text=True, timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr
    assert serial.read_bytes() == pool.read_bytes() and serial.stat().st_size > 0


# --------------------------------------------------------------------------- no globals
# The only module state that may be set after import, and why it is not configuration.
ALLOWED_STATE = {
    ("patterncache.py", "_CACHE"),  # compiled programs by pattern text: can only save time
    ("resources.py", "_DEFAULT"),  # the documented default of extract_from_text(text) alone
    ("segment.py", "_splitter"),  # underthesea's sentence splitter, a library function
    ("wordseg.py", "_word_tokenize"),  # underthesea's word segmenter, a library function
    ("wordseg.py", "segment"),  # its words for a name: can only save time
    ("version.py", "package_version"),  # the installed version: fixed for the process
}


def test_no_module_keeps_configuration_in_a_global() -> None:
    """Module state set after import (``global``, ``lru_cache``, ``cache``) is only what
    ALLOWED_STATE lists: rules, lexicons and site profiles travel in Resources."""
    import ast

    found = set()
    for path in sorted((ROOT / "src" / "newsfacts").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                found |= {(path.name, name) for name in node.names}
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for deco in node.decorator_list:
                    target = deco.func if isinstance(deco, ast.Call) else deco
                    name = getattr(target, "id", None) or getattr(target, "attr", None)
                    if name in ("lru_cache", "cache"):
                        found.add((path.name, node.name))
    assert found <= ALLOWED_STATE, sorted(found - ALLOWED_STATE)


def test_a_bad_list_of_the_linkers_words_stops_every_command_at_start(tmp_path: Path) -> None:
    root = copy_root(tmp_path)
    edit(root / "lexicons" / "linking.yaml", "joints:", "jionts:")
    assert_stops_at_start(root, tmp_path, str(root / "lexicons" / "linking.yaml"), "'jionts'")


def test_two_resources_link_with_their_own_words_in_one_process(tmp_path: Path,
                                                                resources: Resources) -> None:
    """The link modules' patterns are kept with each root's words, not once per process."""
    from newsfacts.pipeline import extract_from_text

    root = copy_root(tmp_path)
    edit(root / "lexicons" / "linking.yaml", "respectively: [lần lượt, tương ứng]",
         "respectively: [tương ứng]")
    other = load_resources(root, check=False)
    text = "Hà Nội, TP.HCM và Đà Nẵng lần lượt đạt 85%, 82% và 80%."

    def rules_of(res: Resources) -> list[str | None]:
        return [f.evidence.subject_rule for f in extract_from_text(text, resources=res)[0]]

    assert rules_of(resources) == ["respectively"] * 3
    assert "respectively" not in rules_of(other)
    assert rules_of(resources) == ["respectively"] * 3
