"""Resources: everything newsfacts reads from a rules root, loaded and checked once.

A rules root is one folder, read whole::

    blocks.yaml, *.yaml      the rules (building blocks, prefilter, rule files)
    lexicons/*.yaml          provinces, ministries, departments, indexes; sectors, populations;
                             the panel's subject codes
    sites/*.yaml             site profiles of known page layouts

:func:`load_resources` reads every file and checks every entry before any document is
read; a problem raises a :class:`~newsfacts.errors.ResourceError` that names the file,
the entry and the reason (the command line exits 2). The :class:`Resources` it returns
is passed explicitly to :func:`newsfacts.pipeline.process_document`, to every engine and
to audit, explain, report and eval: no module keeps configuration of its own, so a test,
a ``--rules`` folder or a Dask worker sees exactly the rules its caller meant.

Which root: the ``root`` given (``--rules DIR``), else ``$NEWSFACTS_RULES``, else the
copy that ships inside the package (``newsfacts/_rules``, found with
``importlib.resources``; in a checkout that is a link to the checkout's ``rules/``, so
an editable install reads the rules being edited).

A ``Resources`` crosses to worker processes as the bytes of its files (a
:class:`RulesBundle`) and is loaded from them once on the other side, without running
the rule examples again (the sender checked them).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .codes import SubjectCodes, load_codes
from .errors import ResourceError
from .lexicons import Lexicons, WordLists, load_lexicons, load_word_lists
from .sites import SiteProfile, load_site_profiles

if TYPE_CHECKING:  # imported when loading: a command that needs no rules (panel) skips them
    from .entities import Vocab
    from .link.words import LinkWords
    from .rules import RuleSet

ENV_VAR = "NEWSFACTS_RULES"
# What a rules root must hold; a folder missing any of them is not one (no silent defaults).
REQUIRED = ("blocks.yaml", "lexicons", "sites")


def packaged_root() -> Path:
    """The rules that ship inside the package (``newsfacts/_rules``)."""
    from importlib.resources import files

    base = files("newsfacts") / "_rules"
    return Path(str(base)).resolve()  # in a checkout: rules/ itself, as messages should name it


def default_root() -> Path:
    """``$NEWSFACTS_RULES`` when set, else :func:`packaged_root`."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else packaged_root()


@dataclass(frozen=True)
class RulesBundle:
    """A rules root as data: its files' bytes, for processes that do not share its disk."""

    digest: str
    files: tuple[tuple[str, bytes], ...]

    @classmethod
    def from_dir(cls, root: Path) -> RulesBundle:
        files = tuple(sorted(
            (p.relative_to(root).as_posix(), p.read_bytes()) for p in root.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)))
        h = hashlib.sha256()
        for name, data in files:
            h.update(name.encode() + b"\0" + data + b"\0")
        return cls(h.hexdigest()[:16], files)

    def materialise(self) -> Path:
        """The root on this machine; written aside and renamed in, since several workers
        of one machine may get here at once."""
        import shutil
        import tempfile

        root = Path(tempfile.gettempdir()) / f"newsfacts-rules-{self.digest}"
        if root.is_dir():
            return root
        staging = Path(tempfile.mkdtemp(prefix=f"newsfacts-rules-{self.digest}-"))
        for name, data in self.files:
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        try:
            os.rename(staging, root)
        except OSError:  # another worker won the race: its copy is the same
            shutil.rmtree(staging, ignore_errors=True)
        return root


@dataclass(frozen=True, eq=False)
class Resources:
    """Rules, lexicons, sector and population lists and site profiles of one rules root.

    Immutable once loaded. The compiled entity patterns (:attr:`vocab`) are built on
    first use and then belong to this object."""

    root: Path
    rules: RuleSet
    lexicons: Lexicons
    words: WordLists
    linking: LinkWords
    sites: tuple[SiteProfile, ...]
    bundle: RulesBundle
    codes: SubjectCodes  # the panel's subject codes (lexicons/subjects.yaml)

    @property
    def digest(self) -> str:
        """A short hash of every file of the root: equal digests, equal resources."""
        return self.bundle.digest

    @cached_property
    def vocab(self) -> Vocab:
        """The entity, index and population patterns of the lexicons, compiled once."""
        from .entities import build_vocab

        return build_vocab(self.lexicons, self.words, self.linking)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_from_bundle, (self.bundle,))


def _from_bundle(bundle: RulesBundle) -> Resources:
    """A Resources sent from another process: loaded from its files, examples unchecked."""
    return load_resources(bundle.materialise(), check=False, bundle=bundle)


def check_root(root: Path) -> None:
    """That ``root`` is a whole rules root; else a ResourceError naming what is missing."""
    if not root.is_dir():
        raise ResourceError(str(root), None, "not a folder: a rules root holds "
                            + ", ".join(f"{n}/" if "." not in n else n for n in REQUIRED))
    missing = [name for name in REQUIRED if not (root / name).exists()]
    if missing:
        shown = ", ".join(f"{n}/" if "." not in n else n for n in missing)
        raise ResourceError(str(root), None, f"not a whole rules root: {shown} missing "
                            "(a rules root holds blocks.yaml and the rule files, lexicons/ "
                            "and sites/; copy the missing parts from the packaged rules)")


def load_resources(root: str | os.PathLike[str] | None = None, check: bool = True,
                   bundle: RulesBundle | None = None) -> Resources:
    """Load and check everything in the rules root ``root`` (default :func:`default_root`).

    Every file and every entry is checked; with ``check`` every rule's examples must pass
    too. Raises :class:`~newsfacts.errors.ResourceError` (a RuleError, LexiconError or
    SiteProfileError) naming the file, the entry and the reason of the first problem."""
    from .link.words import LinkWords
    from .rules import check_examples, load_rules

    base = Path(root) if root is not None else default_root()
    check_root(base)
    lexicons = load_lexicons(base / "lexicons")
    words = load_word_lists(base / "lexicons")
    codes = load_codes(base / "lexicons", words, lexicons)
    linking = LinkWords.load(base / "lexicons")
    sites = load_site_profiles(base / "sites")
    rules = load_rules(base, check=False)
    resources = Resources(base, rules, lexicons, words, linking, sites,
                          bundle or RulesBundle.from_dir(base), codes)
    if check:  # with these very lexicons: examples that state a subject, index or year link
        check_examples(rules, lambda: resources.vocab)
    return resources


_DEFAULT: Resources | None = None


def default_resources() -> Resources:
    """The resources of :func:`default_root`, loaded on the first call and kept.

    The one cache of configuration in newsfacts, and only a convenience of the one-call
    API (``extract_from_text(text)`` without resources, in a notebook or a script). A
    run, a command or an engine loads its own with :func:`load_resources` and passes
    it on; whoever changes ``$NEWSFACTS_RULES`` after the first call should do the same.
    """
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_resources()
    return _DEFAULT


__all__ = ["ENV_VAR", "Resources", "RulesBundle", "default_resources", "default_root",
           "load_resources", "packaged_root"]
