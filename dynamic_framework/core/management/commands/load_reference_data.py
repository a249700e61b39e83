from django.core.management.base import BaseCommand, CommandError

from dynamic_framework.core.reference_data import ReferenceDataError
from dynamic_framework.core.services import load_reference_data


class Command(BaseCommand):
    help = "Load regions, PCC areas, delivery units, service categories, outcomes and commissioning bodies."

    def handle(self, *args, **options):
        try:
            results = load_reference_data()
        except ReferenceDataError as exc:
            raise CommandError(f"Reference data not loaded: {exc}") from exc
        for result in results:
            self.stdout.write(result.summary())
