"""Configuration, read from `CXM_*` environment variables with safe defaults.

This is the only module that reads the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "static"
DEFAULT_QUESTIONNAIRES_DIR = PROJECT_ROOT / "questionnaires"


@dataclass(frozen=True)
class Settings:
    questionnaires_dir: Path
    database_url: str | None
    secret_key: str | None
    instance_path: Path | None

    @classmethod
    def from_environment(cls) -> Settings:
        instance = os.environ.get("CXM_INSTANCE_PATH")
        return cls(
            questionnaires_dir=Path(
                os.environ.get("CXM_QUESTIONNAIRES_DIR") or DEFAULT_QUESTIONNAIRES_DIR
            ),
            database_url=os.environ.get("CXM_DATABASE_URL") or None,
            secret_key=os.environ.get("CXM_SECRET_KEY") or None,
            instance_path=Path(instance) if instance else None,
        )
