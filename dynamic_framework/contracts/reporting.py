"""What an import did (ImportReport) and why it refused a file (ImportRefused)."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dynamic_framework.core.reference_data import ReferenceDataError

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class ImportReport:
    """Counts per kind of record (awards, contracts, ...), warnings about messy values, and unmatched names."""

    name: str
    counts: dict[str, Counter] = field(default_factory=dict)
    changes: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, key: str = "", fields=()) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1
        if outcome == CREATED:
            self.changes.append({"created": f"{kind} {key}".strip()})
        elif outcome == UPDATED:
            self.changes.append({"updated": f"{kind} {key}".strip(), "fields": sorted(fields)})

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    @property
    def created(self) -> int:
        return self.total(CREATED)

    @property
    def updated(self) -> int:
        return self.total(UPDATED)

    @property
    def unchanged(self) -> int:
        return self.total(UNCHANGED)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.total("deleted"))

    def summary(self) -> str:
        return f"{self.name}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"

    def audit_summary(self) -> dict:
        return {
            "counts": {kind: dict(sorted(c.items())) for kind, c in sorted(self.counts.items())},
            "warnings": len(self.warnings),
            "changes": self.changes[:200],
        }

    def lines(self) -> list[str]:
        out = [self.summary()]
        for kind, c in sorted(self.counts.items()):
            parts = ", ".join(f"{c[o]} {o}" for o in (CREATED, UPDATED, UNCHANGED, "deleted") if c[o])
            out.append(f"  {kind}: {parts or 'none'}")
        if self.warnings:
            out.append(f"  {len(self.warnings)} warning(s):")
            out += [f"    - {w}" for w in self.warnings]
        if self.unmatched:
            out.append(f"  {len(self.unmatched)} name(s) not matched to an organisation:")
            out += [f"    - {u}" for u in self.unmatched]
        return out


class ImportRefused(ReferenceDataError):
    """The whole file was refused: nothing from it was saved. Lists every problem found, with its line."""

    def __init__(self, path: Path, problems: list[tuple[int, str]], unmatched: list[str] | None = None):
        self.problems = problems
        self.unmatched = list(unmatched or [])
        line, reason = problems[0]
        super().__init__(path, line, reason)

    def __str__(self) -> str:
        lines = [f"{self.path}: refused, nothing from it was saved ({len(self.problems)} problem(s)):"]
        lines += [f"  line {line}: {reason}" for line, reason in self.problems]
        return "\n".join(lines)


class Problems:
    """Collects every problem in a file before refusing it, so one run reports them all."""

    def __init__(self, path: Path):
        self.path = path
        self.items: list[tuple[int, str]] = []
        self.unmatched: list[str] = []

    def add(self, line: int, reason: str) -> None:
        self.items.append((line, reason))

    def unmatched_name(self, line: int, name: str, role: str) -> None:
        self.unmatched.append(f"line {line}: {role} {name!r}")
        self.add(line, f"{role} {name!r} matches no organisation's name or other name (add it to organisations.csv)")

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportRefused(self.path, self.items, self.unmatched)
