"""The wheel is a tool that runs: built from this tree, installed into a fresh virtual
environment and run from another folder, it finds its rules inside itself.

Nothing is downloaded: the wheel is built with this environment's setuptools, installed
without dependencies, and the fresh environment borrows this one's site-packages (its
dependencies) through a ``.pth`` file, which adds them to ``sys.path`` without running
the editable install's finder, so ``newsfacts`` is the installed wheel's own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

_NOT_SOURCE = shutil.ignore_patterns(".venv", ".git", "out", "build", "dist", "*.egg-info",
                                     "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache",
                                     ".hypothesis", "bench", "tests", "corpus")


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    assert proc.returncode == 0, f"{args[:3]} exited {proc.returncode}:\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """(the fresh environment's bin folder, the environment to run it with)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=_NOT_SOURCE)  # the working tree, as is
    env = {k: v for k, v in os.environ.items() if k not in ("NEWSFACTS_RULES", "PYTHONPATH")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
          "-w", str(tmp / "dist"), str(source)], tmp, env)
    (wheel,) = (tmp / "dist").glob("newsfacts-*.whl")
    (tmp / "wheel-path").write_text(str(wheel), encoding="utf-8")
    target = tmp / "venv"
    venv.create(target, with_pip=False)
    bin_dir = target / ("Scripts" if os.name == "nt" else "bin")
    _run([sys.executable, "-m", "pip", "--python", str(bin_dir / "python"), "install", "-q",
          "--no-deps", "--no-index", str(wheel)], tmp, env)
    site = Path(subprocess.run([str(bin_dir / "python"), "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    borrowed = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site / "_newsfacts_test_deps.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")
    return bin_dir, env


def test_the_wheel_holds_the_rules(installed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    bin_dir, env = installed
    code = "import newsfacts.resources as r; print(r.__file__); print(r.default_root())"
    where, root = _run([str(bin_dir / "python"), "-c", code], tmp_path, env).stdout.split()
    venv_root = bin_dir.parent.resolve()
    assert Path(where).resolve().is_relative_to(venv_root), where  # the wheel, not the checkout
    assert Path(root).is_relative_to(venv_root) and (Path(root) / "lexicons" / "provinces.yaml").is_file()
    assert (Path(root) / "sites").is_dir() and (Path(root) / "blocks.yaml").is_file()


def test_extract_rules_test_and_report_run_from_another_folder(
        installed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    bin_dir, env = installed
    tool = str(bin_dir / "newsfacts")
    seeds = str(CORPUS / "seeds")
    _run([tool, "extract", seeds, "-o", "out.jsonl", "-q"], tmp_path, env)
    checkout = tmp_path / "checkout.jsonl"
    _run([sys.executable, "-c", "from newsfacts.cli import app; app()", "extract", seeds,
          "-o", str(checkout), "-q"], tmp_path, env)
    assert (tmp_path / "out.jsonl").read_bytes() == checkout.read_bytes()
    records = [json.loads(line) for line in checkout.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5 and all(r["facts"] for r in records)

    tested = _run([tool, "rules", "test"], tmp_path, env)
    assert "all pass" in tested.stdout
    _run([tool, "report", seeds, "-o", "report.html"], tmp_path, env)
    assert "<html" in (tmp_path / "report.html").read_text(encoding="utf-8")[:500].lower()


def test_the_wheel_says_what_it_is(installed: tuple[Path, dict[str, str]]) -> None:
    """An SPDX licence expression with its file, classifiers, the version --version prints."""
    import zipfile

    bin_dir, env = installed
    wheel = Path((bin_dir.parent.parent / "wheel-path").read_text(encoding="utf-8"))
    with zipfile.ZipFile(wheel) as zf:
        (meta,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        text = zf.read(meta).decode("utf-8")
        assert any(n.endswith("licenses/LICENSE") for n in zf.namelist())
    assert "License-Expression: MIT" in text
    assert "Classifier: Natural Language :: Vietnamese" in text
    urls = dict(line.removeprefix("Project-URL: ").split(", ", 1) for line in text.splitlines()
                if line.startswith("Project-URL: "))
    assert set(urls) == {"Homepage", "Documentation", "Changelog", "Issues"}
    for where in urls.values():  # no public address yet: each names a part of the repository
        assert "://" in where or (ROOT / where.split("#")[0]).exists(), where
    version = next(line.split(": ", 1)[1] for line in text.splitlines()
                   if line.startswith("Version: "))
    shown = _run([str(bin_dir / "newsfacts"), "--version"], bin_dir, env).stdout
    assert shown.startswith(f"newsfacts {version}\n")
