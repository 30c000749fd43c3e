"""bp_tui builds on Textual's and Rich's public API only (and textual-serve's, for bp-tui serve).

A private name of a framework (an import from `textual._*`, an attribute `widget._x`, an overridden
`_on_key`) is a debt the next release collects without warning. The source is read with `ast`:

- no import from a private module of Textual or Rich (`textual._compositor`, `from rich import _x`);
- no attribute `x._name` (dunders aside) on anything but `self` or `cls`, except the documented
  methods of named tuples (`_replace`, `_asdict`, ...), and no `getattr(x, "_name")` either;
- no `self._name` or `cls._name` that bp_tui never assigns or defines itself: such a name can only be
  the framework's;

and, importing every module, for each bp_tui subclass of a Textual or Rich class: none of its methods
overrides a private method of a framework base, and it stores no private attribute (`self._x = ...`)
that a framework base defines or stores itself (that would overwrite the framework's own state).
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import pytest

import bp_tui

PACKAGE = Path(bp_tui.__file__).resolve().parent
FRAMEWORKS = ("textual", "rich", "textual_serve")
NAMEDTUPLE_API = {"_replace", "_asdict", "_fields", "_make", "_field_defaults"}


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_module(module: str) -> bool:
    parts = module.split(".")
    return parts[0] in FRAMEWORKS and any(is_private(part) for part in parts[1:])


def sources() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))}


# Parsing bp_tui takes most of a second and walking every tree about as long again. Four tests read the
# same trees and none changes them, so they are parsed, and walked, once for the module rather than
# once per test (and let go after it: they hold some 45 MB).
@pytest.fixture(scope="module")
def trees() -> Mapping[Path, ast.Module]:
    return MappingProxyType(sources())


@pytest.fixture(scope="module")
def nodes(trees) -> tuple[tuple[Path, ast.AST], ...]:
    """(file, node) for every node of every module, files in order and each in ast.walk's order."""
    return tuple((path, node) for path, tree in trees.items() for node in ast.walk(tree))


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"


def own_private_names(nodes: tuple[tuple[Path, ast.AST], ...]) -> set[str]:
    """Private names bp_tui gives itself: `self._x = ...`, class attributes and methods named _x."""
    names = set()
    for _path, node in nodes:
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and is_private(node.attr):
            names.add(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and is_private(node.name):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and is_private(name.id):
                        names.add(name.id)
    return names


def test_no_import_from_a_private_module_of_textual_or_rich(nodes):
    found = []
    for path, node in nodes:
        if isinstance(node, ast.Import):
            found += [f"{where(path, node)} import {a.name}" for a in node.names if private_module(a.name)]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            if private_module(node.module):
                found.append(f"{where(path, node)} from {node.module} import ...")
            elif node.module.split(".")[0] in FRAMEWORKS:
                found += [f"{where(path, node)} from {node.module} import {a.name}"
                          for a in node.names if is_private(a.name)]
    assert not found, "private framework modules or names imported:\n" + "\n".join(found)


def test_no_private_attribute_of_anything_but_self(nodes):
    found = []
    for path, node in nodes:
        if isinstance(node, ast.Attribute) and is_private(node.attr) and node.attr not in NAMEDTUPLE_API:
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append(f"{where(path, node)} {ast.unparse(node)}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("getattr", "setattr", "hasattr") and len(node.args) >= 2
              and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)
              and is_private(node.args[1].value)):
            found.append(f"{where(path, node)} {ast.unparse(node)}")
    assert not found, "private attributes reached on other objects:\n" + "\n".join(found)


def test_self_reaches_only_private_names_bp_tui_gives_itself(nodes):
    own = own_private_names(nodes)
    found = []
    for path, node in nodes:
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
                and is_private(node.attr) and node.attr not in own | NAMEDTUPLE_API):
            found.append(f"{where(path, node)} {ast.unparse(node)}")
    assert not found, "framework privates reached through self:\n" + "\n".join(found)


@functools.cache  # (two tests ask; the modules are imported by then and the answer cannot change)
def bp_tui_classes() -> tuple[type, ...]:
    classes = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__main__":
            continue  # (importing it would start the app)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        module = importlib.import_module(name)
        classes += [c for _n, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == name]
    return tuple(classes)


def framework_class(cls: type) -> bool:
    return cls.__module__.split(".")[0] in FRAMEWORKS


def test_no_bp_tui_class_overrides_a_private_method_of_textual_or_rich():
    found, subclasses = [], 0
    for cls in bp_tui_classes():
        bases = [base for base in cls.__mro__[1:] if framework_class(base)]
        subclasses += bool(bases)
        for name, value in vars(cls).items():
            function = inspect.unwrap(getattr(value, "__func__", getattr(value, "fget", value)))
            if not is_private(name) or not inspect.isfunction(function):
                continue
            overridden = [base for base in bases if name in vars(base)]
            if overridden:
                found.append(f"{cls.__module__}.{cls.__qualname__}.{name} overrides "
                             f"{overridden[0].__module__}.{overridden[0].__qualname__}.{name}")
    assert subclasses >= 10, "the app's widgets and screens were not found"
    assert not found, "private framework methods overridden:\n" + "\n".join(found)


def private_names_stored(statement: ast.AST) -> set[str]:
    """Private names a class statement stores on `self`."""
    names = set()
    for node in ast.walk(statement):
        if (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name)
                and node.value.id == "self" and is_private(node.attr)):
            names.add(node.attr)
    return names


def class_statement(cls: type, trees: Mapping[Path, ast.Module] | None = None) -> ast.ClassDef:
    """The `class` statement of `cls`, found where inspect.getsource finds its text: in its module's
    source file, by qualified name (`f.<locals>.C` for a class made in a function), the first one
    depth first. The file's tree is taken from `trees` when it is there, else parsed. OSError or
    TypeError when `cls` has no source, as from inspect.

    (inspect.getsource parses the whole file for every class, and the tests parsed the text it
    returned once more: three parses of Textual's widget.py or app.py where one does, and none for
    bp_tui's own classes, whose files the module has parsed already.)"""
    file = inspect.getsourcefile(cls)
    if file is None:
        raise OSError(f"no source file for {cls!r}")
    tree = (trees or {}).get(Path(file)) or ast.parse(Path(file).read_text(encoding="utf-8"))

    def search(node: ast.AST, prefix: str) -> ast.ClassDef | None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                if prefix + child.name == cls.__qualname__:
                    return child
                found = search(child, f"{prefix}{child.name}.")
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found = search(child, f"{prefix}{child.name}.<locals>.")
            else:
                found = search(child, prefix)
            if found is not None:
                return found
        return None

    found = search(tree, "")
    if found is None:
        raise OSError(f"could not find the class definition of {cls!r}")
    return found


@functools.cache
def framework_names(base: type) -> frozenset[str]:
    """Private attributes a framework class defines or stores on self."""
    names = {name for name in vars(base) if is_private(name)}
    try:
        names |= private_names_stored(class_statement(base))
    except (OSError, TypeError):
        pass
    return frozenset(names)


def framework_private_names(cls: type) -> set[str]:
    """Private attributes the framework classes among `cls`'s bases define or store on self."""
    return set().union(*(framework_names(base) for base in cls.__mro__[1:] if framework_class(base)))


def test_no_bp_tui_subclass_stores_a_private_attribute_its_framework_base_uses(trees):
    found = []
    for cls in bp_tui_classes():
        if not any(framework_class(base) for base in cls.__mro__[1:]):
            continue
        clashes = private_names_stored(class_statement(cls, trees)) & framework_private_names(cls)
        found += [f"{cls.__module__}.{cls.__qualname__} stores self.{name}" for name in sorted(clashes)]
    assert not found, "private attributes of the framework overwritten:\n" + "\n".join(found)
