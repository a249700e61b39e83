"""`dynamic-framework` console script: friendly names for the management commands.

dynamic-framework demo [--port 8000]     migrate, load reference, contract and demo data, serve the site
dynamic-framework load-reference-data   load the reference data files (idempotent)
dynamic-framework import-awards-2021    load the organisations file and the 2021 award list (idempotent)
dynamic-framework import-hmpps-contracts  load the HMPPS contract register (idempotent; after the awards)
dynamic-framework insights [--format text|json|csv] [--region D] [--lot-type ...] [--pcc-area ...]
                                        the insights for the 2021 awards (or --round), as on /insights/
dynamic-framework verify-audit          check the audit log's hash chain
dynamic-framework send-confirmation-reminders [--today YYYY-MM-DD]   remind providers to confirm details (daily)
dynamic-framework send-notice-reminders [--today YYYY-MM-DD]   remind providers to acknowledge and pass on
                                        notices after 3 working days (daily)
dynamic-framework <any-management-command> [args]   e.g. migrate, createsuperuser
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dynamic_framework.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "demo":
        os.environ.setdefault("DEBUG", "1")
    import django
    from django.core.management import call_command, execute_from_command_line

    if command == "demo":
        port = os.environ.get("PORT", "8000")
        if "--port" in rest:
            index = rest.index("--port")
            port = rest[index + 1]
            del rest[index : index + 2]
        # Links in the emails the demo prints point at the port it serves on.
        os.environ.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
        # In the demo a call-off can close for bids minutes after it opens, so a whole competition fits in a sitting.
        os.environ.setdefault("CALLOFF_MINIMUM_BIDDING_DAYS", "0")
        django.setup()
        call_command("migrate", interactive=False, verbosity=1)
        call_command("load_reference_data")
        call_command("import_awards_2021")
        call_command("import_hmpps_contracts")
        call_command("load_demo_data")
        execute_from_command_line(["dynamic-framework", "runserver", f"127.0.0.1:{port}", *rest])
        return 0
    execute_from_command_line(["dynamic-framework", command.replace("-", "_"), *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
