"""YAML read safely: a safe loader, and limits on size, nesting and alias expansion.

Rules, lexicons and site profiles are YAML a user edits (or downloads). A safe loader
never runs code, but it still builds what the file says: ten anchors each aliasing the
one before ten times (the "billion laughs") load in microseconds as shared lists, and
then the first walk over them (``str()``, a copy, a loop over every entry) asks for
10**10 items and dies of MemoryError. So a document is refused, with a
:class:`YAMLLimitError` (a ``yaml.YAMLError``: every caller already names the file and
exits 2), when it is over :data:`MAX_YAML_BYTES`, nests too deep for the loader, holds
a recursive alias, or expands to more than :data:`MAX_YAML_NODES` nodes once every
alias is counted where it is used.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

MAX_YAML_BYTES = 16_000_000  # the largest shipped file is 25 KB
MAX_YAML_NODES = 1_000_000  # every alias counted in full; the shipped rules root has ~20,000
# libyaml's loader when present: the same documents, read ~5x faster at start-up.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YAMLLimitError(yaml.YAMLError):
    """A YAML document over a limit: too large, too deep, or an alias bomb."""


def read_yaml(source: str | IO[str]) -> Any:
    """A YAML document read with a safe loader (libyaml's when installed), within limits."""
    text = source if isinstance(source, str) else source.read(MAX_YAML_BYTES + 1)
    if len(text) > MAX_YAML_BYTES:
        raise YAMLLimitError(f"file is over the {MAX_YAML_BYTES // 1_000_000} MB limit for YAML")
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except RecursionError:
        raise YAMLLimitError("YAML nests too deep") from None
    if "*" in text:  # no alias without its '*': most files are never walked
        check_expansion(data)
    return data


def check_expansion(data: Any, limit: int = MAX_YAML_NODES) -> int:
    """Nodes of ``data`` with every shared (aliased) list or mapping counted each time it
    is used; YAMLLimitError past ``limit`` or on a cycle. Linear in the distinct nodes."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        obj, done = stack.pop()
        if not isinstance(obj, (list, dict)):
            continue
        key = id(obj)
        children = [*obj.keys(), *obj.values()] if isinstance(obj, dict) else obj
        if not done:
            if key in sizes:
                if sizes[key] < 0:
                    raise YAMLLimitError("YAML holds a recursive alias (a node inside itself)")
                continue
            sizes[key] = -1  # open: met again before it closes, it holds itself
            stack.append((obj, True))
            stack.extend((c, False) for c in children if isinstance(c, (list, dict)))
            continue
        total = 1 + sum(sizes[id(c)] if isinstance(c, (list, dict)) else 1 for c in children)
        if total > limit:
            raise YAMLLimitError(f"YAML aliases expand to over {limit:,} nodes (an alias bomb?)")
        sizes[key] = total
    return sizes.get(id(data), 1)
