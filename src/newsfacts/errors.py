"""Every error newsfacts raises on purpose, and the exit code the command line gives it.

::

    NewsfactsError                 anything newsfacts reports to its user    exit 2
    ├── ResourceError              a rules root that cannot be used           exit 2
    │   ├── RuleError              rules/*.yaml, blocks.yaml
    │   ├── LexiconError           rules/lexicons/*.yaml
    │   └── SiteProfileError       rules/sites/*.yaml
    ├── OutputError                an output that cannot be written or
    │   │                          resumed                                   exit 2
    │   └── sinks.SinkError
    ├── run.RunError               an extract run that cannot start or go on  its .code
    │                              (2 usage, 4 engine failed)
    └── fetch.FetchError           a fetch that cannot start (an option, a    exit 2
                                   URL list, a WARC that cannot be resumed)

A :class:`ResourceError` names the file, the entry in it (a rule id, a lexicon entry,
a selector) and the reason, so that the message alone says what to fix. The classes
stay ``ValueError`` s too, as ``RuleError`` and ``LexiconError`` always were. This
module imports nothing of newsfacts: every other module may import it.
"""

from __future__ import annotations

EXIT_USAGE = 2


class NewsfactsError(Exception):
    """The root: ``except NewsfactsError`` catches every error newsfacts reports."""

    exit_code: int = EXIT_USAGE


class ResourceError(NewsfactsError, ValueError):
    """A rules root, or one of its files, that cannot be used.

    ``file`` is the path, ``entry`` what in it is wrong (None for the whole file) and
    ``reason`` why; ``str()`` gives "file: entry: reason"."""

    def __init__(self, file: str, entry: str | None, reason: str) -> None:
        self.file, self.entry, self.reason = str(file), entry, reason
        super().__init__(self._where() + f": {reason}")

    def _where(self) -> str:
        return f"{self.file}: {self.entry}" if self.entry else self.file


class RuleError(ResourceError):
    """A rule file that cannot be used; ``rule_id`` is the rule (the entry)."""

    def __init__(self, file: str, rule_id: str | None, reason: str) -> None:
        self.rule_id = rule_id
        super().__init__(file, rule_id, reason)

    def _where(self) -> str:
        return f"{self.file}: rule {self.rule_id!r}" if self.rule_id else self.file


class LexiconError(ResourceError):
    """A lexicon file (provinces, ministries, departments, indexes, sectors, populations)
    with an entry that cannot be used."""


class SiteProfileError(ResourceError):
    """A site profile (``rules/sites/*.yaml``) with a missing key or a bad XPath."""


class OutputError(NewsfactsError):
    """An output that cannot be written, or a run that cannot be resumed from it."""


__all__ = ["LexiconError", "NewsfactsError", "OutputError", "ResourceError",
           "RuleError", "SiteProfileError"]
