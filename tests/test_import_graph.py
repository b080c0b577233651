"""The packages under helpdesk/ import one way (tickets announces events; other domains react): no cycles."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "helpdesk"


def _package(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return parts[0] if len(parts) > 1 else ""  # "" is helpdesk/__init__.py itself, which builds the app


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        source, depth = _package(path), len(path.relative_to(ROOT).parts) - 1
        for node in ast.walk(ast.parse(path.read_text(), str(path))):  # function-level imports count too
            if isinstance(node, ast.ImportFrom) and node.level:
                # `from ..core import x` in helpdesk/kb/ names a package; `from .. import create_app` names the app
                target = (node.module or "").split(".")[0] if node.level > depth else source
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpdesk."):
                target = node.module.split(".")[1]
            else:
                continue
            if source and target and target != source:
                graph.setdefault(source, set()).add(target)
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
    graph = _graph()
    assert {"tickets", "mail", "surveys", "kb"} <= set(graph)  # the walk found the packages
    assert "surveys" not in graph["tickets"] and "mail" not in graph["tickets"]
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_walk_would_see_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
