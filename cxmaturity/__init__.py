"""cxmaturity: CX maturity self-assessment."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the web application (see `cxmaturity.app`)."""
    # Imported here so that `import cxmaturity.domain` does not load Flask.
    from cxmaturity.app import create_app as build

    return build(test_config)
