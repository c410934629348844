"""The house rules a reviewer would otherwise check by hand (README "Layout").

- Imports run downward only: ``mentoring`` < ``programmes`` < ``pairing`` < ``feedback``.
  A lower app never imports a higher one, at module level or inside a function, except
  the one documented exception below. Higher apps plug into lower ones through the
  lower app's hooks (``programmes.hooks``) or by task name (``mentoring.outbox``).
- No app module (migrations and tests aside) is longer than 450 lines: past ~400 a
  module becomes a package (STYLE.md).
- No dynamic import of project modules (``importlib.import_module``/``import_string``)
  to dodge the rule.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ("mentoring", "programmes", "pairing", "feedback", "insights")
MAX_LINES = 450

# (importing module, imported module): the documented exception (README "Layout"). Every
# write a pair's members make in pairing must refresh that pair's per-side metrics, which
# feedback owns; the alternative (a signal) would hide the call.
ALLOWED_UPWARD = {
    ("pairing/services/sessions.py", "feedback.services.metrics"),
}


def _app_modules() -> list[Path]:
    paths = []
    for floor in FLOORS:
        for path in sorted((ROOT / floor).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                paths.append(path)
    return paths


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _floor(module: str) -> int | None:
    top = module.split(".")[0]
    return FLOORS.index(top) if top in FLOORS else None


MODULES = _app_modules()


def test_the_walk_sees_every_app():
    seen = {path.relative_to(ROOT).parts[0] for path in MODULES}
    assert seen == set(FLOORS)
    assert len(MODULES) > 80


def test_imports_run_downward_only():
    upward = []
    used_exceptions = set()
    for path in MODULES:
        name = path.relative_to(ROOT).as_posix()
        own = FLOORS.index(name.split("/")[0])
        for line, module in _imports(ast.parse(path.read_text(), filename=name)):
            floor = _floor(module)
            if floor is None or floor <= own:
                continue
            key = (name, module)
            if key in ALLOWED_UPWARD:
                used_exceptions.add(key)
                continue
            upward.append(f"{name}:{line} imports {module}")
    assert not upward, "imports from a lower app into a higher one:\n" + "\n".join(upward)
    assert used_exceptions == ALLOWED_UPWARD, (
        f"documented exceptions no longer needed: {ALLOWED_UPWARD - used_exceptions}"
    )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_module_is_not_too_long(path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{lines} lines: split it by what it does (STYLE.md)"


def test_no_dynamic_imports_of_project_modules():
    dodges = []
    for path in MODULES:
        name = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(), filename=name)):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = getattr(func, "attr", None) or getattr(func, "id", None)
            if called not in {"import_module", "import_string", "__import__"}:
                continue
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    if _floor(arg.value) is not None:
                        dodges.append(f"{name}:{node.lineno} imports {arg.value} dynamically")
                else:
                    dodges.append(f"{name}:{node.lineno} imports a computed module name")
    assert not dodges, "\n".join(dodges)


def test_services_enqueue_tasks_by_name_and_never_import_them():
    """Tasks import services; a service importing a task would close a loop (HackSoft's
    rule). Services hand tasks to ``mentoring.outbox.enqueue`` by dotted name instead."""
    loops = []
    for path in MODULES:
        name = path.relative_to(ROOT).as_posix()
        if "/services/" not in f"/{name}" and not name.endswith("/services.py"):
            continue
        for line, module in _imports(ast.parse(path.read_text(), filename=name)):
            if module.split(".")[-1] == "tasks" or ".tasks." in module:
                loops.append(f"{name}:{line} imports {module}")
    assert not loops, "\n".join(loops)
