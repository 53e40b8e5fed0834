"""Site profiles: XPath selectors for known page layouts, from ``rules/sites/*.yaml``.

A profile names the hosts it is for and where the title, lead (sapo), body, date and
author sit, and which blocks to prune. They are read and checked with the rest of a
rules root (:func:`newsfacts.resources.load_resources`): a profile without hosts, with
an unknown key or a selector that does not compile stops the load, naming the file, the
key and the reason, before any page is read.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import SiteProfileError
from .lexicons import read_yaml

_SELECTORS = ("body", "title", "sapo", "date", "author")
_KEYS = {"name", "hosts", "prune", *_SELECTORS}


@dataclass(frozen=True)
class SiteProfile:
    """XPath selectors for one known layout (``rules/sites/*.yaml``)."""

    name: str
    hosts: tuple[str, ...]
    body: str | None = None
    title: str | None = None
    sapo: str | None = None
    date: str | None = None
    author: str | None = None
    prune: tuple[str, ...] = ()

    def matches(self, host: str) -> bool:
        return any(fnmatch.fnmatch(host, pattern) for pattern in self.hosts)


def _profile(path: Path) -> SiteProfile:
    file = str(path)
    try:
        data: Any = read_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SiteProfileError(file, None, f"cannot read YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SiteProfileError(file, None, "a site profile is a mapping of " + ", ".join(sorted(_KEYS)))
    if unknown := set(data) - _KEYS:
        raise SiteProfileError(file, None, f"unknown key(s) {sorted(unknown)}")
    hosts = data.get("hosts")
    if not isinstance(hosts, list) or not hosts:
        raise SiteProfileError(file, "hosts", "a site profile needs a 'hosts' list")
    prune = data.get("prune") or ()
    if not isinstance(prune, (list, tuple)):
        raise SiteProfileError(file, "prune", "must be a list of XPath selectors")
    return SiteProfile(
        name=str(data.get("name") or path.stem),
        hosts=tuple(str(h).lower() for h in hosts),
        prune=tuple(str(x) for x in prune),
        **{k: str(data[k]) for k in _SELECTORS if data.get(k)},
    )


def _check_selectors(file: str, profile: SiteProfile) -> None:
    from lxml import etree

    named = [(k, getattr(profile, k)) for k in _SELECTORS]
    named += [(f"prune {n}", sel) for n, sel in enumerate(profile.prune, 1)]
    for key, selector in named:
        if selector:
            try:
                etree.XPath(selector)
            except etree.XPathSyntaxError as exc:
                raise SiteProfileError(file, key, f"bad XPath {selector!r}: {exc}") from None


def load_site_profiles(folder: Path) -> tuple[SiteProfile, ...]:
    """Read and check every profile of ``folder`` (which must exist), in file-name order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SiteProfileError(str(folder), None, "missing: the folder of site profiles")
    profiles = []
    for path in sorted(folder.glob("*.yaml")):
        profile = _profile(path)
        _check_selectors(str(path), profile)
        profiles.append(profile)
    return tuple(profiles)


__all__ = ["SiteProfile", "load_site_profiles"]
