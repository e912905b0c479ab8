"""The questionnaire loader refuses every broken file with file, place, line and problem.

Each test starts from the valid `factories.questionnaire_data()` and breaks one
thing (DESIGN §2); where the trap is in the YAML text itself (duplicate keys,
unquoted `no` or `1.10`) the text is edited by hand.
"""

from __future__ import annotations

import itertools
import re
import tracemalloc
from fractions import Fraction

import factories
import pytest

from cxmaturity.domain.loader import (
    Catalogue,
    QuestionnaireError,
    load_questionnaire,
    parse_questionnaire,
)

SOURCE = "my-questionnaire.yaml"


class _Drop:
    """Marks a key to remove; its repr keeps test ids stable across processes."""

    def __repr__(self) -> str:
        return "<removed>"


DROP = _Drop()


def valid_text(**overrides) -> str:
    return factories.to_yaml(factories.questionnaire_data(**overrides))


def edit(text: str, old: str, new: str) -> str:
    """Replace the first `old`, failing loudly if the test's anchor has moved."""
    assert old in text, f"anchor {old!r} not in the YAML"
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    numbers = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(numbers) == 1, f"{needle!r} on lines {numbers}"
    return numbers[0]


def change(data: dict, path: str, value: object) -> dict:
    """Set (or, with DROP, delete) the value at a dotted path like 'dimensions.1.id'."""
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    key = int(last) if isinstance(target, list) else last
    if value is DROP:
        del target[key]
    else:
        target[key] = value
    return data


def refused(text: str) -> QuestionnaireError:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, source=SOURCE)
    return caught.value


def assert_reported(error: QuestionnaireError, place: str, problem: str, line: int | None = None):
    """One line of the message reads 'FILE:LINE: PLACE: ...PROBLEM...'."""
    where = f"{SOURCE}:{line}" if line else rf"{re.escape(SOURCE)}(:\d+)?"
    pattern = rf"^{where}: {re.escape(place)}: .*{re.escape(problem)}"
    assert re.search(pattern, str(error), re.MULTILINE), str(error)


# --- a valid file -------------------------------------------------------------


def test_valid_file_written_without_quotes_loads_with_exact_numbers():
    data = change(factories.questionnaire_data(), "dimensions.0.questions.0.weight", "1.5")
    # A person writes `weight: 1.5` and `allow_na: true`, not the quoted dump.
    text = re.sub(r"'([\w.]*)'", r"\1", factories.to_yaml(data))
    questionnaire = parse_questionnaire(text, source=SOURCE)

    assert (questionnaire.id, questionnaire.version) == ("test-q", "1.0")
    assert [d.id for d in questionnaire.dimensions] == ["a", "b", "c"]
    assert list(questionnaire.questions) == ["a1", "a2", "a3", "b1", "b2", "c1", "c2"]
    assert questionnaire.questions["a1"].weight == Fraction(3, 2)
    assert questionnaire.dimension("a").weight == 2
    assert questionnaire.level(2).threshold == Fraction(9, 5)
    thresholds = [level.threshold for level in questionnaire.levels]
    assert thresholds == [1, Fraction(9, 5), Fraction(13, 5), Fraction(17, 5), Fraction(21, 5)]
    assert questionnaire.cap_above_weakest == 1
    assert questionnaire.questions["a3"].allow_na is True
    assert questionnaire.questions["a1"].allow_na is False
    assert questionnaire.questions["b2"].option(4).text.get("en") == "Option 4 (en)"


def test_question_short_label_loads_in_both_languages():
    short = {"de": "Budgetplanung", "en": "Budget planning"}
    data = change(factories.questionnaire_data(), "dimensions.0.questions.1.short", short)
    questionnaire = parse_questionnaire(factories.to_yaml(data), source=SOURCE)

    short = questionnaire.questions["a2"].short
    assert (short.get("de"), short.get("en")) == ("Budgetplanung", "Budget planning")
    assert questionnaire.questions["a1"].short is None  # the key is optional


@pytest.mark.parametrize("word", ["no", "on", "yes", "off"])
def test_yaml_words_stay_text(word):
    data = change(factories.questionnaire_data(), "dimensions.1.questions.0.options.0.text.en", "X")
    text = edit(factories.to_yaml(data), "en: X\n", f"en: {word}\n")
    questionnaire = parse_questionnaire(text, source=SOURCE)
    assert questionnaire.questions["b1"].option(1).text.get("en") == word


def test_unquoted_version_1_10_stays_text_and_sorts_after_1_9(tmp_path):
    for version in ("1.2", "1.9", "1.10"):
        text = edit(valid_text(), "version: '1.0'", f"version: {version}")
        (tmp_path / f"test-q-{version}.yaml").write_text(text, encoding="utf-8")
    catalogue = Catalogue.from_directory(tmp_path)
    assert catalogue.get("test-q").version == "1.10"
    assert catalogue.get("test-q", "1.9").version == "1.9"
    assert [q.version for q in catalogue] == ["1.2", "1.9", "1.10"]


# --- one broken rule per file -------------------------------------------------

B1, B1_OPTIONS = "dimensions.1.questions.0", "dimensions[1].questions[0].options"
# (what to change, new value or DROP, words of the problem, place if not the changed path)
RULES = [
    ("dimensions.2.id", "a", "duplicate dimension id 'a' (also dimensions[0])"),
    ("dimensions.2.questions.1.id", "b1", "duplicate question id 'b1' (also at dimensions[1]."),
    ("dimensions.1.title.de", DROP, "missing translation: de", "dimensions[1].title"),
    ("levels.2.name.fr", "Niveau 3", "language not declared in 'languages': fr", "levels[2].name"),
    (f"{B1}.options.4", DROP, "one per level 1–5; found levels [1, 2, 3, 4]", B1_OPTIONS),
    (f"{B1}.options.1.level", "3", "one per level 1–5; found levels [1, 3, 3, 4, 5]", B1_OPTIONS),
    ("levels.3.level", "6", "must be a level from 1 to 5, not '6'"),
    ("levels.3.level", "3", "five levels 1, 2, 3, 4, 5 in order; found [1, 2, 3, 3, 5]", "levels"),
    ("levels.4", DROP, "five levels 1, 2, 3, 4, 5 in order; found [1, 2, 3, 4]", "levels"),
    ("levels.2.threshold", "1.8", "thresholds must increase", "levels"),
    ("levels.3.threshold", "2.5", "thresholds must increase", "levels"),
    ("levels.0.threshold", "1.2", "threshold of level 1 must be 1", "levels"),
    ("dimensions.0.questions.1.weight", "0", "must be greater than 0"),
    ("dimensions.0.questions.1.weight", "-1", "'-1'"),
    ("dimensions.1.weight", "heavy", "must be a decimal number such as 1 or 1.5, not 'heavy'"),
    ("dimensions.1.weight", "1e3", "must be a decimal number such as 1 or 1.5, not '1e3'"),
    ("dimensions.0.weigth", "2", "is not a known key (check its spelling)"),
    ("titel", factories.text("Typo"), "is not a known key"),
    ("dimensions.0.questions.0.options", DROP, "is missing"),
    ("dimensions.1.title", DROP, "is missing"),
    ("levels", DROP, "is missing"),
    ("dimensions.0.questions.0.text.en", "  ", "must not be empty"),
    ("dimensions.2.recommendations.4", DROP, "none for [4]", "dimensions[2].recommendations"),
    ("dimensions.2.recommendations.5", [], "none for [5]", "dimensions[2].recommendations"),
    ("dimensions.1.id", "Service & VoC", "'Service & VoC' is not a valid id"),
    ("dimensions.1.questions.0.id", "b 1", "'b 1' is not a valid id"),
    ("version", "v1", "must be a dotted version such as 1.0 or 2.10, not 'v1'"),
    ("version", "1.0-beta", "must be a dotted version"),
    ("cap_above_weakest", "yes", "must be a whole number"),
]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule[0]}={rule[1]!r}"[:60])
def test_broken_rule_is_refused_naming_file_place_and_problem(rule):
    path, value, problem, *place = rule
    place = place[0] if place else re.sub(r"\.(\d+)", r"[\1]", path)
    error = refused(factories.to_yaml(change(factories.questionnaire_data(), path, value)))
    assert_reported(error, place, problem)
    assert re.match(rf"{re.escape(SOURCE)}:\d+: ", str(error)), "the line is given"


def test_bad_values_are_reported_on_their_own_lines():
    data = change(factories.questionnaire_data(), "dimensions.0.weight", "-2")
    change(data, "dimensions.0.questions.2.weight", "0.0")
    text = factories.to_yaml(data)
    error = refused(text)
    assert_reported(error, "dimensions[0].weight", "'-2'", line_of(text, "weight: '-2'"))
    assert_reported(
        error, "dimensions[0].questions[2].weight", "greater than 0", line_of(text, "weight: '0.0'")
    )


@pytest.mark.parametrize(
    ("first", "duplicate", "place"),
    [
        ("id: test-q", "id: other-q", "id"),
        ("    allow_na: 'true'", "    allow_na: false", "dimensions[0].questions[2].allow_na"),
        ("    en: Dimension b (en)", "    en: Dimension B", "dimensions[1].title.en"),
    ],
    ids=["top-level", "question", "translation"],
)
def test_duplicate_key_is_refused_not_silently_overwritten(first, duplicate, place):
    text = edit(valid_text(), first + "\n", f"{first}\n{duplicate}\n")
    [problem] = refused(text).problems
    assert problem.place == place
    key = place.rsplit(".", 1)[-1]
    assert problem.problem == f"duplicate key '{key}' (first on line {line_of(text, first)})"
    assert problem.line == line_of(text, duplicate)


@pytest.mark.parametrize("word", ["no", "yes", "on", "True", "1"])
def test_allow_na_accepts_only_true_or_false(word):
    text = edit(valid_text(), "allow_na: 'false'", f"allow_na: {word}")
    error = refused(text)
    line = line_of(text, f"allow_na: {word}")
    assert_reported(error, "dimensions[0].questions[0].allow_na", "must be true or false", line)


@pytest.mark.parametrize("text", ["", "- id: test-q\n", "just a sentence\n"])
def test_top_level_must_be_a_mapping(text):
    assert_reported(refused(text), "(top level)", "must be a mapping of keys")


def test_invalid_yaml_is_refused_with_its_line():
    # A colon inside an unquoted text is the classic hand-written slip.
    text = edit(valid_text(), "en: Question a1 (en)", "en: Goal: agreed with the board")
    error = refused(text)
    assert_reported(error, "(file)", "not valid YAML", line=line_of(text, "Goal: agreed"))


@pytest.mark.parametrize(
    "content", [None, "id: x\nen: Geb\xe4ude\n".encode("cp1252")], ids=["missing", "not-utf-8"]
)
def test_unreadable_file_is_refused_naming_it(tmp_path, content):
    path = tmp_path / "questionnaire.yaml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    assert str(caught.value).startswith(f"{path}: (file): cannot be read")


def test_several_problems_are_reported_at_once():
    data = factories.questionnaire_data()
    change(data, "dimensions.1.questions.0.weight", "0")
    change(data, "dimensions.0.questions.2.alow_na", "true")
    change(data, "dimensions.0.questions.1.options", DROP)
    error = refused(factories.to_yaml(data))
    assert len(error.problems) == 3, str(error)
    assert_reported(error, "dimensions[1].questions[0].weight", "greater than 0")
    assert_reported(error, "dimensions[0].questions[2].alow_na", "not a known key")
    assert_reported(error, "dimensions[0].questions[1].options", "is missing")


def test_catalogue_refuses_a_folder_with_one_invalid_file(tmp_path):
    (tmp_path / "good.yaml").write_text(valid_text(), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(valid_text(version="1.1", levels=[]), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        Catalogue.from_directory(tmp_path)
    assert caught.value.source == str(bad)
    assert str(caught.value).startswith(f"{bad}:")


# --- known loader bugs (see the report) --------------------------------------


def test_missing_translation_in_a_next_step_is_reported_on_its_line():
    data = change(factories.questionnaire_data(), "dimensions.0.recommendations.2.1.en", DROP)
    text = factories.to_yaml(data)
    [problem] = refused(text).problems
    assert problem.problem == "missing translation: en"
    assert problem.line == line_of(text, "de: a step 2.2 (de)")


def test_questions_that_all_have_errors_are_not_reported_as_no_questions():
    data = change(factories.questionnaire_data(), "dimensions.1.questions.0.weight", "0")
    change(data, "dimensions.1.questions.1.weight", "0")
    error = refused(factories.to_yaml(data))
    assert [problem.place for problem in error.problems] == [
        "dimensions[1].questions[0].weight",
        "dimensions[1].questions[1].weight",
    ], str(error)


def test_duplicate_level_key_is_refused():
    data = change(factories.questionnaire_data(), "levels.1.key", "initial")
    assert_reported(refused(factories.to_yaml(data)), "levels[1].key", "duplicate")


def test_catalogue_refuses_two_files_with_the_same_id_and_version(tmp_path):
    (tmp_path / "a.yaml").write_text(valid_text(), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(valid_text(title=factories.text("Copy")), encoding="utf-8")
    with pytest.raises(ValueError, match="test-q"):
        Catalogue.from_directory(tmp_path)


# --- the shipped cx-maturity questionnaire (DESIGN §3) -------------------------


def test_cx_maturity_questionnaire_meets_the_content_rules():
    if not factories.CX_MATURITY_FILE.exists():
        pytest.skip("questionnaires/cx-maturity.yaml is not written yet")
    questionnaire = load_questionnaire(factories.CX_MATURITY_FILE)

    assert questionnaire.id == "cx-maturity"
    assert set(questionnaire.languages) == {"de", "en"}  # the loader checks every text has both
    names = ["Initial", "Development", "Definition", "Managed", "Optimized"]
    assert [level.name.get("en") for level in questionnaire.levels] == names
    names = ["Initial", "Entwicklung", "Definition", "Managed", "Optimiert"]
    assert [level.name.get("de") for level in questionnaire.levels] == names
    assert [level.threshold for level in questionnaire.levels] == [
        Fraction(t) for t in ("1.0", "1.8", "2.6", "3.4", "4.2")
    ]
    assert questionnaire.cap_above_weakest == 1
    assert len(questionnaire.dimensions) == 8
    assert len(questionnaire.questions) >= 35
    for dimension in questionnaire.dimensions:
        assert len(dimension.questions) >= 4, dimension.id
        for question in dimension.questions:
            assert [option.level for option in question.options] == [1, 2, 3, 4, 5], question.id
        for level in (1, 2, 3, 4, 5):
            assert len(dimension.recommendations[level]) >= 2, (dimension.id, level)


def test_cx_maturity_questionnaire_gives_every_question_a_short_label():
    if not factories.CX_MATURITY_FILE.exists():
        pytest.skip("questionnaires/cx-maturity.yaml is not written yet")
    questionnaire = load_questionnaire(factories.CX_MATURITY_FILE)

    for dimension in questionnaire.dimensions:
        for language in questionnaire.languages:
            labels = []
            for question in dimension.questions:
                assert question.short is not None, question.id
                label = question.short.get(language)
                assert 0 < len(label) <= 22, (question.id, language, label)
                labels.append(label)
            assert len(set(labels)) == len(labels), (dimension.id, language, labels)


# --- limits checked before the YAML is parsed (DESIGN §2) -------------------


def alias_bomb(levels: int = 9) -> str:
    """'Billion laughs': each key lists the previous one nine times, 9**9 strings in all."""
    names = [f"k{level}" for level in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [{', '.join(['lol'] * 9)}]"]
    for before, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]")
    return "\n".join([*lines, "id: test-q"])


ALIAS_BOMB = alias_bomb()


def peak_memory_of(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_alias_bomb_is_refused_before_it_is_expanded():
    def load():
        with pytest.raises(QuestionnaireError) as caught:
            parse_questionnaire(ALIAS_BOMB, source=SOURCE)
        assert_reported(caught.value, "k0", "anchors and aliases", line=1)

    # Expanded, the nine levels of nine would be 387 million strings.
    assert peak_memory_of(load) < 2_000_000


def test_an_alias_is_refused_naming_its_line():
    text = edit(valid_text(), "  de: Test questionnaire (de)", "  de: &title Titel")
    text = edit(text, "  de: For tests", "  de: *title")
    error = refused(text)
    assert_reported(error, "title.de", "anchors and aliases", line=line_of(text, "&title"))


def test_a_file_over_two_megabytes_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.yaml"
    # Valid YAML throughout, so only the size can refuse it.
    comment = "# " + "x" * 98 + "\n"
    path.write_text(valid_text() + comment * 500_000, encoding="utf-8")  # 50 MB

    def load():
        with pytest.raises(QuestionnaireError) as caught:
            load_questionnaire(path)
        assert str(caught.value) == (
            f"{path}: (file): is larger than 2 MB (48.2 MB); a questionnaire is far smaller"
        )

    assert peak_memory_of(load) < 8_000_000


def test_a_file_of_exactly_two_megabytes_is_read(tmp_path):
    path = tmp_path / "large.yaml"
    text = valid_text()
    path.write_text(text + "#" * (2 * 1024 * 1024 - len(text.encode()) - 1) + "\n")
    assert path.stat().st_size == 2 * 1024 * 1024
    assert load_questionnaire(path).id == "test-q"


def test_text_over_two_megabytes_is_refused_before_parsing():
    error = refused(valid_text() + "#" * (2 * 1024 * 1024) + "\n")
    assert_reported(error, "(file)", "is larger than 2 MB")
