"""API plumbing shared by every app: JSON errors and the human-readable API documentation page."""

from django.core import exceptions as django_exceptions
from django.shortcuts import render
from django.utils.dateparse import parse_date
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def exception_handler(exc, context):
    """DRF's handler, with every error answered as JSON (400 with field errors, 401/403/404 with detail)."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": response.data}
    return response


def refused(exc: django_exceptions.ValidationError) -> ValidationError:
    """A service's ValidationError as a 400: field errors, or {"detail": [...]} for messages naming no field."""
    if hasattr(exc, "error_dict"):
        return ValidationError({field: list(messages) for field, messages in exc.message_dict.items()})
    return ValidationError(list(exc.messages))  # exception_handler answers {"detail": [...]}


def refuse_unknown(data, allowed) -> None:
    """400 for a body that is not a JSON object, or names fields this route does not take (nothing is ignored)."""
    if not isinstance(data, dict):
        raise ValidationError(["Send a JSON object"])
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError({key: ["This route does not take this field"] for key in unknown})


class PlainDateField(serializers.DateField):
    """YYYY-MM-DD, from 2000 to 2100."""

    default_error_messages = {
        "invalid": "Enter a date as YYYY-MM-DD, like 2026-06-01",
        "range": f"Enter a date from {EARLIEST_YEAR} to {LATEST_YEAR}",
    }

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid")
        try:
            parsed = parse_date(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail("invalid")
        if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            self.fail("range")
        return parsed


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
