"""`dynamic-framework insights [--format text|json|csv]`: the insights for a round, on standard output.

JSON is exactly what the API (/api/v1/insights/) and the page's JSON download give. CSV is one table: every
figure by default (`--table figures`), or any table of the page by its slug.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from dynamic_framework.insights import exports
from dynamic_framework.insights.analysis import SelectionError, analyse
from dynamic_framework.insights.forms import InsightsFilterForm


class Command(BaseCommand):
    help = (
        "Print the insights for a commissioning round (default: the 2021 awards), optionally for one region, lot "
        "type or PCC area: as text, as the API's JSON, or a table as CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json", "csv"], default="text")
        parser.add_argument("--round", default="", help="Commissioning round slug (default: the 2021 awards).")
        parser.add_argument("--region", default="", help="Probation region code, A to L.")
        parser.add_argument("--lot-type", default="", help="Lot type code, like personal_wellbeing.")
        parser.add_argument("--pcc-area", default="", help="PCC area slug, like metropolitan.")
        parser.add_argument(
            "--table", default="figures", help="With --format csv: which table (default: figures, every figure)."
        )

    def handle(self, *args, **options):
        data = QueryDict(mutable=True)
        for key in ("round", "region", "lot_type", "pcc_area"):
            if options[key]:
                data[key] = options[key]
        form = InsightsFilterForm(data)
        if not form.is_valid():
            problems = [f"--{field.replace('_', '-')}: {' '.join(errors)}" for field, errors in form.errors.items()]
            raise CommandError("\n".join(problems))
        try:
            analysis = analyse(**form.selection())
        except SelectionError as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(exports.analysis_json(analysis), indent=2, ensure_ascii=False))
        elif options["format"] == "csv":
            tables = exports.download_tables(analysis)
            if options["table"] not in tables:
                raise CommandError(f"--table must be one of: {', '.join(tables)}")
            self.stdout.write(exports.to_csv(tables[options["table"]]), ending="")
        else:
            self.stdout.write(exports.to_text(analysis), ending="")
