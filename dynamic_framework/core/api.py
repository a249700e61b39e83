"""API plumbing shared by every app: JSON errors and the human-readable API documentation page."""

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, with every error answered as JSON (400 with field errors, 401/403/404 with detail)."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": response.data}
    return response


def _schema():
    generator = SchemaGenerator()
    return generator.get_schema(request=None, public=True)


def api_docs(request):
    """A GOV.UK page listing every endpoint from the generated OpenAPI document (works without JavaScript)."""
    schema = _schema()
    endpoints = []
    for path, operations in sorted(schema.get("paths", {}).items()):
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            parameters = [
                {
                    "name": p.get("name"),
                    "in": p.get("in"),
                    "required": p.get("required", False),
                    "description": p.get("description", ""),
                }
                for p in operation.get("parameters", [])
            ]
            security = operation.get("security", [])
            public = any(not s for s in security) if security else True
            endpoints.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "summary": operation.get("summary") or operation.get("description", "").split("\n")[0],
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "tags": operation.get("tags", []),
                    "public": public,
                    "anchor": (method + path).replace("/", "-").replace("{", "").replace("}", "").strip("-"),
                }
            )
    return render(request, "core/api_docs.html", {"schema": schema, "endpoints": endpoints})
