"""The domain stays pure: importing it pulls in no web, database or chart library."""

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
import cxmaturity.domain as domain
for module in pkgutil.iter_modules(domain.__path__):
    importlib.import_module(f"cxmaturity.domain.{module.name}")
loaded = {name.split(".")[0] for name in sys.modules}
print(sorted(loaded & {"flask", "werkzeug", "sqlalchemy", "matplotlib", "weasyprint"}))
"""


def test_domain_imports_neither_flask_nor_sqlalchemy_nor_matplotlib():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
