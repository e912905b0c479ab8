"""Since last period (DESIGN §4.9–4.10): the domain's comparison against a plain reference.

The reference below is written from the design's words, on the questionnaire files' raw
data (not through the fingerprint), so that a mistake in the domain's shortcuts shows.
"""

from __future__ import annotations

import copy
import functools
import unicodedata
from fractions import Fraction

from factories import dimension, question, questionnaire_data, questionnaire_from
from hypothesis import given, settings
from hypothesis import strategies as st

from cxmaturity.domain.comparison import compare, match_panel
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.scoring import Participant, score_assessment
from cxmaturity.domain.statuses import Comparability

SAME, BRIDGED, BROKEN = Comparability.SAME, Comparability.BRIDGED, Comparability.BROKEN


def base_data() -> dict:
    return questionnaire_data(
        dimensions=[
            dimension("a", [question(f"a{n}") for n in range(1, 6)], weight="2"),
            dimension("b", [question(f"b{n}", allow_na=n == 5) for n in range(1, 6)]),
            dimension("c", [question("c1"), question("c2")]),
        ]
    )


def find_question(data: dict, question_id: str) -> tuple[dict, dict] | None:
    for dim in data["dimensions"]:
        for q in dim["questions"]:
            if q["id"] == question_id:
                return dim, q
    return None


def apply_edit(data: dict, edit: tuple[str, str]) -> None:
    kind, target = edit
    found = find_question(data, target)
    if kind == "reword" and found:
        found[1]["text"] = {lang: text + "!" for lang, text in found[1]["text"].items()}
    elif kind == "option" and found:
        found[1]["options"][2]["text"]["en"] += " (changed)"
    elif kind == "help" and found:
        found[1]["help"] = {"de": "Hilfe", "en": "Help"}
    elif kind == "short" and found:
        found[1]["short"] = {"de": "Kurz", "en": "Short"}
    elif kind == "weight" and found:
        found[1]["weight"] = "3"
    elif kind == "na" and found:
        found[1]["allow_na"] = "false" if found[1]["allow_na"] == "true" else "true"
    elif kind == "remove" and found and len(found[0]["questions"]) > 1:
        found[0]["questions"].remove(found[1])
    elif kind == "add":
        dim = next((d for d in data["dimensions"] if d["id"] == target), None)
        if dim is not None:
            dim["questions"].append(question(f"{target}-new{len(dim['questions'])}"))
    elif kind == "dimension_weight":
        for dim in data["dimensions"]:
            if dim["id"] == target:
                dim["weight"] = "3"
    elif kind == "drop_dimension" and len(data["dimensions"]) > 1:
        data["dimensions"] = [d for d in data["dimensions"] if d["id"] != target]
    elif kind == "threshold":
        data["levels"][2]["threshold"] = "2.7"
    elif kind == "cap":
        data["cap_above_weakest"] = "2"
    elif kind == "major":
        data["version"] = "2.0"
    elif kind == "minor":
        data["version"] = "1.1"


QUESTION_IDS = [f"a{n}" for n in range(1, 6)] + [f"b{n}" for n in range(1, 6)] + ["c1", "c2"]
edits = st.lists(
    st.one_of(
        st.tuples(
            st.sampled_from(["reword", "option", "help", "short", "weight", "na", "remove"]),
            st.sampled_from(QUESTION_IDS),
        ),
        st.tuples(st.just("add"), st.sampled_from(["a", "b", "c"])),
        st.tuples(st.just("dimension_weight"), st.sampled_from(["a", "b", "c"])),
        st.tuples(st.just("drop_dimension"), st.sampled_from(["b", "c"])),
        st.tuples(st.sampled_from(["threshold", "cap", "major", "minor"]), st.just("")),
    ),
    max_size=4,
)


def edited(edit_list: tuple[tuple[str, str], ...]) -> dict:
    data = base_data()
    for edit in edit_list:
        apply_edit(data, edit)
    return data


@functools.cache
def parsed(edit_list: tuple[tuple[str, str], ...]) -> Questionnaire:
    """Parsing a file takes milliseconds; the same edits come up again and again."""
    return questionnaire_from(edited(edit_list))


# --- the reference ----------------------------------------------------------------------


def answered_content(q: dict, dimension_id: str) -> tuple:
    """What a respondent answers, read off the file: all but help and short label."""
    return (
        dimension_id,
        Fraction(q["weight"]),
        q["allow_na"],
        tuple(sorted(q["text"].items())),
        tuple((o["level"], tuple(sorted(o["text"].items()))) for o in q["options"]),
    )


def questions_of(data: dict, dimension_id: str) -> dict[str, tuple]:
    dim = next(d for d in data["dimensions"] if d["id"] == dimension_id)
    return {q["id"]: answered_content(q, dimension_id) for q in dim["questions"]}


def reference_classes(then: dict, now: dict) -> tuple[dict[str, tuple], Comparability]:
    """Per dimension in both: (J, class, common question ids); and the overall class."""
    scale_same = (
        [lvl["threshold"] for lvl in then["levels"]] == [lvl["threshold"] for lvl in now["levels"]]
        and then["cap_above_weakest"] == now["cap_above_weakest"]
        and then["version"].split(".")[0] == now["version"].split(".")[0]
    )
    ids_then = [d["id"] for d in then["dimensions"]]
    ids_now = [d["id"] for d in now["dimensions"]]
    classes = {}
    for dimension_id in ids_now:
        if dimension_id not in ids_then:
            continue
        before, after = questions_of(then, dimension_id), questions_of(now, dimension_id)
        common = [qid for qid in after if qid in before and before[qid] == after[qid]]
        j = Fraction(len(common), len(set(before) | set(after)))
        if not scale_same or j < Fraction(8, 10):
            kind = BROKEN
        elif j == 1:
            kind = SAME
        else:
            kind = BRIDGED
        classes[dimension_id] = (j, kind, common)
    weights_then = {d["id"]: Fraction(d["weight"]) for d in then["dimensions"]}
    if (
        then["version"].split(".")[0] != now["version"].split(".")[0]
        or set(ids_then) != set(ids_now)
        or any(kind == BROKEN for _, kind, _ in classes.values())
    ):
        overall = BROKEN
    elif any(kind == BRIDGED for _, kind, _ in classes.values()) or any(
        weights_then[d["id"]] != Fraction(d["weight"]) for d in now["dimensions"]
    ):
        overall = BRIDGED
    else:
        overall = SAME
    return classes, overall


def plain_score(data: dict, dimension_id: str, only: list[str] | None, people) -> Fraction | None:
    """A dimension's score over `only` its listed questions (all where None), §4.2–4.3."""
    dim = next(d for d in data["dimensions"] if d["id"] == dimension_id)
    questions = [q for q in dim["questions"] if only is None or q["id"] in only]
    total = sum(Fraction(q["weight"]) for q in questions)
    scores = []
    for person in people:
        answered = [(Fraction(q["weight"]), person.answers.get(q["id"])) for q in questions]
        answered = [(w, level) for w, level in answered if level]
        weight = sum(w for w, _ in answered)
        if answered and 2 * weight >= total:
            scores.append(sum(w * level for w, level in answered) / weight)
    return sum(scores) / len(scores) if scores else None


def folded(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").strip().casefold()


def reference_matched(then, now) -> int:
    """How many people the best pairing recognises (every pairing tried)."""

    def same_email(before, after):
        return bool(folded(after.email)) and folded(after.email) == folded(before.email)

    def same_name(before, after):
        both_have_email = folded(before.email) and folded(after.email)
        return (
            not both_have_email
            and bool(folded(after.name))
            and folded(after.name) == folded(before.name)
            and after.group == before.group
        )

    best = 0

    def extend(j, used, total):
        nonlocal best
        if j == len(now):
            best = max(best, total)
            return
        extend(j + 1, used, total)
        for i, before in enumerate(then):
            if i not in used and (same_email(before, now[j]) or same_name(before, now[j])):
                extend(j + 1, used | {i}, total + 1)

    extend(0, frozenset(), 0)
    return best


# --- the properties ---------------------------------------------------------------------

levels = st.one_of(st.none(), st.integers(1, 5))
people = st.lists(
    st.builds(
        lambda name, group, email, answers: Participant(name, answers, group, email),
        st.sampled_from(["Anna", "anna ", "Ben", ""]),
        st.sampled_from(["executive", "manager", None]),
        st.sampled_from([None, "anna@example.com", "ANNA@example.com", "ben@example.com"]),
        st.fixed_dictionaries(
            {qid: levels for qid in [*QUESTION_IDS, "a-new5", "b-new5", "c-new2"]}
        ),
    ),
    max_size=4,
)


@settings(max_examples=100, deadline=None)
@given(edits, people, people)
def test_classes_changes_and_panel_follow_the_design(edit_list, then_people, now_people):
    then_data, now_data = base_data(), edited(tuple(edit_list))
    then_q, now_q = parsed(()), parsed(tuple(edit_list))

    comparison = compare(then_q, then_people, now_q, now_people, "2026-Q3")

    classes, overall = reference_classes(then_data, now_data)
    assert comparison.overall_comparability == overall
    assert {d.dimension_id for d in comparison.dimensions} == set(classes)
    matched = reference_matched(then_people, now_people)
    assert comparison.matched_respondents == matched
    pairs = list(match_panel(then_people, now_people))  # which pairs: checked above by count
    for change in comparison.dimensions:
        j, kind, common = classes[change.dimension_id]
        assert change.comparability == kind
        assert Fraction(change.question_ids - change.changed_questions, change.question_ids) == j
        before = plain_score(then_data, change.dimension_id, None, then_people)
        after = plain_score(now_data, change.dimension_id, None, now_people)
        if kind == BROKEN or before is None or after is None:
            assert change.change is None
        else:
            assert change.change == after - before
        if kind == BRIDGED:
            common_before = plain_score(then_data, change.dimension_id, common, then_people)
            common_after = plain_score(now_data, change.dimension_id, common, now_people)
            expected = (
                None
                if common_before is None or common_after is None
                else common_after - common_before
            )
            assert change.like_for_like_change == expected
        else:
            assert change.like_for_like_change is None
        own = []
        for i, j_now in pairs:
            mine_before = plain_score(then_data, change.dimension_id, None, [then_people[i]])
            mine_after = plain_score(now_data, change.dimension_id, None, [now_people[j_now]])
            if mine_before is not None and mine_after is not None:
                own.append(mine_after - mine_before)
        if kind == BROKEN or len(own) < 2:
            assert change.stable_panel_change is None
        else:
            assert change.stable_panel_change == sum(own) / len(own)
    larger = max(len(then_people), len(now_people))
    if larger:
        assert comparison.panel_overlap == Fraction(matched, larger)
        assert comparison.different_respondents == (Fraction(matched, larger) < Fraction(1, 2))
    else:
        assert comparison.panel_overlap is None
        assert not comparison.different_respondents


@settings(max_examples=60, deadline=None)
@given(people)
def test_the_same_people_answering_the_same_again_changes_nothing(group):
    chosen = parsed(())
    comparison = compare(chosen, group, chosen, group, "2026-Q3")
    assert comparison.overall_comparability == SAME
    scored = score_assessment(chosen, group).overall_score
    assert comparison.overall_change == (None if scored is None else 0)
    assert comparison.moved_questions == ()
    for change in comparison.dimensions:
        assert change.crossed == 0
        assert change.change in (None, 0)


def test_a_bridged_dimension_shows_its_like_for_like_change_by_hand():
    then_data = base_data()
    now_data = copy.deepcopy(then_data)
    apply_edit(now_data, ("reword", "a5"))  # 4 of 5 unchanged: J = 0.8, bridged
    then_q, now_q = questionnaire_from(then_data), questionnaire_from(now_data)
    before = [Participant("Anna", {"a1": 2, "a2": 2, "a3": 2, "a4": 2, "a5": 1})]
    after = [Participant("Anna", {"a1": 3, "a2": 3, "a3": 3, "a4": 3, "a5": 5})]

    change = compare(then_q, before, now_q, after, "2026-Q3").dimension("a")

    assert change is not None and change.comparability == BRIDGED
    assert (change.changed_questions, change.question_ids) == (1, 5)
    # All five: 9/5 then, 17/5 now; on a1–a4 only: 2 then, 3 now.
    assert change.change == Fraction(17, 5) - Fraction(9, 5)
    assert change.like_for_like_change == 1
    assert change.crossed == 1  # level 2 → level 4


def test_a_new_major_version_breaks_every_series_even_with_identical_questions():
    then_data = base_data()
    now_data = copy.deepcopy(then_data)
    apply_edit(now_data, ("major", ""))
    people_then = [Participant("Anna", {"a1": 2}), Participant("Ben", {"a1": 3})]
    comparison = compare(
        questionnaire_from(then_data),
        people_then,
        questionnaire_from(now_data),
        people_then,
        "2026-Q3",
    )
    assert comparison.overall_comparability == BROKEN
    assert comparison.overall_change is None
    assert all(d.comparability == BROKEN and d.change is None for d in comparison.dimensions)


def test_respondents_are_matched_by_email_before_name():
    then = [
        Participant("Anna Schmidt", {}, "manager", None),
        Participant("A. Schmidt", {}, "manager", "anna@example.com"),
    ]
    now = [Participant("Anna Schmidt", {}, "manager", "ANNA@example.com")]
    # The email pairs her with the second; the first, without an email, stays unmatched.
    assert match_panel(then, now) == ((1, 0),)


def test_questions_low_in_both_periods_and_moved_by_a_level_are_listed():
    chosen = questionnaire_from(base_data())
    before = [Participant("Anna", {"a1": 1, "a2": 2, "b1": 4}), Participant("Ben", {"a1": 2})]
    after = [Participant("Anna", {"a1": 2, "a2": 4, "b1": 2}), Participant("Ben", {"a1": 2})]

    comparison = compare(chosen, before, chosen, after, "2026-Q3")

    assert [m.question_id for m in comparison.moved_questions] == ["a2", "b1"]
    assert [m.question_id for m in comparison.low_questions] == ["a1"]


def test_a_question_mean_of_too_few_answers_is_left_out():
    chosen = questionnaire_from(base_data())
    before = [Participant("Anna", {"a1": 1})]
    after = [Participant("Anna", {"a1": 5})]
    assert compare(chosen, before, chosen, after, "2026-Q3", 3).moved_questions == ()


def test_the_bridge_holds_at_four_fifths_and_breaks_below():
    def with_questions(count: int, reworded: int) -> tuple[Questionnaire, Questionnaire]:
        data = questionnaire_data(
            dimensions=[dimension("d", [question(f"d{n}") for n in range(1, count + 1)])]
        )
        now = copy.deepcopy(data)
        for n in range(1, reworded + 1):
            apply_edit(now, ("reword", f"d{n}"))
        return questionnaire_from(data), questionnaire_from(now)

    for count, reworded, expected in ((5, 1, BRIDGED), (4, 1, BROKEN), (10, 2, BRIDGED)):
        then_q, now_q = with_questions(count, reworded)
        change = compare(then_q, [], now_q, [], "2026-Q3").dimension("d")
        assert change is not None and change.comparability == expected, (count, reworded)


def test_after_an_anonymous_period_the_panel_is_not_known_and_no_warning_is_given():
    chosen = parsed(())
    three = ("a1", "a2", "a3")
    then = [Participant("", dict.fromkeys(three, 2)), Participant("", dict.fromkeys(three, 3))]
    now = [Participant("", dict.fromkeys(three, 3)), Participant("", dict.fromkeys(three, 4))]
    comparison = compare(chosen, then, chosen, now, "2026-Q3", panel_known=False)
    assert comparison.panel_overlap is None
    assert not comparison.different_respondents
    assert all(change.stable_panel_change is None for change in comparison.dimensions)
    assert comparison.dimension("a").change == 1


def test_the_same_people_are_recognised_whatever_order_they_submitted_in():
    then = [Participant("Anna", {}, "manager"), Participant("Anna", {}, "manager", "a1@x.de")]
    now = [Participant("Anna", {}, "manager"), Participant("Anna", {}, "manager", "a2@x.de")]
    # The one without an email pairs with the one with a1; the two without pair up.
    assert len(match_panel(then, now)) == 2
    assert len(match_panel(then[::-1], now)) == 2
    assert len(match_panel(then, now[::-1])) == 2


def test_the_stable_panel_needs_two_people_with_a_score_both_times():
    chosen = parsed(())
    three = dict.fromkeys(("a1", "a2", "a3"), 2)
    then = [Participant("Anna", three), Participant("Ben", {})]
    now = [Participant("Anna", dict.fromkeys(three, 4)), Participant("Ben", three)]
    change = compare(chosen, then, chosen, now, "2026-Q3").dimension("a")
    assert change is not None and change.stable_panel_change is None
