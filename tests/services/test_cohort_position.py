"""A client's position among the workspace's other clients on its results (DESIGN §4.13),
read from the database on both engines: the band only from min-n peers, never itself."""

import datetime
import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from factories import make_organization, make_workspace
from history_quarters import document, import_all, person
from questionnaire_versions import versions_dir

from cxmaturity.domain.statuses import WorkspaceKind
from cxmaturity.reports.cache import cache_key
from cxmaturity.reports.cohort import cohort_view
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.services.results import assessment_outcome, respondent_outcome
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Respondent, Workspace

DAY = datetime.date(2026, 12, 1)


@pytest.fixture(scope="module")
def versions():
    with tempfile.TemporaryDirectory() as folder:
        yield catalogue_for(versions_dir(Path(folder) / "questionnaires"))


def seed(sessions, catalogue, own_level, peer_levels, *, min_n=None, kind="consultancy",
         versions=None, own_closed=False):  # fmt: skip
    """Workspace "nord" with the client "Own AG" (its 2026-Q4 answered at `own_level`) and
    one peer per level of `peer_levels`, each closed in 2026-Q4 (at the version of
    `versions`, "1.0" by default). Returns the own assessment's id."""
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug="nord", kind=kind)
        if min_n is not None:
            workspace.cohort_min_n = min_n
        own = make_organization(session, name="Own AG", workspace=workspace).id
        peers = [
            make_organization(session, name=f"Peer {n} GmbH", workspace=workspace).id
            for n in range(len(peer_levels))
        ]
        # Another workspace's clients are never peers, however many there are.
        elsewhere = make_workspace(session, slug="sued")
        strangers = [
            make_organization(session, name=f"Far {n}", workspace=elsewhere).id for n in range(5)
        ]
    for n, (client_id, level) in enumerate(zip(peers, peer_levels, strict=True)):
        version = versions[n] if versions else "1.0"
        answers = document("2026-Q4", version, [person(catalogue, version, "Anna", level)])
        import_all(sessions, catalogue, "nord", client_id, [answers])
    for client_id in strangers:
        answers = document("2026-Q4", "1.0", [person(catalogue, "1.0", "Anna", 5)])
        import_all(sessions, catalogue, "sued", client_id, [answers])
    mine = document("2026-Q4", "1.0", [person(catalogue, "1.0", "Anna", own_level)])
    return import_all(sessions, catalogue, "nord", own, [mine], close=own_closed)[0].id


def add_peer(sessions, catalogue, level):
    with transaction(sessions) as session:
        workspace = session.query(Workspace).filter_by(slug="nord").one()
        client_id = make_organization(session, name="Late GmbH", workspace=workspace).id
    answers = document("2026-Q4", "1.0", [person(catalogue, "1.0", "Anna", level)])
    import_all(sessions, catalogue, "nord", client_id, [answers])


def test_the_band_of_five_peers_is_shown_without_the_client_itself(sessions, catalogue):
    assessment_id = seed(sessions, catalogue, 5, [1, 2, 3, 4, 5], own_closed=True)
    position = assessment_outcome(sessions, catalogue, assessment_id).cohort
    band = position.peers.overall
    # With its own 5 the six scores' median would be 3.5; the peers' alone is 3.
    assert (band.n, band.suppressed) == (5, False)
    assert (band.lower_quartile, band.median, band.upper_quartile) == (2, 3, 4)
    assert position.peers.dimension("strategy").median == 3
    view = cohort_view(assessment_outcome(sessions, catalogue, assessment_id), "en")
    overall = view.rows[0]
    assert (overall.title, overall.own, overall.median, overall.withheld) == (
        "Overall",
        "5.0",
        "3.0",
        "",
    )
    assert len(view.rows) == 9 and all(row.shown for row in view.rows)
    assert "Compared with 5 other clients" in view.peers_line


def test_four_peers_give_no_number_only_why(sessions, catalogue):
    assessment_id = seed(sessions, catalogue, 3, [1, 2, 4, 5])
    outcome = assessment_outcome(sessions, catalogue, assessment_id)
    band = outcome.cohort.peers.overall
    assert (band.n, band.suppressed, band.median, band.lower_quartile) == (4, True, None, None)
    for language, words in (("en", "fewer than 5 comparable clients"),
                            ("de", "weniger als 5 vergleichbare Kunden")):  # fmt: skip
        view = cohort_view(outcome, language)
        assert not view.any_shown
        assert all(row.withheld == words for row in view.rows)
        assert {(row.lower_quartile, row.median, row.upper_quartile) for row in view.rows} == {
            ("", "", "")
        }


def test_a_workspace_at_min_n_3_shows_the_band_of_three(sessions, catalogue):
    assessment_id = seed(sessions, catalogue, 2, [2, 3, 4], min_n=3)
    outcome = assessment_outcome(sessions, catalogue, assessment_id)
    band = outcome.cohort.peers.overall
    assert (band.n, band.min_n, band.suppressed) == (3, 3, False)
    assert (band.lower_quartile, band.median, band.upper_quartile) == (
        Fraction(5, 2),
        3,
        Fraction(7, 2),
    )
    assert cohort_view(outcome, "de").rows[0].lower_quartile == "2,5"


def test_a_workspace_at_min_n_3_says_so_with_two_peers(sessions, catalogue):
    assessment_id = seed(sessions, catalogue, 2, [2, 3], min_n=3)
    view = cohort_view(assessment_outcome(sessions, catalogue, assessment_id), "en")
    assert view.rows[0].withheld == "fewer than 3 comparable clients"


def test_another_major_version_is_no_peer_but_a_minor_one_is(sessions, versions):
    assessment_id = seed(
        sessions, versions, 3, [1, 2, 4, 5, 5], versions=["1.0", "1.1", "1.0", "1.2", "2.0"]
    )
    band = assessment_outcome(sessions, versions, assessment_id).cohort.peers.overall
    assert (band.n, band.suppressed) == (4, True)  # 1.0, 1.1, 1.0, 1.2 — not 2.0


def test_a_team_workspace_has_no_cohort(sessions, catalogue):
    assessment_id = seed(sessions, catalogue, 3, [], kind=WorkspaceKind.TEAM)
    outcome = assessment_outcome(sessions, catalogue, assessment_id)
    assert outcome.cohort is None and cohort_view(outcome, "en") is None


def test_a_respondent_sees_the_same_band(sessions, catalogue):
    assessment_id = seed(sessions, catalogue, 5, [1, 2, 3, 4, 5])
    with transaction(sessions) as session:
        respondent_id = session.query(Respondent.id).filter_by(assessment_id=assessment_id).scalar()
    own = respondent_outcome(sessions, catalogue, assessment_id, respondent_id)
    assert own.cohort == assessment_outcome(sessions, catalogue, assessment_id).cohort


def test_a_peer_closing_its_quarter_changes_the_reports_cache_key(sessions, catalogue):
    assessment_id = seed(sessions, catalogue, 3, [1, 2, 4, 5])
    before = assessment_outcome(sessions, catalogue, assessment_id)
    again = assessment_outcome(sessions, catalogue, assessment_id)
    assert cache_key(before, "de", DAY) == cache_key(again, "de", DAY)
    add_peer(sessions, catalogue, 3)
    after = assessment_outcome(sessions, catalogue, assessment_id)
    assert after.cohort.peers.overall.median == 3 and not after.cohort.peers.suppressed
    assert cache_key(before, "de", DAY) != cache_key(after, "de", DAY)
