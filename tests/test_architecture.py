"""The house plan, held by tests: the import graph is a ladder and no module is a hall.

The stages, lowest first (docs/architecture.md describes each). A module may import its
own stage and the ones below, never one above, and the graph has no cycle. Imports are
read from the source with ``ast``: module-level ones and the ones inside functions
(imported lazily is still imported), not those under ``if TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "newsfacts"

STAGES: tuple[tuple[str, ...], ...] = (
    ("errors", "version", "ids", "dates", "models", "gcutil", "patterncache", "required", "wordstarts", "numbers", "punkt", "segment", "wordseg", "charsets", "nesting", "yamlsafe"),  # foundation
    ("fetch",),  # URLs, sitemaps, feeds -> a WARC (which ingest reads): the scraper
    ("documents", "archives", "ingest"),  # paths -> documents
    ("clean",),  # Vietnamese text cleaning
    ("lexicons", "sites", "codes"),  # vocabularies, site profiles and subject codes from the rules root
    ("webpage",),  # HTML -> article text and metadata
    ("roles", "entities"),  # the words that make a name an agent; names of agencies, places, sectors
    ("triggers", "fieldfns", "rules", "widetables", "yeartables", "flatrows", "tables", "extract"),  # field functions; rules loaded; results tables found; rules run on sentences and cells
    ("link",),  # subject, index, component, year
    ("resources",),  # one checked bundle of the rules root
    ("pipeline",),  # one document -> one record
    ("flat", "gzmembers", "outfiles", "csvsink", "sqlsink", "sinks", "parquet"),  # records -> files
    ("run",),  # a run over many documents
    ("panel",),  # many records -> one row per subject, index and year
    ("audit",),  # rule tests, scoring, explain, coverage
    ("report",),  # the HTML report
    ("cli_fetch",),  # the fetch command, and the fetch extract runs first
    ("cli", "cli_panel", "__main__", "newsfacts"),  # the commands and the public face
)

# Imports that climb, each with why it is still there. The test fails when one goes, so
# that the list only shrinks.
KNOWN_CLIMBS: dict[tuple[str, str], str] = {
    ("rules", "audit.examples"): "rules.load_rules(check=True) checks the examples, which "
    "needs the matcher and the linker; goes when example checking leaves rules.py "
    "(rules.py is being changed on the accuracy branch)",
    ("rules", "link.words"): "rules._vocab_of builds a Vocab for those examples; same reason",
}

# Files allowed over the size limit, with why; the test fails when one shrinks below it.
OVERSIZE: dict[str, str] = {}
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The newsfacts modules ``path`` imports, as dotted names without ``newsfacts.``."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            found |= {f"{target}.{a.name}" for a in node.names} if node.module is None else {target}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("newsfacts"):
            found.add(str(node.module))
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("newsfacts")}
    own = name if name == "newsfacts" else name.removeprefix("newsfacts.")
    return {f if f == "newsfacts" else f.removeprefix("newsfacts.") for f in found} - {own}


def _graph() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(SRC.rglob("*.py")):
        name = _module_name(path)
        graph[name if name == "newsfacts" else name.removeprefix("newsfacts.")] = _imports(path)
    return graph


def _stage(module: str) -> int:
    top = module.split(".")[0]
    for i, names in enumerate(STAGES):
        if module in names or top in names:
            return i
    raise AssertionError(f"{module} is in no stage: add it to STAGES and docs/architecture.md")


def test_every_module_has_a_stage() -> None:
    for module in _graph():
        _stage(module)


def test_no_import_climbs_to_a_higher_stage() -> None:
    climbs = {(m, d) for m, deps in _graph().items() for d in deps if _stage(d) > _stage(m)}
    assert climbs - set(KNOWN_CLIMBS) == set(), "imports from a lower stage to a higher one"
    assert set(KNOWN_CLIMBS) - climbs == set(), "a known climb is gone: strike it from KNOWN_CLIMBS"


def test_the_import_graph_has_no_cycle() -> None:
    graph = {m: {d for d in deps if (m, d) not in KNOWN_CLIMBS} for m, deps in _graph().items()}
    # a package's __init__ re-exports its modules: importing the package is importing them
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for dep in sorted(graph.get(module, ())):
            if state.get(dep) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(dep):] + [dep]))
            if dep not in state:
                visit(dep)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_no_file_under_src_is_over_the_limit() -> None:
    sizes = {str(p.relative_to(SRC)): len(p.read_text(encoding="utf-8").splitlines())
             for p in SRC.rglob("*.py")}
    over = {name for name, n in sizes.items() if n > MAX_LINES}
    assert over - set(OVERSIZE) == set(), f"over {MAX_LINES} lines: split by concern"
    assert set(OVERSIZE) - over == set(), "a file is back under the limit: strike it from OVERSIZE"


def test_every_package_says_what_lives_in_it() -> None:
    for init in SRC.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 12, f"{init.relative_to(SRC)}: say what lives here"


def test_only_the_adapter_touches_trafilaturas_insides() -> None:
    """trafilatura's private names and helper modules are read in webpage/adapter.py alone."""
    for path in SRC.rglob("*.py"):
        if path == SRC / "webpage" / "adapter.py":
            continue
        text = path.read_text(encoding="utf-8")
        for inside in ("trafilatura.utils", "trafilatura.xpaths", "trafilatura.settings",
                       "from trafilatura import"):
            assert inside not in text, f"{path.relative_to(SRC)} uses {inside}"
