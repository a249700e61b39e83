"""Loading reference data from the CSV files the project ships.

A file is validated whole before anything is written: a bad row stops the load with the file,
the line and the reason, and nothing from that file is loaded. Loads are idempotent: rows are
matched on their natural key and only changed fields are written.
"""

import csv
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction


class ReferenceDataError(Exception):
    def __init__(self, path: Path, line: int, reason: str):
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}: line {line}: {reason}")


class RowError(ValueError):
    """Raised by a row parser for a bad value; the loader adds the file and line."""


@dataclass
class LoadResult:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        return f"{self.name}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def read_rows(path: Path, required: Iterable[str]) -> list[tuple[int, dict]]:
    """Rows with their line numbers (the header is line 1)."""
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise ReferenceDataError(path, 0, f"cannot open the file ({exc.strerror})") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceDataError(path, 1, f"missing column(s): {', '.join(missing)}")
        rows = []
        for row in reader:
            if None in row:
                raise ReferenceDataError(path, reader.line_num, "more values than columns")
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
        return rows


def parse_file(path: Path, required: Iterable[str], parse_row: Callable[[dict], dict], key: str) -> list[dict]:
    """Parse every row (or fail on the first bad one), rejecting duplicate keys."""
    parsed, seen = [], {}
    for line, row in read_rows(path, required):
        try:
            item = parse_row(row)
        except RowError as exc:
            raise ReferenceDataError(path, line, str(exc)) from exc
        if item[key] in seen:
            raise ReferenceDataError(path, line, f"duplicate {key} {item[key]!r} (first on line {seen[item[key]]})")
        seen[item[key]] = line
        parsed.append(item)
    if not parsed:
        raise ReferenceDataError(path, 1, "the file has no rows")
    return parsed


def require(row: dict, column: str) -> str:
    value = row.get(column, "")
    if not value:
        raise RowError(f"{column} is empty")
    return value


def upsert(model, items: list[dict], key: str, result: LoadResult) -> dict:
    """Create or update `model` rows matched on `key`. Returns {key: instance}."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    out = {}
    for item in items:
        obj = existing.get(item[key])
        if obj is None:
            obj = model.objects.create(**item)
            result.created += 1
            result.changes.append({"created": str(item[key])})
        else:
            changed = {f: v for f, v in item.items() if getattr(obj, f) != v}
            if changed:
                for f, v in changed.items():
                    setattr(obj, f, v)
                obj.save(update_fields=list(changed))
                result.updated += 1
                result.changes.append({"updated": str(item[key]), "fields": sorted(changed)})
            else:
                result.unchanged += 1
        out[item[key]] = obj
    return out


def atomic_load(fn):
    """Each loader runs in one transaction: all of a file, or none of it."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with transaction.atomic():
            return fn(*args, **kwargs)

    return wrapper
