"""The client bundle (DESIGN §9): exported, imported into another workspace, exported again —
the same client, row by row; refused files write nothing. On SQLite and PostgreSQL."""

import copy
import json
import tempfile
from pathlib import Path

import pytest
from bundle_fixtures import client_rows, seed_client
from factories import PROJECT_ROOT, make_member, make_organization, make_workspace
from history_quarters import four_versions, import_all
from jsonschema import Draft202012Validator
from questionnaire_versions import versions_dir
from sqlalchemy import func, select

from cxmaturity.exports.bundle_schema import bundle_schema, published_text
from cxmaturity.services.access import load_actor
from cxmaturity.services.bundle import export_bundle, export_bundle_as_operator, import_bundle
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible
from cxmaturity.store.database import reading
from cxmaturity.store.models import Assessment, AuditEntry, Base, Organization, Respondent


@pytest.fixture
def world(sessions):
    from cxmaturity.store.database import transaction

    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord")
        sued = make_workspace(session, slug="sued")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        make_organization(session, name="Beta GmbH", workspace=sued)
        ids = {
            "owner": make_member(session, nord, role="owner").id,
            "consultant": make_member(session, nord, role="consultant").id,
            "viewer": make_member(session, nord, role="viewer").id,
            "stranger": make_member(session, sued, role="owner").id,
        }
        alpha_id = alpha.id
    world = {who: load_actor(sessions, user_id) for who, user_id in ids.items()}
    world["alpha"] = alpha_id
    return world


@pytest.fixture(scope="module")
def versions():
    # Written once: the versions take seconds to write and load.
    with tempfile.TemporaryDirectory() as folder:
        yield catalogue_for(versions_dir(Path(folder) / "questionnaires"))


@pytest.fixture
def seeded(sessions, catalogue, world):
    seed_client(sessions, catalogue, world["consultant"], world["alpha"])
    return world


def exported(sessions, catalogue, world) -> dict:
    return export_bundle(sessions, catalogue, world["owner"], "nord", world["alpha"])


def all_rows(sessions) -> dict[str, int]:
    with reading(sessions) as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


def test_a_bundle_imported_elsewhere_and_exported_again_is_the_same_client(
    sessions, catalogue, seeded
):
    first = exported(sessions, catalogue, seeded)
    # Through the file, as a person hands it over.
    new_id = import_bundle(sessions, catalogue, "sued", json.dumps(first).encode())
    second = export_bundle_as_operator(sessions, catalogue, "sued", new_id)
    assert first.pop("exported_at") and second.pop("exported_at")
    assert second == first
    assert client_rows(sessions, new_id) == client_rows(sessions, seeded["alpha"])
    with reading(sessions) as session:
        assert session.get_one(Organization, new_id).workspace.slug == "sued"


def test_the_seeded_client_has_every_kind_of_row(sessions, catalogue, seeded):
    """The round trip above proves something only if the client holds all of it."""
    rows = client_rows(sessions, seeded["alpha"])
    assert all(rows[table] for table in rows), [t for t in rows if not rows[t]]
    assert {a["anonymity"] for a in rows["assessments"]} == {"named", "confidential", "anonymous"}
    assert len([a for a in rows["assessments"] if a["status"] == "closed"]) == 3
    assert any(s["previous"] for s in rows["snapshots"])
    assert any(r["revoked_at"] for r in rows["respondents"])
    assert any(a["not_applicable"] for a in rows["answers"])
    assert len(rows["events"]) > len(rows["actions"])


def test_every_exported_bundle_validates_against_the_published_schema(sessions, catalogue, seeded):
    assert (PROJECT_ROOT / "docs" / "bundle.schema.json").read_text() == published_text()
    Draft202012Validator.check_schema(bundle_schema())
    bundle = export_bundle_as_operator(sessions, catalogue, "nord", seeded["alpha"])
    Draft202012Validator(bundle_schema()).validate(bundle)


def test_the_bundle_holds_no_link_tokens_and_exact_numbers_as_text(sessions, catalogue, seeded):
    bundle = exported(sessions, catalogue, seeded)
    text = json.dumps(bundle)
    with reading(sessions) as session:
        hashes = session.scalars(select(Respondent.token_hash)).all()
    assert hashes and not any(token_hash in text for token_hash in hashes)
    assert "token" not in text
    snapshot = bundle["assessments"][0]["snapshot"]
    assert isinstance(snapshot["overall_score"], str)
    assert bundle["assessments"][-1]["due_date"] == "2024-12-15"
    assert bundle["client"]["tags"] == ["pilot", "retail"]


def test_an_anonymous_assessment_names_nobody_even_before_submitting(sessions, catalogue, seeded):
    from cxmaturity.store.database import transaction

    with transaction(sessions) as session:
        session.get_one(Organization, seeded["alpha"])  # the client exists
        respondent = session.scalars(
            select(Respondent).where(Respondent.status == "in_progress")
        ).first()
        respondent.assessment.anonymity = "anonymous"
    bundle = exported(sessions, catalogue, seeded)
    anonymous = [a for a in bundle["assessments"] if a["anonymity"] == "anonymous"]
    assert len(anonymous) == 2
    for assessment in anonymous:
        for person in assessment["respondents"]:
            assert person["name"] is None and person["email"] is None and person["role"] is None
    # A file that names someone in an anonymous assessment is refused.
    anonymous[0]["respondents"][0]["name"] = "Anna"
    with pytest.raises(InvalidInput, match="name"):
        import_bundle(sessions, catalogue, "sued", bundle)


def test_exporting_is_audited_and_only_for_owners(sessions, catalogue, seeded):
    exported(sessions, catalogue, seeded)
    with reading(sessions) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "exported")).one()
    assert (entry.object_type, entry.object_id) == ("client", seeded["alpha"])
    # A consultant may export tables but not the bundle: it names who answered what.
    for reader in ("consultant", "viewer"):
        with pytest.raises(Forbidden):
            export_bundle(sessions, catalogue, seeded[reader], "nord", seeded["alpha"])
    with pytest.raises(NotVisible):
        export_bundle(sessions, catalogue, seeded["stranger"], "nord", seeded["alpha"])
    with pytest.raises(NotVisible):
        export_bundle(sessions, catalogue, seeded["stranger"], "sued", seeded["alpha"])


def _refusals(bundle: dict) -> dict[str, tuple[object, str]]:
    other_version = copy.deepcopy(bundle) | {"format": "cxmaturity-export/2"}
    missing = copy.deepcopy(bundle)
    missing["assessments"][0]["questionnaire_version"] = "9.9"
    unknown_question = copy.deepcopy(bundle)
    unknown_question["assessments"][0]["respondents"][0]["answers"][0]["question_id"] = "nope"
    twice = copy.deepcopy(bundle)
    twice["assessments"].append(copy.deepcopy(twice["assessments"][0]))
    extra_key = copy.deepcopy(bundle)
    extra_key["client"]["secret"] = "x"
    bad_date = copy.deepcopy(bundle)
    bad_date["assessments"][-1]["due_date"] = "2024-02-31"
    bad_fraction = copy.deepcopy(bundle)
    bad_fraction["assessments"][0]["snapshot"]["overall_score"] = "5/0"
    nul = copy.deepcopy(bundle)
    nul["actions"][0]["title"] = "Budget\x00planen"
    huge = copy.deepcopy(bundle)
    huge["assessments"][-1]["respondents"][1]["reminder_count"] = 40_000
    return {
        "NUL in a text": (nul, "NUL"),
        "count too large": (huge, "40000"),
        "malformed": (b'{"format": "cxmaturity-export/1", ', "not JSON"),
        "not an object": ([1, 2], "not a cxmaturity bundle"),
        "other version": (other_version, "cxmaturity-export/2"),
        "version not installed": (missing, "version '9.9' is not known"),
        "unknown question": (unknown_question, "no question 'nope'"),
        "two of one period": (twice, "a second assessment"),
        "unknown key": (extra_key, "secret"),
        "impossible date": (bad_date, "2024-02-31"),
        "division by zero": (bad_fraction, "5/0"),
    }


def test_a_refused_bundle_writes_nothing_and_says_why(sessions, catalogue, seeded):
    bundle = exported(sessions, catalogue, seeded)
    before = all_rows(sessions)
    for case, (data, message) in _refusals(bundle).items():
        with pytest.raises(InvalidInput) as refused:
            import_bundle(sessions, catalogue, "sued", data)
        assert refused.value.field == "bundle", case
        assert message in str(refused.value), (case, str(refused.value))
    assert all_rows(sessions) == before


def test_a_client_name_the_workspace_has_is_refused(sessions, catalogue, seeded):
    bundle = exported(sessions, catalogue, seeded)
    before = all_rows(sessions)
    with pytest.raises(InvalidInput) as refused:
        import_bundle(sessions, catalogue, "nord", bundle)
    assert refused.value.field == "name" and "Alpha AG" in str(refused.value)
    bundle["client"]["name"] = "beta gmbh"  # letter case does not make it another
    with pytest.raises(InvalidInput, match="already has a client"):
        import_bundle(sessions, catalogue, "sued", bundle)
    with pytest.raises(InvalidInput, match="no workspace"):
        import_bundle(sessions, catalogue, "nowhere", bundle)
    assert all_rows(sessions) == before


def test_an_imported_respondent_gets_a_new_link_nobody_knows(sessions, catalogue, seeded):
    bundle = exported(sessions, catalogue, seeded)
    new_id = import_bundle(sessions, catalogue, "sued", bundle)
    with reading(sessions) as session:
        old, new = (
            set(
                session.scalars(
                    select(Respondent.token_hash)
                    .join(Respondent.assessment)
                    .where(Assessment.organization_id == oid)
                )
            )
            for oid in (seeded["alpha"], new_id)
        )
        nonces = session.scalars(
            select(Respondent.token_nonce)
            .join(Respondent.assessment)
            .where(Assessment.organization_id == new_id)
        ).all()
    assert len(new) == len(old) and not old & new
    assert set(nonces) == {None}


def test_quarters_across_questionnaire_versions_keep_their_comparisons(
    sessions, catalogue, versions, world
):
    """1.0 → 1.1 → 1.2 → 2.0: same, bridged with a like-for-like change, broken."""
    import_all(sessions, versions, "nord", world["alpha"], four_versions(versions))
    first = exported(sessions, versions, world)
    dimensions = [d for a in first["assessments"][1:] for d in a["snapshot"]["dimensions"]]
    assert {d["comparability"] for d in dimensions} >= {"same", "bridged", "broken"}
    assert any(d["like_for_like_change"] for d in dimensions)
    # Here only the shipped versions (1.0, 1.1) are installed: the later ones must be first.
    with pytest.raises(InvalidInput, match=r"version '1\.2' is not known"):
        import_bundle(sessions, catalogue, "sued", first)
    new_id = import_bundle(sessions, versions, "sued", first)
    second = export_bundle_as_operator(sessions, versions, "sued", new_id)
    assert first.pop("exported_at") and second.pop("exported_at")
    assert second == first
    assert client_rows(sessions, new_id) == client_rows(sessions, world["alpha"])
