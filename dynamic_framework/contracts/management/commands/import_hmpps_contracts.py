from pathlib import Path

from django.core.management.base import BaseCommand

from dynamic_framework.contracts import importers, providers

from ._import import run


class Command(BaseCommand):
    help = (
        "Load the HMPPS contract register: match each row to its 2021 award contract or file it under its "
        "commissioning round, with eligibility and supply chain. Run import_awards_2021 first. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=importers.HMPPS_CONTRACTS_FILE)
        parser.add_argument("--providers-file", type=Path, default=importers.HMPPS_PROVIDERS_FILE)
        parser.add_argument("--rounds-file", type=Path, default=importers.ROUNDS_FILE)
        parser.add_argument("--organisations-file", type=Path, default=providers.ORGANISATIONS_FILE)

    def handle(self, *args, **options):
        run(
            self,
            importers.import_hmpps_contracts,
            path=options["file"],
            providers_path=options["providers_file"],
            rounds_path=options["rounds_file"],
            organisations_path=options["organisations_file"],
        )
