"""`cxmaturity questionnaire compare ID FROM TO`: J per dimension and the class (DESIGN §4.9).

Against the test versions of tests/questionnaire_versions.py: 1.1 bridges strategy,
1.2 breaks data & technology and bridges measurement, 2.0 is a new major version.
"""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner
from questionnaire_versions import version_1_1, versions_dir

from cxmaturity.cli import cli


@pytest.fixture
def folder(tmp_path):
    return versions_dir(tmp_path / "questionnaires")


def compare(*arguments: str, folder=None, env=None):
    prefix = ["--questionnaires", str(folder)] if folder else []
    return CliRunner().invoke(cli, [*prefix, "questionnaire", "compare", *arguments], env=env)


def printed(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def by_id(data: dict) -> dict[str, dict]:
    return {dimension["id"]: dimension for dimension in data["dimensions"]}


def test_a_reworded_question_bridges_its_dimension(folder):
    data = printed(compare("cx-maturity", "1.0", "1.1", folder=folder))
    assert (data["questionnaire"], data["from"], data["to"]) == ("cx-maturity", "1.0", "1.1")
    assert data["overall"] == "bridged"
    dimensions = by_id(data)
    assert dimensions["strategy"] == {
        "id": "strategy",
        "j": 0.8,
        "j_fraction": "4/5",
        "comparability": "bridged",
        "changed_questions": 1,
    }
    # A reworded help text changes no answer: the dimension stays the same.
    understanding = dimensions["customer-understanding"]
    assert (understanding["j"], understanding["comparability"]) == (1.0, "same")
    assert [d["id"] for d in data["dimensions"]][:2] == ["strategy", "customer-understanding"]
    assert len(data["dimensions"]) == 8


def test_two_reworded_questions_of_five_break_the_series(folder):
    data = printed(compare("cx-maturity", "1.0", "1.2", folder=folder))
    assert data["overall"] == "broken"
    dimensions = by_id(data)
    broken = dimensions["data-technology"]
    assert (broken["j"], broken["j_fraction"], broken["comparability"]) == (0.6, "3/5", "broken")
    assert broken["changed_questions"] == 2
    added = dimensions["measurement"]  # a sixth question: 5 of 6 unchanged
    assert (added["j"], added["j_fraction"], added["comparability"]) == (0.83, "5/6", "bridged")


def test_a_new_major_version_breaks_every_dimension(folder):
    data = printed(compare("cx-maturity", "1.0", "2.0", folder=folder))
    assert data["overall"] == "broken"
    assert {d["comparability"] for d in data["dimensions"]} == {"broken"}
    assert {d["j"] for d in data["dimensions"]} == {1.0}  # same questions, yet a new scale


def test_a_dimension_in_one_version_only_is_listed_as_added_or_removed(folder):
    changed = version_1_1()
    changed["version"] = "1.3"
    changed["dimensions"][-1]["id"] = "culture-and-people"
    for question in changed["dimensions"][-1]["questions"]:
        question["id"] = question["id"].replace("culture-", "culture-and-people-", 1)
    (folder / "cx-maturity-1.3.yaml").write_text(
        yaml.safe_dump(changed, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    data = printed(compare("cx-maturity", "1.0", "1.3", folder=folder))
    assert data["overall"] == "broken"
    dimensions = by_id(data)
    assert dimensions["culture-and-people"]["note"] == "added"
    assert dimensions["culture"]["note"] == "removed"
    assert dimensions["culture"]["comparability"] == "broken"
    assert dimensions["culture"]["j"] is None


def test_the_folder_can_come_from_the_environment(folder):
    result = compare("cx-maturity", "1.0", "1.1", env={"CXM_QUESTIONNAIRES_DIR": str(folder)})
    assert printed(result)["overall"] == "bridged"


def test_an_unknown_version_ends_with_exit_code_2(folder):
    result = compare("cx-maturity", "1.0", "9.9", folder=folder)
    assert result.exit_code == 2
    assert "9.9" in result.output and "Traceback" not in result.output
