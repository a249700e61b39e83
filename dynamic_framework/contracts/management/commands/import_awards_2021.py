from pathlib import Path

from django.core.management.base import BaseCommand

from dynamic_framework.contracts import importers, providers

from ._import import run


class Command(BaseCommand):
    help = (
        "Load the organisations file and the 2021 award list (66 award lines, 110 contracts). Idempotent; a file "
        "with a bad row or an unmatched name is refused whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=importers.AWARDS_2021_FILE)
        parser.add_argument("--organisations-file", type=Path, default=providers.ORGANISATIONS_FILE)

    def handle(self, *args, **options):
        run(
            self,
            importers.import_awards_2021,
            path=options["file"],
            organisations_path=options["organisations_file"],
        )
