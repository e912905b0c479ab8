"""The headless contract (DESIGN §6), driven through a real subprocess."""

import json
import subprocess
import sys

import pytest
from factories import CX_MATURITY_FILE, questionnaire_data, to_yaml


@pytest.fixture
def catalogue_dir(tmp_path):
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "test-q.yaml").write_text(to_yaml(questionnaire_data()), encoding="utf-8")
    return folder


def run(*args, catalogue=None):
    env_args = ["--questionnaires", str(catalogue)] if catalogue else []
    return subprocess.run(
        [sys.executable, "-m", "cxmaturity.cli", *env_args, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def write_answers(tmp_path, respondents, **fields):
    document = {"questionnaire": "test-q", "period": "2026-Q4", "respondents": respondents}
    document.update(fields)
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_check_accepts_a_valid_file_and_names_what_it_found(catalogue_dir):
    result = run("questionnaire", "check", str(catalogue_dir / "test-q.yaml"))
    assert result.returncode == 0, result.stderr
    assert "test-q 1.0, 3 dimensions, 7 questions" in result.stdout


def test_check_refuses_a_broken_file_with_file_place_and_problem(tmp_path):
    broken = questionnaire_data()
    broken["dimensions"][1]["questions"][0]["options"].pop()
    path = tmp_path / "broken.yaml"
    path.write_text(to_yaml(broken), encoding="utf-8")
    result = run("questionnaire", "check", str(path))
    assert result.returncode == 2
    assert str(path) in result.stderr
    assert "dimensions[1].questions[0].options" in result.stderr
    assert "five options" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_prints_the_questionnaire_as_json_in_the_chosen_language(catalogue_dir):
    result = run("questionnaire", "show", "test-q", "--lang", "de", catalogue=catalogue_dir)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["id"] == "test-q" and shown["version"] == "1.0"
    assert shown["cap_above_weakest"] == 1
    assert shown["levels"][1] == {
        "level": 2,
        "key": "development",
        "name": "Level 2 (de)",
        "threshold": 1.8,
    }
    first = shown["dimensions"][0]
    assert (first["id"], first["title"], first["weight"]) == ("a", "Dimension a (de)", 2.0)
    assert first["questions"][2] == {
        "id": "a3",
        "text": "Question a3 (de)",
        "weight": 2.0,
        "allow_na": True,
    }
    assert sorted(first["recommendations"]) == ["1", "2", "3", "4", "5"]
    assert first["recommendations"]["5"] == ["a step 5.1 (de)", "a step 5.2 (de)"]


def test_show_unknown_questionnaire_is_one_line_and_exit_2(catalogue_dir):
    result = run("questionnaire", "show", "nope", catalogue=catalogue_dir)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: questionnaire 'nope' is not known"


def test_score_prints_the_contract_json(catalogue_dir, tmp_path):
    answers = write_answers(
        tmp_path,
        [
            {"name": "CEO", "answers": {"a1": 1, "a2": 2, "a3": 2, "b1": 3, "b2": 4}},
            {"name": "CMO", "answers": {"a1": 4, "a2": 4, "a3": 5, "b1": 1, "b2": None}},
        ],
    )
    result = run("score", str(answers), catalogue=catalogue_dir)
    assert result.returncode == 0, result.stderr
    # a: CEO (1+2+4)/4 = 1.75, CMO (4+4+10)/4 = 4.5 -> 3.125, spread 2.75
    # b: CEO 3.5, CMO 1 (weight 1 of 2) -> 2.25, spread 2.5; c: not scored
    # overall (2 * 3.125 + 2.25) / 3 = 2.8333 -> level 3; weakest b level 2: no cap
    assert json.loads(result.stdout) == {
        "questionnaire": {"id": "test-q", "version": "1.0"},
        "overall": {"score": 2.83, "level": 3, "level_key": "definition", "capped": False},
        "dimensions": [
            {
                "id": "a",
                "score": 3.13,
                "level": 3,
                "respondents": 2,
                "spread": 2.75,
                "disagreement": True,
            },
            {
                "id": "b",
                "score": 2.25,
                "level": 2,
                "respondents": 2,
                "spread": 2.5,
                "disagreement": True,
            },
            {
                "id": "c",
                "score": None,
                "level": None,
                "respondents": 0,
                "spread": None,
                "disagreement": False,
            },
        ],
        "priorities": ["b", "a"],
    }


def test_score_with_nothing_scored_has_null_overall(catalogue_dir, tmp_path):
    answers = write_answers(tmp_path, [{"name": "CEO", "answers": {"a1": None}}])
    result = run("score", str(answers), catalogue=catalogue_dir)
    overall = json.loads(result.stdout)["overall"]
    assert overall == {"score": None, "level": None, "level_key": None, "capped": False}


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("true", "true"),
        ('"3"', '"3"'),
        ("2.5", "2.5"),
        ("3.0", "3.0"),
        ("0", "0"),
        ("6", "6"),
        ("-1", "-1"),
        ("[3]", "[3]"),
    ],
)
def test_score_refuses_a_value_that_is_not_a_level(catalogue_dir, tmp_path, value, shown):
    path = tmp_path / "answers.json"
    path.write_text(
        '{"questionnaire": "test-q", "respondents": [{"name": "Anna", "answers": '
        f'{{"a1": 2, "b2": {value}}}}}]}}',
        encoding="utf-8",
    )
    result = run("score", str(path), catalogue=catalogue_dir)
    assert result.returncode == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "respondent 'Anna'" in message and "question 'b2'" in message
    assert shown in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '{"questionnaire": "test-q", "respondents": [{"name": "Ben", "answers": {"zz9": 3}}]}',
            "question 'zz9': unknown question id",
        ),
        ('{"questionnaire": "test-q", "respondents": [', "not valid JSON"),
        ("", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"questionnaire": "other", "respondents": []}', "questionnaire 'other' is not known"),
        ('{"questionnaire": "test-q", "version": "9.9", "respondents": []}', "version '9.9'"),
        ('{"questionnaire": "test-q"}', "'respondents' must be a list"),
        (
            '{"questionnaire": "test-q", "respondents": [{"answers": {"a1": 1, "a1": 2}}]}',
            "appears twice",
        ),
        ('{"questionnaire": "test-q", "period": "Q4", "respondents": []}', "period"),
        ('{"questionnaire": "test-q", "respondents": [7]}', "respondents[0]"),
        ("[" * 100000 + "]" * 100000, "answers.json"),
        (
            '{"questionnaire": "test-q", "previous": {}, "respondents": []}',
            "the answers file: unknown key 'previous'",
        ),
        (
            '{"questionnaire": "test-q", "respondents": [{"name": "Ben", "answers": {},'
            ' "comment": {"a1": "x"}}]}',
            "respondents[0]: unknown key 'comment'",
        ),
        (
            '{"questionnaire": "test-q", "respondents": [{"name": "Ben", "answers": {},'
            ' "comments": {"zz9": "x"}}]}',
            "question 'zz9': unknown question id",
        ),
        (
            '{"questionnaire": "test-q", "respondents": [{"name": "Ben", "answers": {},'
            ' "comments": {"a1": 5}}]}',
            "comment on 'a1': must be text",
        ),
        (
            '{"questionnaire": "test-q", "respondents": [{"name": "Ben", "answers": {},'
            ' "group": "board"}]}',
            "group must be one of executive, manager, frontline, other",
        ),
    ],
)
def test_score_refuses_malformed_files_with_one_clear_line(
    catalogue_dir, tmp_path, content, expected
):
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    result = run("score", str(path), catalogue=catalogue_dir)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_score_of_a_missing_file_is_exit_2(catalogue_dir, tmp_path):
    result = run("score", str(tmp_path / "missing.json"), catalogue=catalogue_dir)
    assert result.returncode == 2
    assert "cannot be read" in result.stderr


@pytest.mark.skipif(not CX_MATURITY_FILE.exists(), reason="cx-maturity.yaml not written yet")
def test_every_question_answered_3_scores_definition_with_the_shipped_questionnaire(tmp_path):
    shown = json.loads(run("questionnaire", "show", "cx-maturity").stdout)
    question_ids = [q["id"] for d in shown["dimensions"] for q in d["questions"]]
    answers = write_answers(
        tmp_path,
        [{"name": "CEO", "answers": dict.fromkeys(question_ids, 3)}],
        questionnaire="cx-maturity",
    )
    result = json.loads(run("score", str(answers)).stdout)
    assert result["overall"] == {
        "score": 3.0,
        "level": 3,
        "level_key": "definition",
        "capped": False,
    }
    assert len(result["dimensions"]) == 8


def test_score_accepts_every_key_of_the_contract_and_ignores_none(catalogue_dir, tmp_path):
    path = write_answers(
        tmp_path,
        [
            {
                "name": "Anna",
                "email": "anna@example.org",
                "group": "executive",
                "answers": {"a1": 2, "a2": 2, "a3": 2, "b1": 4, "b2": 4},
                "comments": {"a1": "Budget fehlt."},
            }
        ],
        organization="Müller GmbH",
        version="1.0",
    )
    result = run("score", str(path), catalogue=catalogue_dir)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert [d["score"] for d in shown["dimensions"]] == [2.0, 4.0, None]
