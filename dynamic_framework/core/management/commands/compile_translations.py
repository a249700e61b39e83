"""Compile the .po translation files into the .mo files Django reads, using Babel (no GNU gettext needed)."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every locale's django.po into django.mo (run by make install)."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in map(Path, settings.LOCALE_PATHS):
            for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
                locale = po_path.parent.parent.name
                with po_path.open("rb") as handle:
                    try:
                        catalog = read_po(handle, locale=locale)
                    except Exception as exc:  # Babel raises several kinds of parse error
                        raise CommandError(f"{po_path}: {exc}") from exc
                with po_path.with_suffix(".mo").open("wb") as handle:
                    write_mo(handle, catalog, use_fuzzy=False)
                translated = sum(1 for m in catalog if m.id and m.string and not m.fuzzy)
                self.stdout.write(f"{po_path}: {translated} messages translated")
                compiled += 1
        if not compiled:
            self.stdout.write("No translation files found.")
