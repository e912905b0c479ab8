"""The OpenAPI 3.1 document of /api/v1, written by spectree from the models that validate.

`api.validate(...)` on a view checks its query and body against the models and
its answer against the response model of its status; the same models are the
document's schemas. A request that fails the check answers a 422 problem.
"""

from __future__ import annotations

import copy
from typing import Any

from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree

from cxmaturity.api.problems import MEDIA_TYPE, RequestInvalid
from cxmaturity.api.schemas import Problem
from cxmaturity.services import bundle

SECURITY = "bearerToken"

api = SpecTree(
    "flask",
    title="cxmaturity API",
    version="1",
    description="The JSON API of a cxmaturity workspace; see docs/api.md.",
    openapi_version="3.1.0",
    mode="strict",
    path="api/v1/spectree",  # spectree's own pages are not served (page_templates empty)
    page_templates={},
    security_schemes=[
        SecurityScheme(
            name=SECURITY,
            data=SecuritySchemeData(
                type="http", scheme="bearer", description="A workspace API token."
            ),
        )
    ],
    security={SECURITY: []},
    naming_strategy=lambda model: model.__name__,
    # A nested model keeps its own name: one schema per model, whoever nests it.
    nested_naming_strategy=lambda _parent, child: child,
    validation_error_model=Problem,
)


def _refuse_invalid(request, response, error, instance, model_adapter) -> None:
    """spectree's hook before the view: a request that fails its schema is a 422 problem."""
    if error is not None:
        errors = [
            {"field": ".".join(str(part) for part in item["loc"]) or "body", "message": item["msg"]}
            for item in error.errors()
        ]
        raise RequestInvalid(errors)


def _refuse_own_mistake(request, response, error, instance, model_adapter) -> None:
    """spectree's hook after the view: an answer outside its own schema is our bug."""
    if error is not None:
        raise RuntimeError(f"response does not match its schema: {error}")


api.before = _refuse_invalid
api.after = _refuse_own_mistake

FILE_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOWNLOADS = {
    "/api/v1/bulk-reports/{job_id}/file": ("application/zip",),
    "/api/v1/exports/jobs/{job_id}/file": (
        FILE_TYPES[".xlsx"],
        "application/zip",
        FILE_TYPES[".csv"],
    ),
}
"""Downloads whose path does not say their type: the media types they may have."""
BUNDLE_PATH = "/api/v1/clients/{client_id}/bundle"
BUNDLE = "ClientBundle"
ERRORS = ("HTTP_400", "HTTP_401", "HTTP_403", "HTTP_404", "HTTP_415", "HTTP_429", "HTTP_503")


def answers(**statuses: Any) -> Response:
    """The responses of an operation: its own, and the problems every operation may answer."""
    return Response(**dict.fromkeys(ERRORS, Problem), **statuses)


URI_TOO_LONG = {
    "description": "The request line is longer than the server takes (gunicorn's 4,094 bytes):"
    " refused by the server before the API reads it, as a short HTML page.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def document() -> dict:
    """The OpenAPI document, with problem responses under their own media type, the
    downloads (a path ending in .csv or .xlsx, and DOWNLOADS) as files, the client bundle
    by its published JSON Schema, and the server's 414."""
    spec = api.spec
    problem_ref = "#/components/schemas/Problem"
    spec["components"]["schemas"].update(bundle_components())
    for path, operations in spec["paths"].items():
        media_types = DOWNLOADS.get(path, ())
        for ending, media_type in FILE_TYPES.items():
            if path.endswith(ending):
                media_types = (media_type,)
        if media_types:
            operations["get"]["responses"]["200"] = _file(*media_types)
        if path == BUNDLE_PATH:
            operations["get"]["responses"]["200"] = {
                "description": "The client's bundle (cxmaturity-export/1), as an attachment.",
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{BUNDLE}"}}
                },
            }
        for operation in operations.values():
            operation.setdefault("responses", {})["414"] = URI_TOO_LONG
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                json_body = content.get("application/json")
                if json_body and json_body.get("schema", {}).get("$ref") == problem_ref:
                    content[MEDIA_TYPE] = content.pop("application/json")
    return spec


def _file(*media_types: str) -> dict:
    return {
        "description": "The file, as an attachment.",
        "content": {kind: {"schema": {"type": "string"}} for kind in media_types},
    }


def bundle_components() -> dict[str, dict]:
    """The bundle's JSON Schema (docs/bundle.schema.json) as schemas of the document: its
    `$defs` become components of their own, so that every `$ref` resolves in the document."""
    schema = copy.deepcopy(bundle.bundle_schema())
    definitions = schema.pop("$defs", {})
    schema.pop("$schema", None)
    schema.pop("$id", None)
    names = {name: BUNDLE + name.title().replace("_", "") for name in definitions}

    def rewritten(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                node = {**node, "$ref": "#/components/schemas/" + names[ref[len("#/$defs/") :]]}
            return {key: rewritten(value) for key, value in node.items()}
        if isinstance(node, list):
            return [rewritten(item) for item in node]
        return node

    components = {BUNDLE: rewritten(schema)}
    components.update({names[name]: rewritten(d) for name, d in definitions.items()})
    return components
