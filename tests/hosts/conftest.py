"""Fixtures for the tests of several app hosts; they read pages with the web tests' helpers."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))
