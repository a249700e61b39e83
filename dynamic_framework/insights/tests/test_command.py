"""`dynamic-framework insights [--format text|json|csv]`."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> str:
    out = io.StringIO()
    call_command("insights", *args, stdout=out)
    return out.getvalue()


def test_json_is_the_same_as_the_api(client, small_world):
    assert json.loads(run("--format", "json")) == client.get("/api/v1/insights/").json()
    assert json.loads(run("--format", "json", "--region", "X")) == client.get("/api/v1/insights/?region=X").json()


def test_text_shows_the_headline_figures_and_each_table(small_world):
    text = run()
    assert text.startswith("Small round\n")
    assert "Contracts" in text and "£500,000" in text
    assert "Contracts, awards and value by lot type" in text
    assert "Women's services" in text


def test_csv_is_every_figure_by_default_or_one_table(small_world):
    rows = list(csv.reader(io.StringIO(run("--format", "csv"))))
    assert rows[0][0] == "Figure"
    assert ["contracts", "Contracts", "4", "count", "all", "4"] in rows
    rows = list(csv.reader(io.StringIO(run("--format", "csv", "--table", "regions"))))
    assert rows[0][0] == "Region"


def test_filters_and_bad_values(small_world):
    assert "Region X" in run("--region", "X")
    assert "Accommodation" in run("--lot-type", "accommodation")
    assert "Area X1" in run("--pcc-area", "x1")
    with pytest.raises(CommandError, match="--region: Choose a probation region"):
        run("--region", "nowhere")
    with pytest.raises(CommandError, match="--table must be one of"):
        run("--format", "csv", "--table", "nothing")


def test_no_round(db):
    with pytest.raises(CommandError):
        run()


def test_the_console_script_knows_the_command(capsys):
    from dynamic_framework import cli

    with pytest.raises(SystemExit) as exc:
        cli.main(["insights", "--help"])
    assert exc.value.code == 0
    assert "--format {text,json,csv}" in capsys.readouterr().out
