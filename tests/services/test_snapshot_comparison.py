"""Result snapshots carry "since last period" (DESIGN §4.9–4.10), so history never re-scores."""

import shutil
from fractions import Fraction

import pytest
from factories import make_organization, make_workspace
from questionnaire_versions import REWORDED_BRIDGED, versions_dir
from sqlalchemy import select

from cxmaturity.services.assessment_import import import_answers
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import transaction
from cxmaturity.store.models import DimensionSnapshot, ResultSnapshot


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    return catalogue_for(versions_dir(tmp_path_factory.mktemp("questionnaires")))


@pytest.fixture
def client_id(sessions):
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug="nord")
        return make_organization(session, workspace=workspace).id


def quarter(catalogue, period, version, people, level_of):
    """An answers document: each person answers every question of `version` by `level_of`."""
    questions = catalogue.get("cx-maturity", version).questions
    return {
        "questionnaire": "cx-maturity",
        "version": version,
        "organization": "Müller & Söhne GmbH",
        "period": period,
        "respondents": [
            {
                "name": name,
                "email": email,
                "answers": {question_id: level_of(name, question_id) for question_id in questions},
            }
            for name, email in people
        ],
    }


ANNA, BEN, CARLA = ("Anna", "anna@example.com"), ("Ben", None), ("Carla", "carla@example.com")


def snapshot(sessions, assessment_id):
    with sessions() as session:
        row = session.get(ResultSnapshot, assessment_id)
        dims = {
            d.dimension_id: d
            for d in session.scalars(
                select(DimensionSnapshot).where(DimensionSnapshot.assessment_id == assessment_id)
            )
        }
        return row, dims


def test_a_closed_quarter_stores_its_change_class_and_panel_against_the_previous_one(
    sessions, versions, client_id
):
    first = import_answers(
        sessions,
        versions,
        "nord",
        client_id,
        quarter(versions, "2026-Q3", "1.0", [ANNA, BEN], lambda name, q: 2),
        close=True,
    )
    second = import_answers(
        sessions,
        versions,
        "nord",
        client_id,
        # Anna and Ben again (Ben by name), Carla new; the reworded question scores 5.
        quarter(
            versions,
            "2026-Q4",
            "1.1",
            [ANNA, BEN, CARLA],
            lambda name, q: 5 if q == REWORDED_BRIDGED else 3,
        ),
        close=True,
    )

    row, dims = snapshot(sessions, second.id)
    assert row.previous_assessment_id == first.id
    assert row.overall_comparability == "bridged"
    assert (row.previous_respondents, row.matched_respondents) == (2, 2)
    strategy = dims["strategy"]
    assert strategy.comparability == "bridged"
    assert (strategy.changed_questions, strategy.question_ids) == (1, 5)
    # Now 3 on every question but the reworded one (5), weighted; 2 then. On the four
    # unchanged questions alone: 3 − 2.
    weights = {
        q.id: q.weight for q in versions.get("cx-maturity", "1.1").dimension("strategy").questions
    }
    now = (3 * sum(weights.values()) + 2 * weights[REWORDED_BRIDGED]) / sum(weights.values())
    assert Fraction(strategy.change) == now - 2
    assert Fraction(strategy.like_for_like_change) == 1
    assert Fraction(strategy.stable_panel_change) == now - 2
    assert dims["culture"].comparability == "same"
    assert Fraction(dims["culture"].change) == 1
    assert dims["culture"].like_for_like_change is None
    first_row, _ = snapshot(sessions, first.id)
    assert first_row.previous_assessment_id is None and first_row.overall_change is None


def test_closing_an_earlier_quarter_later_brings_the_next_quarters_comparison_up_to_date(
    sessions, versions, client_id
):
    later = import_answers(
        sessions,
        versions,
        "nord",
        client_id,
        quarter(versions, "2026-Q4", "1.0", [ANNA], lambda name, q: 4),
        close=True,
    )
    assert snapshot(sessions, later.id)[0].previous_assessment_id is None

    earlier = import_answers(
        sessions,
        versions,
        "nord",
        client_id,
        quarter(versions, "2026-Q3", "2.0", [ANNA], lambda name, q: 1),
        close=True,
    )

    row, dims = snapshot(sessions, later.id)
    assert row.previous_assessment_id == earlier.id
    # 2.0 → 1.0: another major version, so every series starts anew.
    assert row.overall_comparability == "broken" and row.overall_change is None
    assert {d.comparability for d in dims.values()} == {"broken"}
    assert all(d.change is None for d in dims.values())


def test_a_quarter_is_closed_and_scored_when_the_previous_quarters_file_is_gone(
    sessions, tmp_path, client_id
):
    installed = versions_dir(tmp_path / "installed")
    with_all = catalogue_for(installed)
    first = import_answers(
        sessions,
        with_all,
        "nord",
        client_id,
        quarter(with_all, "2026-Q3", "1.1", [ANNA], lambda name, q: 2),
        close=True,
    )
    later = shutil.copytree(installed, tmp_path / "later")  # catalogues are kept per folder
    (later / "cx-maturity-1.1.yaml").unlink()
    without_1_1 = catalogue_for(later)

    second = import_answers(
        sessions,
        without_1_1,
        "nord",
        client_id,
        quarter(without_1_1, "2026-Q4", "1.2", [ANNA], lambda name, q: 3),
        close=True,
    )

    row, dims = snapshot(sessions, second.id)
    assert first.id != second.id and row.overall_level is not None
    # Without 1.1's questions nothing says whether the two compare: no change is claimed.
    assert row.previous_assessment_id is None and row.overall_change is None
    assert all(d.change is None and d.comparability is None for d in dims.values())
