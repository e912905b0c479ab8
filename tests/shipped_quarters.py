"""Two quarters of one client on the shipped files (issue 13): 2026-Q4 on 1.0, 2027-Q1 on 1.1.

In each dimension 1.1 changed exactly one question's fingerprint or added one question
(`CHANGED_IN_1_1`), so every dimension is bridged. Anna and Ben answer both times (by
email). In 2026-Q4 both answer 2 everywhere (every dimension 2.0). In 2027-Q1 both answer
3 everywhere except the changed or added question, which they answer 5:

- like for like (the unchanged questions only): 2 → 3, +1.0 in every dimension;
- the change with the changed question, by the dimension's question weights, e.g.
  strategy (cem-strategy weighs 2): (2·3 + 3 + 5 + 3 + 3) / 6 = 10/3, +1.33 (shown +1.3);
  touchpoints (inventory weighs 2, six questions in 1.1): (2·3 + 3·4 + 5) / 7 = 23/7, +1.29.
"""

from __future__ import annotations

from factories import CX_MATURITY_1_1_FILE, CX_MATURITY_FILE

from cxmaturity.domain.loader import Catalogue, load_questionnaire

ORGANIZATION = "Alpha AG"
THEN, NOW = "2026-Q4", "2027-Q1"
PEOPLE = ("Anna", "Ben")
CHANGED_IN_1_1 = {
    "strategy": "strategy-sponsorship",
    "customer-understanding": "customer-understanding-journey-maps",
    "touchpoints": "touchpoints-experience-design",  # added
    "measurement": "measurement-digital-analytics",
    "data-technology": "data-technology-ai-chatbots",
    "personalization": "personalization-boundaries",  # may now be "not applicable"
    "service-voc": "service-voc-frontline-empowerment",  # added
    "culture": "culture-customer-centricity",
}
# Score now and change per dimension, worked out by hand from the question weights.
CHANGE = {
    "strategy": ("10/3", 1.33),  # (2·3 + 3 + 5 + 3 + 3) / 6
    "customer-understanding": ("11/3", 1.67),  # (3 + 2·5 + 3 + 3 + 3) / 6
    "touchpoints": ("23/7", 1.29),  # (2·3 + 3 + 3 + 3 + 5 + 3) / 7
    "measurement": ("10/3", 1.33),  # (2·3 + 3 + 3 + 5 + 3) / 6
    "data-technology": ("10/3", 1.33),  # (3 + 2·3 + 3 + 3 + 5) / 6
    "personalization": ("25/7", 1.57),  # (2·3 + 2·5 + 3 + 3 + 3) / 7
    "service-voc": ("13/4", 1.25),  # (2·3 + 3 + 3 + 5 + 3 + 2·3) / 8
    "culture": ("11/3", 1.67),  # (2·5 + 3 + 3 + 3 + 3) / 6
}


def shipped_catalogue() -> Catalogue:
    """The two shipped versions, as the app loads them from questionnaires/."""
    return Catalogue(
        [load_questionnaire(CX_MATURITY_FILE), load_questionnaire(CX_MATURITY_1_1_FILE)]
    )


def _respondents(answers: dict[str, int]) -> list[dict]:
    return [
        {"name": name, "email": f"{name.lower()}@example.com", "group": "manager",
         "answers": answers}
        for name in PEOPLE
    ]  # fmt: skip


def documents(catalogue: Catalogue) -> tuple[dict, dict]:
    """The answers files (DESIGN §6) of 2026-Q4 (version 1.0) and 2027-Q1 (version 1.1)."""
    before = catalogue.get("cx-maturity", "1.0").questions
    after = catalogue.get("cx-maturity", "1.1").questions
    changed = set(CHANGED_IN_1_1.values())
    then = {
        "questionnaire": "cx-maturity",
        "version": "1.0",
        "organization": ORGANIZATION,
        "period": THEN,
        "respondents": _respondents(dict.fromkeys(before, 2)),
    }
    now = {
        "questionnaire": "cx-maturity",
        "version": "1.1",
        "organization": ORGANIZATION,
        "period": NOW,
        "respondents": _respondents({q: 5 if q in changed else 3 for q in after}),
    }
    return then, now
