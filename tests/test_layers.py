"""The domain stays pure: importing it loads only the standard library, pydantic and PyYAML.

import-linter (`make test`, contracts in pyproject.toml) checks the import statements
between our layers and keeps Flask out of them. What it cannot see is what importing a
module really loads (imports by name, through importlib, or pulled in by a dependency):
that is checked here, in a fresh interpreter, against a list of what the domain may use.
"""

import json
import subprocess
import sys

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
