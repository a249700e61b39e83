"""Shared by the two import commands: run an importer, print its reports, refuse with a non-zero exit."""

from django.core.management.base import CommandError

from dynamic_framework.core.reference_data import ReferenceDataError


def run(command, importer, **kwargs) -> None:
    try:
        reports = importer(**kwargs)
    except ReferenceDataError as exc:
        raise CommandError(f"Not imported:\n{exc}") from exc
    for report in reports:
        for line in report.lines():
            command.stdout.write(line)
