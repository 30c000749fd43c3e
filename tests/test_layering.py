"""The package's layers: imports only go down, and Textual stays inside bp_tui/app.

The import graph is read from the source with `ast` (every import, at module level or inside a
function), so an import that only runs on some path still counts.
"""

import ast
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import pytest

import bp_tui

from .helpers import python_code

PACKAGE = Path(bp_tui.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(name: str, path: Path, tree: ast.Module, known: set[str]) -> set[str]:
    """The bp_tui modules `name` (read from `path`, parsed as `tree`) imports (for `from .x import y`,
    y itself when y is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            # the module itself or, for `from pkg import module`, that module
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and target.startswith("bp_tui"):
                found.add(target)
    return found


def graph(trees: Mapping[str, ast.Module]) -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, trees[name], known) for name, path in found.items()}


# Parsing all of bp_tui takes most of a second: five tests read the same sources and the four that read
# the graph read the same graph. Both are made once for the module, and neither can be changed by a
# test (the graph's entries are frozensets in a read-only mapping).
@pytest.fixture(scope="module")
def trees() -> Mapping[str, ast.Module]:
    """{module name: its parsed source} for every module of bp_tui."""
    return MappingProxyType({name: ast.parse(path.read_text(encoding="utf-8")) for name, path in modules().items()})


@pytest.fixture(scope="module")
def edges(trees) -> Mapping[str, frozenset[str]]:
    """The import graph: {module: the bp_tui modules it imports}."""
    return MappingProxyType({name: frozenset(targets) for name, targets in graph(trees).items()})


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_is_read(edges):
    assert "bp_tui.engine.network" in edges["bp_tui.engine.records"]
    assert "bp_tui.engine.stepper" in edges["bp_tui.cli.trace"]


def test_no_import_cycle_inside_bp_tui(edges):
    # bp_tui/__init__ re-exports the public API from below it; the packages under it never import it
    below = {name: {t for t in targets if t != "bp_tui"} for name, targets in edges.items()}
    assert find_cycle(below) is None, " -> ".join(find_cycle(below))


def test_no_module_imports_upwards_through_the_top_package(edges):
    users = [name for name, targets in edges.items() if "bp_tui" in targets and name != "bp_tui"]
    assert users == [], f"{users} import bp_tui itself: import the module you need instead"


# views (text pictures) sit below study: the exports print the network picture.
LAYER = {"engine": 0, "views": 1, "study": 2, "cli": 3, "app": 3}


def test_layers_import_only_downwards(edges):
    wrong = []
    for name, targets in edges.items():
        parts = name.split(".")
        if len(parts) < 2 or parts[1] not in LAYER:
            continue
        for target in targets:
            tparts = target.split(".")
            if len(tparts) < 2 or tparts[1] not in LAYER or tparts[1] == parts[1]:
                continue
            if LAYER[tparts[1]] >= LAYER[parts[1]] and not (parts[1] == "cli" and tparts[1] == "app"):
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_textual_is_imported_only_inside_bp_tui_app(trees):
    outside = []
    for name, tree in trees.items():
        if name.startswith("bp_tui.app"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = [node.module.split(".")[0]]
            else:
                continue
            outside += [f"{name} imports {root}" for root in roots if root in ("textual", "textual_serve")]
    assert outside == []


def test_importing_every_module_outside_the_app_loads_no_textual():
    names = sorted(name for name in modules() if not name.startswith("bp_tui.app") and name != "bp_tui.__main__")
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'textual_serve'}))")
    out = python_code(code, check=True)
    assert out.stdout.strip() == "[]"
