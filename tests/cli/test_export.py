"""`cxmaturity export --workspace SLUG --format csv|xlsx [--client ID] -o PATH` (DESIGN §6)."""

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner
from factories import cx_maturity, make_organization, make_workspace

from cxmaturity.cli import cli
from cxmaturity.store.database import make_engine, session_factory, transaction

TABLES = [
    "assessments",
    "dimension_scores",
    "answers",
    "participation",
    "targets",
    "actions",
    "kpis",
]
HOSTILE = "+cmd|' /C calc'!A0"


@pytest.fixture
def sessions(migrated_database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CXM_DATABASE_URL", migrated_database_url)
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))
    engine = make_engine(migrated_database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def clients(sessions, tmp_path):
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug="nord")
        ids = [make_organization(session, name=name, workspace=workspace).id
               for name in (HOSTILE, "Beta GmbH")]  # fmt: skip
    answers = dict.fromkeys(cx_maturity().questions, 4)
    for client_id in ids:
        document = tmp_path / f"answers-{client_id}.json"
        document.write_text(
            json.dumps(
                {
                    "questionnaire": "cx-maturity",
                    "organization": "x",
                    "period": "2026-Q4",
                    "respondents": [{"name": "Anna", "answers": answers}],
                }
            )
        )
        result = run("assessments", "import", str(document), "--workspace", "nord",
                     "--client", str(client_id), "--close")  # fmt: skip
        assert result.exit_code == 0, result.output
    return ids


def run(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def test_xlsx_of_the_workspace_has_every_table_and_prints_where(clients, tmp_path):
    target = tmp_path / "nord.xlsx"
    result = run("export", "--workspace", "nord", "--format", "xlsx", "-o", target)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"path": str(target), "format": "xlsx", "tables": TABLES}
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == TABLES
    rows = list(book["assessments"].iter_rows(min_row=2, values_only=True))
    assert sorted(row[2] for row in rows) == sorted(["'" + HOSTILE, "Beta GmbH"])
    scores = list(book["dimension_scores"].iter_rows(min_row=2, values_only=True))
    assert {row[9] for row in scores} == {4}  # score_shown, a number


def test_csv_into_a_zip_when_the_path_ends_in_zip(clients, tmp_path):
    target = tmp_path / "beta.zip"
    result = run("export", "--workspace", "nord", "--format", "csv", "--client", clients[1],
                 "-o", target)  # fmt: skip
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [f"{name}.csv" for name in TABLES]
        text = archive.read("assessments.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["client"] for row in rows] == ["Beta GmbH"]


def test_csv_into_a_folder_otherwise(clients, tmp_path):
    target = tmp_path / "out"
    result = run("export", "--workspace", "nord", "--format", "csv", "-o", target)
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in target.iterdir()) == sorted(f"{n}.csv" for n in TABLES)
    data = (target / "assessments.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert "'" + HOSTILE in {row["client"] for row in rows}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workspace", "nowhere"], "no workspace"),
        (["--workspace", "nord", "--client", "999"], "no client 999"),
    ],
)
def test_an_unknown_workspace_or_client_exits_2_and_writes_nothing(
    clients, tmp_path, args, message
):
    target = tmp_path / "x.xlsx"
    result = run("export", *args, "--format", "xlsx", "-o", target)
    assert result.exit_code == 2
    assert message in result.output
    assert list(tmp_path.glob("*.xlsx")) == [] and list(tmp_path.glob(".x.xlsx*")) == []


def test_a_folder_that_is_not_empty_is_refused(clients, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    result = run("export", "--workspace", "nord", "--format", "csv", "-o", tmp_path / "full")
    assert result.exit_code == 2
    assert "not an empty folder" in result.output
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
