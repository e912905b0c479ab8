"""The /api/v1 blueprint the resource modules add their routes to."""

from flask import Blueprint

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
