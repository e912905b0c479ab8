"""The respondents' comments as the report prints them: by question, each within a limit.

A report must render whatever was typed (issue 8, B8): a comment longer than
COMMENT_LIMIT characters is cut at a word boundary with a visible note, and once the
section holds COMMENTS_LIMIT characters, the comments left over are counted instead of
printed. Both limits keep the report far below its render time limit; docs/reports.md
describes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxmaturity.domain.anonymity import comment_author
from cxmaturity.domain.outcome import Comment, Outcome
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.reports.text_tools import clean
from cxmaturity.reports.texts import ReportText

COMMENT_LIMIT = 1200
"""Characters of one comment printed at most."""
COMMENTS_LIMIT = 24000
"""Characters of all comments printed at most."""


@dataclass(frozen=True)
class CommentView:
    author: str
    text: str
    note: str
    """Empty, or "shortened: 1,200 of 5,000 characters shown"."""


@dataclass(frozen=True)
class CommentGroup:
    question: str
    dimension: str
    comments: tuple[CommentView, ...]


@dataclass(frozen=True)
class CommentsView:
    groups: tuple[CommentGroup, ...]
    left_out: str
    """Empty, or how many comments were not printed for lack of room."""

    def __bool__(self) -> bool:
        return bool(self.groups)


def comment_groups(outcome: Outcome, t: ReportText) -> CommentsView:
    """The outcome's comments by question; authors only as its anonymity mode allows."""
    questionnaire = outcome.questionnaire
    order = {question_id: index for index, question_id in enumerate(questionnaire.questions)}
    numbers = {person.name: number for number, person in enumerate(outcome.respondents, 1)}
    ordered = sorted(
        (c for c in outcome.comments if clean(c.text).strip()),
        key=lambda c: order.get(c.question_id, len(order)),
    )
    groups: dict[str, list[CommentView]] = {}
    room, left_out = COMMENTS_LIMIT, 0
    for comment in ordered:
        if room <= 0:
            left_out += 1
            continue
        author = clean(comment_author(outcome, comment, numbers.get(comment.respondent)))
        view = _comment(comment, author.strip(), min(COMMENT_LIMIT, room), t)
        room -= len(view.text)
        groups.setdefault(comment.question_id, []).append(view)
    note = ""
    if left_out:
        note = t.ngettext(
            "%(num)s more comment is not printed: the report has room for %(limit)s characters "
            "of comments.",
            "%(num)s more comments are not printed: the report has room for %(limit)s "
            "characters of comments.",
            left_out,
            limit=t.count(COMMENTS_LIMIT),
        )
    return CommentsView(
        tuple(
            _group(questionnaire, question_id, found, t) for question_id, found in groups.items()
        ),
        note,
    )


def _comment(comment: Comment, author: str, limit: int, t: ReportText) -> CommentView:
    text = clean(comment.text).strip()
    if len(text) <= limit:
        return CommentView(author, text, "")
    cut = text[:limit]
    # At a word boundary where there is one near the end, so no word is cut in half.
    if " " in cut[limit * 3 // 4 :]:
        cut = cut[: cut.rindex(" ")]
    note = t.gettext(
        "shortened: %(shown)s of %(total)s characters shown",
        shown=t.count(len(cut)),
        total=t.count(len(text)),
    )
    return CommentView(author, cut.rstrip() + " …", note)


def _group(
    questionnaire: Questionnaire, question_id: str, comments: list[CommentView], t: ReportText
) -> CommentGroup:
    if question_id not in questionnaire.questions:
        return CommentGroup(clean(question_id), "", tuple(comments))
    question = questionnaire.questions[question_id]
    dimension = next(
        d for d in questionnaire.dimensions if any(q.id == question_id for q in d.questions)
    )
    return CommentGroup(
        question=clean(question.text.get(t.language)),
        dimension=clean(dimension.title.get(t.language)),
        comments=tuple(comments),
    )
