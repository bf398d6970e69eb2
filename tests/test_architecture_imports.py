"""The layers of docs/ARCHITECTURE.md, checked on the source: who may import whom, and no cycles.

Every module of `lo_codebook/` is parsed with `ast` (nothing is imported, so the test is fast
and sees imports that only run on some paths). Counted: every `import` and `from ... import`,
absolute or relative, at module level AND inside functions and methods, since a function-level
import is still a dependency (it only runs later). Not counted: imports under
`if TYPE_CHECKING:` (they never run; they exist for type hints only).

`from lo_codebook.core import codebook` counts as importing `lo_codebook.core.codebook`;
`from lo_codebook.core.codebook import X` counts as importing that module (not the package
`__init__`, which Python runs too but which holds no logic here).

CLI command modules (`lo_codebook/cli/*.py`) are loaded by the group in `cli/__init__.py` by
name (`importlib`) when it looks up or lists its commands, not by an `import` statement: that
is how the commands register without the package and the command modules importing each other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lo_codebook"
ROOT = "lo_codebook"

#: layer -> the layers it must not import. `cli` stands for the package lo_codebook/cli/.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "nlp": ("core", "db", "tui", "cli"),
    "analysis": ("core", "db", "tui", "cli"),
    "interop": ("core", "db", "tui", "cli"),
    "ingest": ("core", "db", "tui", "cli"),
    "core": ("tui", "cli"),
    "db": ("core", "tui", "cli"),
}


def _modules() -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package `__init__`)."""
    found: dict[str, tuple[Path, bool]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement under `node`, skipping `if TYPE_CHECKING:` bodies (not their else)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _import_nodes_of(other)
            continue
        yield from _import_nodes_of(child)


def _import_nodes_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    else:
        yield from _import_nodes(node)


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = (module if is_package else module.rsplit(".", 1)[0]).split(".")
        base = base[: len(base) - (node.level - 1)]
        source = ".".join([*base, *([node.module] if node.module else [])])
    else:
        source = node.module or ""
    return [source, *(f"{source}.{alias.name}" for alias in node.names)]


def import_graph() -> dict[str, dict[str, int]]:
    """module -> {imported lo_codebook module: line of the first import}."""
    graph: dict[str, dict[str, int]] = {}
    for module, (path, is_package) in MODULES.items():
        edges: dict[str, int] = {}
        for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            for target in _targets(module, is_package, node):
                if target in MODULES and target != module:
                    edges.setdefault(target, node.lineno)
        graph[module] = edges
    return graph


GRAPH = import_graph()


def layer(module: str) -> str | None:
    """`core`, `db`, `cli`, ... for modules in those packages (and the packages themselves)."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    return parts[1]


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative): the groups of modules that import each other in a ring."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_the_walker_sees_the_package() -> None:
    """Guards the guard: the graph holds known edges, so an empty graph cannot pass silently."""
    assert len(MODULES) > 50
    assert "lo_codebook.db.models" in GRAPH["lo_codebook.core.codebook"]
    # a relative import and an import inside a function are both seen
    assert "lo_codebook.core.project" in GRAPH["lo_codebook.core.codebook"]
    assert any(
        target.startswith("lo_codebook.tui.screens.") for target in GRAPH["lo_codebook.tui.app"]
    )


def test_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert strongly_connected(graph) == [["a", "b", "c"]]


@pytest.mark.parametrize("source_layer", sorted(FORBIDDEN))
def test_layers_import_only_downwards(source_layer: str) -> None:
    wrong = [
        f"{module} imports {target} (line {line})"
        for module, edges in GRAPH.items()
        if layer(module) == source_layer
        for target, line in edges.items()
        if layer(target) in FORBIDDEN[source_layer]
    ]
    assert not wrong, (
        f"{source_layer} must not import {', '.join(FORBIDDEN[source_layer])}:\n" + "\n".join(wrong)
    )


def test_no_import_cycles() -> None:
    lines = []
    for group in strongly_connected(GRAPH):
        lines.append("cycle: " + ", ".join(group))
        lines += [
            f"    {module} -> {target} (line {line})"
            for module in group
            for target, line in GRAPH[module].items()
            if target in group
        ]
    assert not lines, "modules import each other in a ring:\n" + "\n".join(lines)


def _run(code: str) -> list[str]:
    """The lines `code` prints in a fresh interpreter (nothing of this test process loaded)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def test_the_group_finds_every_command_module_by_itself() -> None:
    """The package alone (as a test or a new command module would import it) lists the commands
    of every command module: no module has to import them all."""
    commands, modules = (
        line.split()
        for line in _run(
            "import click\n"
            "from lo_codebook.cli import cli, command_modules\n"
            "print(' '.join(cli.list_commands(click.Context(cli))))\n"
            "print(' '.join(command_modules()))\n"
        )
    )
    assert {"import", "codebook", "backup", "agreement", "merge-codebook"} <= set(commands)
    assert {"lo_codebook.cli.project", "lo_codebook.cli.admin"} <= set(modules)
    assert not {"lo_codebook.cli.context", "lo_codebook.cli.output"} & set(modules)


def test_the_command_table_names_each_command_and_its_module() -> None:
    """`COMMAND_MODULES` says where every command lives (a wrong or missing row would only make
    that command start slower, so this test is what keeps it right)."""
    lines = _run(
        "import click\n"
        "from lo_codebook.cli import COMMAND_MODULES, cli\n"
        "for name in cli.list_commands(click.Context(cli)):\n"
        "    module = cli.commands[name].callback.__module__.rpartition('.')[2]\n"
        "    print(name, module, COMMAND_MODULES.get(name))\n"
        "print('unknown', *sorted(set(COMMAND_MODULES) - set(cli.commands)))\n"
    )
    wrong = [line for line in lines[:-1] if line.split()[1] != line.split()[2]]
    assert len(lines) > 30 and not wrong, (
        "command, its module, COMMAND_MODULES says:\n" + "\n".join(wrong)
    )
    assert lines[-1] == "unknown", "COMMAND_MODULES names commands that do not exist"


def test_running_one_command_loads_only_its_module() -> None:
    """`lo-codebook status` imports the module that holds `status`, not every command module."""
    (loaded,) = _run(
        "import sys, click\n"
        "from lo_codebook.cli import cli, command_modules\n"
        "assert cli.get_command(click.Context(cli), 'status') is not None\n"
        "print(' '.join(sorted(set(command_modules()) & set(sys.modules))))\n"
    )
    assert loaded.split() == ["lo_codebook.cli.project"]
