"""The layers of the package, checked from its source (STYLE.md, issue 10).

domain (rules, no I/O, no clock) ← adapters (files, Excel, SQLite, mail,
the clock) ← services (use cases) ← entry points (CLI, Excel buttons, the
schedule) and tools. Imports point down only, and never round in a circle;
the machine's clock and the city's time zone are read in one module.
"""
from __future__ import annotations

import ast
import functools
import re
import sys
from pathlib import Path

import pytest

import jikubata

PACKAGE = Path(jikubata.__file__).parent
CLOCK_MODULE = "jikubata.adapters.clock"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@functools.cache  # each module's source is parsed once, however many tests ask
def imports(name: str) -> frozenset[str]:
    """Every module `name` imports, at the top or inside a function; jikubata modules resolved to files."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{name}: relative import (the package uses absolute imports)"
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                found.add(sub if sub in MODULES else node.module)
    return frozenset(found)


def internal(name: str) -> set[str]:
    return {m for m in imports(name) if m in MODULES and m != name}


def layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "package"


def test_the_package_is_laid_out_in_layers():
    assert {layer(m) for m in MODULES} >= {"domain", "adapters", "services", "entrypoints", "tools"}


@pytest.mark.parametrize("name", [m for m in MODULES if layer(m) == "domain"])
def test_the_domain_imports_only_the_standard_library_and_itself(name):
    outside = {m for m in imports(name)
               if m.split(".")[0] not in sys.stdlib_module_names and not m.startswith("jikubata.domain")}
    assert outside == set(), f"{name} imports {sorted(outside)}"


@pytest.mark.parametrize("name", [m for m in MODULES if layer(m) in ("domain", "adapters", "services")])
def test_nothing_below_the_entry_points_imports_them(name):
    upward = {m for m in internal(name)
              if layer(m) in ("entrypoints", "excel", "tools")}
    assert upward == set(), f"{name} imports {sorted(upward)}"


@pytest.mark.parametrize("name", [m for m in MODULES if layer(m) in ("domain", "adapters")])
def test_nothing_below_the_services_imports_them(name):
    assert "jikubata.services" not in internal(name), name


def test_there_are_no_import_cycles():
    graph = {m: internal(m) for m in MODULES}
    cycles, state = [], {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = "open"
        for n in sorted(graph[m]):
            if state.get(n) == "open":
                cycles.append(path[path.index(n):] + [n])
            elif n not in state:
                visit(n, path + [n])
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == [], " ; ".join(" → ".join(c) for c in cycles)


# Issue 10's `grep "datetime.now\|date.today\|Asia/Jayapura"` (its dots match any character), and more.
CLOCK = re.compile(r"datetime.now|date.today|Asia/Jayapura|time\.time\(\)|localtime\(")


def test_the_clock_and_the_time_zone_are_read_in_one_module():
    readers = sorted(module_name(p) for p in PACKAGE.rglob("*")
                     if p.is_file() and p.suffix in (".py", ".j2", ".bas", ".md", ".toml")
                     and CLOCK.search(p.read_text(encoding="utf-8", errors="replace")))
    assert readers == [CLOCK_MODULE]


def test_the_intake_rules_import_only_the_standard_library_and_the_domain():
    """The reader's decisions on rows (README: Susunan kode) are testable without a file."""
    name = "jikubata.domain.intake"
    assert name in MODULES
    outside = {m for m in imports(name)
               if m.split(".")[0] not in sys.stdlib_module_names and not m.startswith("jikubata.domain")}
    assert outside == set(), f"{name} imports {sorted(outside)}"


def test_the_reader_does_not_import_the_forms_writer():
    assert {"jikubata.adapters.forms", "jikubata.adapters.seller_forms"}.isdisjoint(
        internal("jikubata.adapters.reader"))
