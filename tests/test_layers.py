"""The import rule holds: the contracts catch a broken one, and the domain stays pure.

import-linter (`make test`, contracts in pyproject.toml) checks the import statements
between our layers and keeps Flask out of them; the tests below make sure each kind of
breach does break a contract. What import-linter cannot see is what importing a module
really loads (imports by name, through importlib, or pulled in by a dependency): that is
checked here, in a fresh interpreter, against a list of what the domain may use.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# The domain's allowed third-party packages, with what they load themselves.
DOMAIN_MAY_LOAD = {
    "pydantic",
    "pydantic_core",
    "annotated_types",
    "typing_extensions",
    "typing_inspection",
    "yaml",
    "_yaml",
    "cython_runtime",  # PyYAML's compiled parser is built with Cython
}
# Loaded with versions in their names: Cython's runtime, the standard library's sysconfig.
MAY_LOAD_PREFIXES = ("_cython_", "_sysconfigdata_")

PROBE = """
import importlib, json, pkgutil, sys
before = set(sys.modules)
import cxmaturity.domain as domain
for module in pkgutil.iter_modules(domain.__path__):
    importlib.import_module(f"cxmaturity.domain.{module.name}")
loaded = {name.split(".")[0] for name in set(sys.modules) - before}
print(json.dumps(sorted(loaded - set(sys.stdlib_module_names) - {"cxmaturity"})))
"""


def loaded_by_the_domain() -> set[str]:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def test_importing_the_domain_loads_no_third_party_package_beyond_pydantic_and_yaml():
    loaded = loaded_by_the_domain()
    unexpected = {
        name for name in loaded - DOMAIN_MAY_LOAD if not name.startswith(MAY_LOAD_PREFIXES)
    }
    assert unexpected == set()
    assert {"pydantic", "yaml"} <= loaded  # the probe did import the domain


# --- the contracts themselves catch a broken rule --------------------------------------

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_a_copy_with(tmp_path: Path, module: str, line: str) -> subprocess.CompletedProcess:
    """Run the project's import contracts on a copy of the package with one line added."""
    shutil.copytree(
        PROJECT_ROOT / "cxmaturity", tmp_path / "cxmaturity", ignore=shutil.ignore_patterns("*.mo")
    )
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path)
    if module:
        path = tmp_path / (module.replace(".", "/") + ".py")
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_package_as_it_is_keeps_every_contract(tmp_path):
    result = lint_a_copy_with(tmp_path, "", "")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("cxmaturity.services.catalogue", "from cxmaturity.web import i18n", "Layers"),
        ("cxmaturity.store.queries.answers", "import cxmaturity.app", "Layers"),
        ("cxmaturity.reports.errors", "from cxmaturity.store import models", "Layers"),
        ("cxmaturity.web.i18n", "from cxmaturity.store import queries", "Only services touch"),
        ("cxmaturity.web.i18n", "from cxmaturity.reports import errors", "Only services render"),
        ("cxmaturity.domain.periods", "from cxmaturity import config", "Layers"),
        ("cxmaturity.services.catalogue", "import flask", "Only the web layer and app.py"),
    ],
)
def test_an_import_against_the_rule_breaks_its_contract(tmp_path, module, line, contract):
    result = lint_a_copy_with(tmp_path, module, line)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Broken contracts", 1)[1]
    assert contract in broken and module in broken
