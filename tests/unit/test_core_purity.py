"""The core package must never import streamlit (directly or through a module it imports)."""
import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "openclosed"


def test_no_core_module_imports_streamlit_in_source():
    offenders = []
    for path in CORE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "streamlit" or n.startswith("streamlit.") or n == "ui" or n.startswith("ui.") for n in names):
                offenders.append(path.name)
    assert offenders == []


def test_importing_every_core_module_leaves_streamlit_unloaded():
    modules = [p.stem for p in CORE.glob("*.py") if p.stem != "__init__"]
    code = ("import sys\n" + "".join(f"import openclosed.{m}\n" for m in modules)
            + "print('streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=CORE.parent, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _core_imports() -> dict[str, list[tuple[str, str]]]:
    """Every core module's imports of other core modules, at any depth (a function-level import counts):
    {module: [(imported module, imported name or "")]}."""
    modules = {}
    for path in CORE.rglob("*.py"):
        name = ".".join(path.relative_to(CORE.parent).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    out = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        found, aliases = [], {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(a.name, "") for a in node.names if a.name in modules]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openclosed"):
                for a in node.names:
                    sub = f"{node.module}.{a.name}"
                    found.append((sub, "") if sub in modules else (node.module, a.name))
                    if sub in modules:
                        aliases[a.asname or a.name] = sub
        # a module imported whole, then a name read from it: `cm._price_row`
        found += [(aliases[node.value.id], node.attr) for node in ast.walk(tree)
                  if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases]
        out[name] = [(m, n) for m, n in found if m != name]
    return out


def test_no_import_circle_in_the_core():
    edges = {m: {dep for dep, _ in deps} for m, deps in _core_imports().items()}

    def reaches(start, goal, seen=()):
        return any(d == goal or (d not in seen and reaches(d, goal, (*seen, d))) for d in edges.get(start, ()))

    assert [m for m in edges if reaches(m, m)] == []


def test_core_modules_import_no_private_names_from_each_other():
    private = [(m, f"{dep}.{n}") for m, deps in _core_imports().items()
               for dep, n in deps if n.startswith("_") and not n.startswith("__")]
    assert private == []
