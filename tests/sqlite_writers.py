"""A writer for a process of its own (multiprocessing "spawn" imports it by this name).

Kept out of the test modules: pytest imports those under package names that a spawned
process cannot import.
"""

from cxmaturity.domain.responses import AnswerRow
from cxmaturity.store.database import make_engine, session_factory, transaction
from cxmaturity.store.models import Respondent
from cxmaturity.store.queries import upsert_answers


def save(sessions, respondent_id, answers):
    with transaction(sessions) as session:
        # Read, then write, as a service does: on SQLite this is the pattern that
        # fails with "database is locked" unless transactions begin IMMEDIATE.
        session.get(Respondent, respondent_id)
        upsert_answers(session, respondent_id, answers)


def save_answers_in_own_process(url, respondent_id, prefix, start, rounds):
    engine = make_engine(url)
    sessions = session_factory(engine)
    start.wait()
    for number in range(rounds):
        save(sessions, respondent_id, {f"{prefix}{number}": AnswerRow(level=3)})
    engine.dispose()
