"""The columns of the seven export tables (DESIGN §9), in order, with their usual widths.

Column names are stable machine names, the same in every language: scripts read them.
docs/exports.md says what each holds.
"""

from __future__ import annotations

from cxmaturity.exports.tabular import Column

C = Column
_ASSESSMENT = (C("assessment_id", 8), C("client_id", 8), C("client", 28), C("period", 9))
_QUESTIONNAIRE = (C("questionnaire", 14), C("version", 8))
COLUMNS: dict[str, tuple[Column, ...]] = {
    "assessments": (
        *_ASSESSMENT,
        C("industry", 14),
        C("size", 10),
        *_QUESTIONNAIRE,
        C("status", 9),
        C("anonymity", 12),
        C("due_date", 11),
        C("opened_at", 19),
        C("closed_at", 19),
        C("invited", 8),
        C("submitted", 9),
        C("overall_score", 13),
        C("overall_score_shown", 10),
        C("overall_level", 8),
        C("capped", 8),
        C("overall_change", 9),
        C("overall_comparability", 10),
    ),
    "dimension_scores": (
        *_ASSESSMENT,
        *_QUESTIONNAIRE,
        C("status", 9),
        C("dimension", 16),
        C("score", 13),
        C("score_shown", 8),
        C("level", 6),
        C("respondents", 8),
        C("spread", 7),
        C("disagreement", 8),
        C("comparability", 10),
        C("change", 8),
        C("like_for_like_change", 8),
        C("stable_panel_change", 8),
    ),
    # The longest table by far: its client, period and questionnaire are in the assessments
    # table (by assessment_id), which keeps a workspace's XLSX small and quick to write.
    "answers": (
        C("assessment_id", 8),
        C("client_id", 8),
        C("respondent", 24),
        C("group", 10),
        C("dimension", 16),
        C("question", 24),
        C("level", 6),
        C("not_applicable", 8),
        C("comment", 40),
    ),
    "participation": (
        *_ASSESSMENT,
        C("anonymity", 12),
        C("name", 24),
        C("email", 28),
        C("group", 10),
        C("language", 8),
        C("stage", 11),
        C("answered", 8),
        C("reminders", 8),
        C("delivery", 9),
        C("revoked", 8),
        C("expired", 8),
        C("opted_out", 8),
        C("invited_at", 19),
        C("submitted_at", 19),
    ),
    "targets": (
        C("target_id", 8),
        C("client_id", 8),
        C("client", 28),
        C("questionnaire", 14),
        C("dimension", 16),
        C("target_level", 8),
        C("due_period", 9),
        C("baseline_score", 13),
        C("baseline_score_shown", 8),
        C("baseline_period", 9),
        C("status", 10),
        C("achieved_period", 9),
        C("created_at", 19),
    ),
    "actions": (
        C("action_id", 8),
        C("client_id", 8),
        C("client", 28),
        C("questionnaire", 14),
        C("dimension", 16),
        C("question", 24),
        C("title", 40),
        C("owner", 20),
        C("due_date", 11),
        C("status", 11),
        C("source", 14),
        C("opened_period", 9),
        C("closed_period", 9),
        C("times_carried", 8),
        C("carried_unchanged", 8),
        C("effect", 13),
        C("effect_period", 9),
    ),
    "kpis": (
        C("client_id", 8),
        C("client", 28),
        C("period", 9),
        C("kpi", 14),
        C("value", 13),
        C("value_shown", 10),
        C("sample_size", 8),
        C("note", 40),
        C("updated_at", 19),
    ),
}
TABLE_NAMES = tuple(COLUMNS)
