"""The public face: ``import newsfacts`` is cheap, its names resolve, ``python -m newsfacts``
and ``--version`` work, and ``--help`` loads nothing heavy."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

import newsfacts


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_importing_the_package_loads_nothing_until_a_name_is_used() -> None:
    out = _run("import sys, newsfacts; print(sorted(m for m in sys.modules if m.startswith("
               "('newsfacts.', 'pydantic', 'regex', 'lxml'))))")
    assert out == "[]"


def test_every_public_name_resolves() -> None:
    for name in newsfacts.__all__:
        assert getattr(newsfacts, name) is not None
    assert newsfacts.__version__ == version("newsfacts")
    assert newsfacts.KINDS == ("score", "rank", "procedure_count", "percentage")
    assert issubclass(newsfacts.RunError, newsfacts.NewsfactsError)


def test_the_public_functions_extract() -> None:
    resources = newsfacts.load_resources()
    doc = newsfacts.Document("d1", {}, text="Tiêu đề\n\nTỉnh Hà Tĩnh đạt 90,5% năm 2023.")
    record = newsfacts.process_document(doc, resources)
    assert isinstance(record, newsfacts.ArticleRecord)
    facts, _ = newsfacts.extract_from_text("Tỉnh Hà Tĩnh đạt 90,5% năm 2023.", resources=resources)
    assert [f.kind for f in facts] == [f.kind for f in record.facts] == ["percentage"]


def test_python_dash_m_and_version() -> None:
    out = subprocess.run([sys.executable, "-m", "newsfacts", "--version"], capture_output=True,
                         text=True, check=True).stdout
    lines = out.splitlines()
    assert lines[0] == f"newsfacts {version('newsfacts')}"
    assert lines[1].startswith("rules: ") and "(digest " in lines[1]
    assert lines[2] == f"schema: {newsfacts.SCHEMA_VERSION}"


def test_help_imports_no_pipeline() -> None:
    """``newsfacts --help`` stays instant: the commands import their stages when run, and
    help is click's plain text (typer's rich panels import rich, ~0.14 s)."""
    out = _run("import sys; sys.argv = ['newsfacts', '--help']\n"
               "from newsfacts.cli import app\n"
               "try:\n    app()\nexcept SystemExit:\n    pass\n"
               "print('HEAVY', sorted(m for m in sys.modules if m.split('.')[0] in "
               "('pydantic', 'regex', 'lxml', 'trafilatura', 'underthesea', 'yaml', 'rich', "
               "'markdown_it', 'pygments')))")
    assert out.splitlines()[-1] == "HEAVY []"
