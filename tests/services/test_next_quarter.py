"""Next quarter in one step (DESIGN §8) on SQLite and PostgreSQL: the new period's draft,
last quarter's people invited again with new links, their answers offered pre-filled."""

from __future__ import annotations

import datetime
import shutil

import pytest
import yaml
from factories import (
    CX_MATURITY_FILE,
    make_assessment,
    make_member,
    make_organization,
    make_respondent,
    make_workspace,
)
from questionnaire_versions import REWORDED_BRIDGED, version_1_1
from sqlalchemy import select

from cxmaturity.domain.access import Forbidden, NotVisible
from cxmaturity.domain.scoring import RespondentAnswers, score_assessment
from cxmaturity.services import assessments, next_quarter
from cxmaturity.services.access import load_actor
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.services.emails import Postage
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.links import same_link
from cxmaturity.services.mailer import Mailer
from cxmaturity.services.participants import counted_answers, reconfirmed_counts
from cxmaturity.services.results import assessment_outcome
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Answer, Assessment, Respondent

NOW = datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC)
SECRET = "secret"
NA_QUESTION = "touchpoints-physical"  # allows "not applicable"


@pytest.fixture
def postage(sessions):
    return Postage(
        sessions, Mailer(None, "cx@example.org"), "https://cx.example.org", SECRET, lambda: NOW
    )


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    """Only cx-maturity 1.0: last quarter and the next ask the same questions here (a new
    version's answers offered again are `bridged_catalogue`'s and the shipped 1.1's)."""
    folder = tmp_path_factory.mktemp("questionnaires")
    shutil.copy(CX_MATURITY_FILE, folder / "cx-maturity.yaml")
    return catalogue_for(folder)


@pytest.fixture
def bridged_catalogue(tmp_path):
    """1.0 as shipped and 1.1, where one strategy question is reworded."""
    shutil.copy(CX_MATURITY_FILE, tmp_path / "cx-maturity.yaml")
    text = yaml.safe_dump(version_1_1(), allow_unicode=True, sort_keys=False)
    (tmp_path / "cx-maturity-1.1.yaml").write_text(text, encoding="utf-8")
    return catalogue_for(tmp_path)


def quarter(sessions, catalogue, *, anonymity="confidential", people=None):
    """A client with a closed 2026-Q4 (cx-maturity 1.0) and its respondents."""
    question_ids = list(catalogue.get("cx-maturity", "1.0").questions)
    with transaction(sessions) as session:
        workspace = make_workspace(session)
        organization = make_organization(session, workspace=workspace)
        closed = make_assessment(session, organization=organization, status="closed")
        closed.anonymity = anonymity
        for index, (name, email, extra) in enumerate(people or default_people()):
            respondent, _token = make_respondent(
                session,
                closed,
                name=name,
                language="de" if index % 2 else "en",
                answers={q: (index + i) % 5 + 1 for i, q in enumerate(question_ids)},
                comments={question_ids[0]: "Kommentar"},
                submitted=extra.get("submitted", True),
            )
            respondent.email = email
            respondent.respondent_group = "manager"
            respondent.revoked_at = extra.get("revoked")
            respondent.opted_out_at = extra.get("opted_out")
            if extra.get("na"):
                answer = next(a for a in respondent.answers if a.question_id == NA_QUESTION)
                answer.level, answer.not_applicable = None, True
        user = make_member(session, workspace)
        viewer = make_member(session, workspace, role="viewer")
        return workspace.slug, organization.id, closed.id, user.id, viewer.id


def default_people():
    return [("Eva Koch", "eva@example.com", {}), ("Jonas Weber", None, {"na": True})]


def start(postage, catalogue, sessions, user_id, slug, client_id, period="2027-Q1", **options):
    options = {"reinvite": True, "prefill": True, "due_date": None, **options}
    actor = load_actor(sessions, user_id)
    return next_quarter.start_next_quarter(
        postage, catalogue, actor, slug, client_id, period, **options
    )


def respondents_of(sessions, assessment_id):
    with transaction(sessions) as session:
        found = session.scalars(
            select(Respondent)
            .where(Respondent.assessment_id == assessment_id)
            .order_by(Respondent.id)
        )
        return [(r, list(r.answers)) for r in found]


def test_the_next_period_starts_as_a_draft_with_everyone_invited_again_by_new_links(
    sessions, catalogue, postage
):
    slug, client_id, closed_id, user_id, _viewer = quarter(sessions, catalogue)
    before = respondents_of(sessions, closed_id)
    started = start(postage, catalogue, sessions, user_id, slug, client_id)

    with transaction(sessions) as session:
        new = session.get(Assessment, started.assessment_id)
        assert (new.period, new.status, new.questionnaire_id) == ("2027-Q1", "draft", "cx-maturity")
    now = respondents_of(sessions, started.assessment_id)
    assert [(r.name, r.email, r.respondent_group, r.language) for r, _ in now] == [
        ("Eva Koch", "eva@example.com", "manager", "en"),
        ("Jonas Weber", None, "manager", "de"),
    ]
    # New links, shown once; the old ones are unchanged.
    assert [link.name for link in started.created.links] == ["Eva Koch", "Jonas Weber"]
    old_hashes = {r.token_hash for r, _ in before}
    assert not old_hashes & {r.token_hash for r, _ in now}
    assert {r.token_hash for r, _ in respondents_of(sessions, closed_id)} == old_hashes
    for link, (respondent, _answers) in zip(started.created.links, now, strict=True):
        token = same_link(SECRET, respondent.token_nonce, respondent.token_hash)
        assert link.url == f"https://cx.example.org/r/{token}/"
        assert respondent.expires_at is not None


def test_previous_answers_are_offered_pre_filled_without_comments_and_count_for_nothing_yet(
    sessions, catalogue, postage
):
    slug, client_id, closed_id, user_id, _viewer = quarter(sessions, catalogue)
    started = start(postage, catalogue, sessions, user_id, slug, client_id)

    old = respondents_of(sessions, closed_id)
    new = respondents_of(sessions, started.assessment_id)
    for (_old_r, old_answers), (new_r, new_answers) in zip(old, new, strict=True):
        assert {a.question_id: (a.level, a.not_applicable) for a in new_answers} == {
            a.question_id: (a.level, a.not_applicable) for a in old_answers
        }
        assert all(a.prefilled and a.offered and a.comment is None for a in new_answers)
        assert counted_answers(new_r) == {}
    offered_na = next(a for a in new[1][1] if a.question_id == NA_QUESTION)
    assert offered_na.not_applicable and offered_na.level is None  # N/A is offered as N/A
    assert started.prefilled_answers == 2 * len(catalogue.get("cx-maturity").questions)
    assert started.prefilled_respondents == 2


def test_only_questions_asked_alike_are_pre_filled_when_the_version_changed(
    sessions, bridged_catalogue, postage
):
    slug, client_id, _closed, user_id, _viewer = quarter(sessions, bridged_catalogue)
    started = start(postage, bridged_catalogue, sessions, user_id, slug, client_id)

    with transaction(sessions) as session:
        assert session.get(Assessment, started.assessment_id).questionnaire_version == "1.1"
    for _respondent, answers in respondents_of(sessions, started.assessment_id):
        offered = {answer.question_id for answer in answers}
        assert REWORDED_BRIDGED not in offered
        assert len(offered) == len(bridged_catalogue.get("cx-maturity", "1.1").questions) - 1


def test_after_a_1_0_quarter_the_next_one_is_on_the_shipped_1_1_with_its_34_alike(
    sessions, postage
):
    shipped = catalogue_for(CX_MATURITY_FILE.parent)
    slug, client_id, closed_id, user_id, _viewer = quarter(sessions, shipped)
    started = start(postage, shipped, sessions, user_id, slug, client_id)

    with transaction(sessions) as session:
        assert session.get(Assessment, closed_id).questionnaire_version == "1.0"  # kept
        assert session.get(Assessment, started.assessment_id).questionnaire_version == "1.1"
    # 1.1 changed six of 1.0's questions and added two: the other 34 are offered again.
    changed = {
        "strategy-sponsorship",
        "customer-understanding-journey-maps",
        "measurement-digital-analytics",
        "data-technology-ai-chatbots",
        "personalization-boundaries",
        "culture-customer-centricity",
    }
    for _respondent, answers in respondents_of(sessions, started.assessment_id):
        offered = {answer.question_id for answer in answers}
        assert len(offered) == 34 and not offered & changed
        assert offered <= set(shipped.get("cx-maturity", "1.1").questions)


def test_revoked_and_opted_out_people_are_not_invited_again(sessions, catalogue, postage):
    people = [
        ("Eva Koch", "eva@example.com", {}),
        ("Revoked Person", "gone@example.com", {"revoked": NOW}),
        ("Opted Out", "no@example.com", {"opted_out": NOW}),
        ("Not Submitted", "late@example.com", {"submitted": False}),
    ]
    slug, client_id, _closed, user_id, _viewer = quarter(sessions, catalogue, people=people)
    started = start(postage, catalogue, sessions, user_id, slug, client_id)

    new = respondents_of(sessions, started.assessment_id)
    assert [r.name for r, _ in new] == ["Eva Koch", "Not Submitted"]
    # Unsubmitted answers never counted: nothing of them is offered.
    assert new[1][1] == []
    assert started.left_out == 2


def test_after_an_anonymous_quarter_nobody_is_invited_again_and_nothing_offered(
    sessions, catalogue, postage
):
    # Only Eva, who did not submit, is still known by name: inviting her alone would
    # show who did not answer.
    people = [("Eva Koch", "eva@example.com", {"submitted": False})]
    slug, client_id, _closed, user_id, _viewer = quarter(
        sessions, catalogue, anonymity="anonymous", people=people
    )
    offer = next_quarter.next_quarter_offer(
        sessions, catalogue, load_actor(sessions, user_id), slug, client_id
    )
    assert offer.anonymous
    started = start(postage, catalogue, sessions, user_id, slug, client_id)

    assert offer.invitable == 0
    assert respondents_of(sessions, started.assessment_id) == []
    assert started.prefilled_answers == 0
    with transaction(sessions) as session:
        assert session.get(Assessment, started.assessment_id).anonymity == "anonymous"


def test_without_reinvite_only_the_draft_is_made(sessions, catalogue, postage):
    slug, client_id, _closed, user_id, _viewer = quarter(sessions, catalogue)
    started = start(
        postage, catalogue, sessions, user_id, slug, client_id, reinvite=False, prefill=False
    )
    assert respondents_of(sessions, started.assessment_id) == []
    assert started.created.links == []
    with pytest.raises(InvalidInput) as refused:
        start(postage, catalogue, sessions, user_id, slug, client_id, "2027-Q2", reinvite=False)
    assert refused.value.field == "prefill"


def test_a_period_already_assessed_or_not_after_the_last_is_refused_and_nothing_is_made(
    sessions, catalogue, postage
):
    slug, client_id, _closed, user_id, _viewer = quarter(sessions, catalogue)
    start(postage, catalogue, sessions, user_id, slug, client_id)
    for period in ("2027-Q1", "2026-Q4", "2026-Q2", "2027-Q5"):
        with pytest.raises(InvalidInput) as refused:
            start(postage, catalogue, sessions, user_id, slug, client_id, period)
        assert refused.value.field == "period"
    with pytest.raises(InvalidInput) as refused:
        start(
            postage, catalogue, sessions, user_id, slug, client_id, "2027-Q2",
            due_date=datetime.date(2026, 12, 1),
        )  # fmt: skip
    assert refused.value.field == "due_date"
    with transaction(sessions) as session:
        periods = session.scalars(
            select(Assessment.period).where(Assessment.organization_id == client_id)
        )
        assert sorted(periods) == ["2026-Q4", "2027-Q1"]


def test_a_client_without_a_closed_assessment_is_refused(sessions, catalogue, postage):
    with transaction(sessions) as session:
        workspace = make_workspace(session)
        organization = make_organization(session, workspace=workspace)
        make_assessment(session, organization=organization, status="open")
        user = make_member(session, workspace)
        slug, client_id, user_id = workspace.slug, organization.id, user.id
    with pytest.raises(InvalidInput) as refused:
        start(postage, catalogue, sessions, user_id, slug, client_id)
    assert refused.value.field == "client"
    offer = next_quarter.next_quarter_offer(
        sessions, catalogue, load_actor(sessions, user_id), slug, client_id
    )
    assert offer.previous_period is None


def test_another_workspace_gets_not_visible_and_a_viewer_forbidden(sessions, catalogue, postage):
    slug, client_id, _closed, _user, viewer_id = quarter(sessions, catalogue)
    with transaction(sessions) as session:
        stranger = make_member(session, make_workspace(session)).id
    with pytest.raises(NotVisible):
        start(postage, catalogue, sessions, stranger, slug, client_id)
    with pytest.raises(NotVisible):
        next_quarter.next_quarter_offer(
            sessions, catalogue, load_actor(sessions, stranger), slug, client_id
        )
    with pytest.raises(Forbidden):
        start(postage, catalogue, sessions, viewer_id, slug, client_id)
    with transaction(sessions) as session:
        assert session.scalar(select(Assessment).where(Assessment.period == "2027-Q1")) is None


def test_confirming_38_of_40_answers_counts_those_38_only(sessions, catalogue, postage):
    slug, client_id, _closed, user_id, _viewer = quarter(
        sessions, catalogue, people=[("Eva Koch", "eva@example.com", {})]
    )
    questionnaire = catalogue.get("cx-maturity")
    ids = list(questionnaire.questions)
    assert len(ids) == 40
    started = start(postage, catalogue, sessions, user_id, slug, client_id)
    token = started.created.links[0].url.rstrip("/").rsplit("/", 1)[1]
    with transaction(sessions) as session:
        session.get(Assessment, started.assessment_id).status = "open"

    # 37 confirmed as they were, one changed, two left untouched.
    state = assessments.save_answers(sessions, catalogue, token, {}, confirm=ids[:37])
    assert state.answered_count == 37
    stored = state.answers[ids[37]]
    changed_to = stored.level % 5 + 1
    shown = assessments.AnswerRow(stored.level)
    change = {ids[37]: assessments.AnswerInput(changed_to, "", shown)}
    state = assessments.save_answers(sessions, catalogue, token, change)
    assert state.answered_count == 38
    # A page saved with the last two as shown confirms nothing.
    untouched = {
        q: assessments.AnswerInput(
            state.answers[q].level, "", assessments.AnswerRow(state.answers[q].level)
        )
        for q in ids[38:]
    }
    state = assessments.save_answers(sessions, catalogue, token, untouched)
    assert state.answered_count == 38
    assert sorted(state.prefilled) == sorted(ids[38:])
    assessments.submit(sessions, token, catalogue)

    with transaction(sessions) as session:
        respondent = session.scalar(
            select(Respondent).where(Respondent.assessment_id == started.assessment_id)
        )
        assert reconfirmed_counts([respondent]) == (38, 40)
        counted = counted_answers(respondent)
        assert set(counted) == set(ids[:38])
        assert counted[ids[37]] == changed_to
        assert session.scalar(
            select(Answer).where(
                Answer.question_id == ids[39], Answer.respondent_id == respondent.id
            )
        ).prefilled
        expected = score_assessment(questionnaire, [RespondentAnswers("Eva", counted)])
    outcome = assessment_outcome(sessions, catalogue, started.assessment_id)
    assert outcome.reconfirmed == (38, 40)
    # The scores are those of the 38 answers that count, not of all 40 offered.
    assert outcome.result == expected
    everything = {q: state.answers[q].level for q in ids}
    assert outcome.result != score_assessment(questionnaire, [RespondentAnswers("Eva", everything)])
