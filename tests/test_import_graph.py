"""The code under helpdesk/ imports one way (tickets announces events; other domains react): no cycle between
packages, and none between files, function-level (lazy) imports included."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "helpdesk"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _exists(module: str) -> bool:
    path = ROOT.parent.joinpath(*module.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _imports(path: Path) -> set[str]:
    """The helpdesk modules this file imports anywhere in it (function-level imports count too)."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("helpdesk"))
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)]
            target = ".".join([*base, *([node.module] if node.module else [])])
        elif (node.module or "").startswith("helpdesk"):
            target = node.module
        else:
            continue
        submodules = [f"{target}.{alias.name}" for alias in node.names if _exists(f"{target}.{alias.name}")]
        found.update(submodules or [target])
    return found - {module}


def file_graph() -> dict[str, set[str]]:
    return {_module(path): _imports(path) for path in ROOT.rglob("*.py")}


def package_graph() -> dict[str, set[str]]:
    """helpdesk.<package> → the packages it imports; helpdesk/__init__.py (the app factory) builds on all of them."""
    graph: dict[str, set[str]] = {}
    for module, targets in file_graph().items():
        source = module.split(".")[1] if module.count(".") else ""
        for target in targets:
            name = target.split(".")[1] if target.count(".") else ""
            if source and name != source:
                graph.setdefault(source, set()).add(name)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt, [*path, nxt])):
                return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_no_package_imports_another_that_imports_it_back():
    graph = package_graph()
    assert {"tickets", "mail", "surveys", "kb"} <= set(graph)  # the walk found the packages
    assert "surveys" not in graph["tickets"] and "mail" not in graph["tickets"]
    assert "" not in set().union(*graph.values()), "only the app factory may import the app factory"
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_layers_point_one_way():
    """core ← customers, accounts ← tickets ← {mail, surveys, kb} ← {portal, admin, ops, jobs}."""
    layers = [{"core"}, {"customers", "accounts", "settings"}, {"tickets"}, {"mail", "surveys", "kb"}, {"portal", "admin", "ops", "jobs"}]
    rank = {package: i for i, layer in enumerate(layers) for package in layer}
    graph = package_graph()
    assert set(graph) | set().union(*graph.values()) <= set(rank), "a new package: give it its place in the layers"
    upward = [(a, b) for a, targets in graph.items() for b in targets if rank[b] > rank[a] or (rank[b] == rank[a] and rank[a] < 1)]
    assert upward == [], upward


def test_no_file_imports_another_that_imports_it_back():
    graph = file_graph()
    assert "helpdesk.mail.jobs" in graph and "helpdesk.core.queue" in graph["helpdesk.mail.jobs"]
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_walk_would_see_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
