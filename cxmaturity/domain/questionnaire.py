"""The questionnaire model: levels, dimensions, questions and next steps.

Models are immutable. Numbers that take part in scoring (weights, thresholds)
are `Fraction`s parsed from their decimal text, so "1.8" is exactly 9/5.
Structural rules live here as validators; rules that span the whole file
(unique ids across dimensions) live in `loader.py`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from fractions import Fraction
from functools import cached_property
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    RootModel,
    field_validator,
)

LEVELS = (1, 2, 3, 4, 5)
ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
VERSION_PATTERN = re.compile(r"^\d+(?:\.\d+)*$")
DECIMAL_PATTERN = re.compile(r"^\d+(?:\.\d+)?$")


def _parse_decimal(value: object) -> Fraction:
    # Authors write weights as decimal text; anything else (a float from
    # another loader, "1e3", "1/3") is refused rather than guessed at.
    if not isinstance(value, str) or not DECIMAL_PATTERN.match(value.strip()):
        raise ValueError(f"must be a decimal number such as 1 or 1.5, not {value!r}")
    return Fraction(value.strip())


def _parse_positive_decimal(value: object) -> Fraction:
    if isinstance(value, str) and value.strip().startswith("-"):
        raise ValueError(f"must be greater than 0, not {value!r}")
    number = _parse_decimal(value)
    if number <= 0:
        raise ValueError(f"must be greater than 0, not {value!r}")
    return number


def _parse_boolean(value: object) -> bool:
    # YAML 1.1 reads yes/no/on/off as booleans; we accept only the two words
    # that cannot be mistaken for text.
    if value in ("true", True):
        return True
    if value in ("false", False):
        return False
    raise ValueError(f"must be true or false, not {value!r}")


def _parse_level(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip() in {str(level) for level in LEVELS}:
        number = int(value)
    else:
        raise ValueError(f"must be a level from 1 to 5, not {value!r}")
    if number not in LEVELS:
        raise ValueError(f"must be a level from 1 to 5, not {value!r}")
    return number


def _require_text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


Decimal = Annotated[Fraction, PlainValidator(_parse_decimal)]
PositiveDecimal = Annotated[Fraction, PlainValidator(_parse_positive_decimal)]
Boolean = Annotated[bool, PlainValidator(_parse_boolean)]
LevelNumber = Annotated[int, PlainValidator(_parse_level)]
Text = Annotated[str, BeforeValidator(_require_text)]


def _require_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(
            f"'{value}' is not a valid id: use lowercase letters, digits, '-' or '_', "
            "starting with a letter"
        )
    return value


Identifier = Annotated[str, BeforeValidator(_require_text), AfterValidator(_require_id)]

_FROZEN = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class _Model(BaseModel):
    model_config = _FROZEN


class LocalizedText(RootModel[dict[str, Text]]):
    """One text in several languages; which languages is checked by the loader."""

    model_config = ConfigDict(frozen=True)

    @property
    def languages(self) -> set[str]:
        return set(self.root)

    def get(self, language: str) -> str:
        """The text in `language`, or in the first language the file gives."""
        return self.root.get(language) or next(iter(self.root.values()))


class Level(_Model):
    level: LevelNumber
    key: Identifier
    name: LocalizedText
    description: LocalizedText
    threshold: Decimal


class AnswerOption(_Model):
    level: LevelNumber
    text: LocalizedText


class Question(_Model):
    id: Identifier
    text: LocalizedText
    short: LocalizedText | None = None
    """A label of a word or two for tables and reports, such as "Budget"."""
    help: LocalizedText | None = None
    weight: PositiveDecimal = Fraction(1)
    allow_na: Boolean = False
    options: tuple[AnswerOption, ...]

    @field_validator("options")
    @classmethod
    def _one_option_per_level(cls, options: tuple[AnswerOption, ...]) -> tuple[AnswerOption, ...]:
        levels = [option.level for option in options]
        if len(options) != len(LEVELS) or sorted(levels) != list(LEVELS):
            raise ValueError(
                f"needs exactly five options, one per level 1–5; found levels {levels}"
            )
        return tuple(sorted(options, key=lambda option: option.level))

    def option(self, level: int) -> AnswerOption:
        return self.options[level - 1]


class Dimension(_Model):
    id: Identifier
    title: LocalizedText
    description: LocalizedText
    weight: PositiveDecimal = Fraction(1)
    questions: tuple[Question, ...]
    recommendations: dict[LevelNumber, tuple[LocalizedText, ...]]

    @field_validator("questions")
    @classmethod
    def _at_least_one_question(cls, questions: tuple[Question, ...]) -> tuple[Question, ...]:
        if not questions:
            raise ValueError("needs at least one question")
        return questions

    @field_validator("recommendations")
    @classmethod
    def _steps_for_every_level(
        cls, recommendations: dict[int, tuple[LocalizedText, ...]]
    ) -> dict[int, tuple[LocalizedText, ...]]:
        missing = [level for level in LEVELS if not recommendations.get(level)]
        if missing:
            raise ValueError(f"needs at least one next step for every level; none for {missing}")
        return dict(sorted(recommendations.items()))

    @cached_property
    def question_weight(self) -> Fraction:
        return sum((question.weight for question in self.questions), Fraction(0))


class Questionnaire(_Model):
    id: Identifier
    version: str
    languages: tuple[str, ...]
    title: LocalizedText
    description: LocalizedText
    cap_above_weakest: Annotated[int, BeforeValidator(lambda v: _parse_cap(v))] | None = None
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]

    @field_validator("version")
    @classmethod
    def _dotted_version(cls, version: str) -> str:
        if not VERSION_PATTERN.match(version):
            raise ValueError(f"must be a dotted version such as 1.0 or 2.10, not {version!r}")
        return version

    @field_validator("dimensions")
    @classmethod
    def _at_least_one_dimension(cls, dimensions: tuple[Dimension, ...]) -> tuple[Dimension, ...]:
        if not dimensions:
            raise ValueError("needs at least one dimension")
        return dimensions

    @field_validator("languages")
    @classmethod
    def _distinct_languages(cls, languages: tuple[str, ...]) -> tuple[str, ...]:
        if not languages:
            raise ValueError("needs at least one language, e.g. [de, en]")
        if len(set(languages)) != len(languages):
            raise ValueError(f"lists a language twice: {list(languages)}")
        for language in languages:
            if not re.fullmatch(r"[a-z]{2}", language):
                raise ValueError(f"'{language}' is not a two-letter language code")
        return languages

    @field_validator("levels")
    @classmethod
    def _five_increasing_levels(cls, levels: tuple[Level, ...]) -> tuple[Level, ...]:
        numbers = [level.level for level in levels]
        if numbers != list(LEVELS):
            raise ValueError(f"needs the five levels 1, 2, 3, 4, 5 in order; found {numbers}")
        thresholds = [level.threshold for level in levels]
        if thresholds[0] != 1:
            raise ValueError("the threshold of level 1 must be 1, the lowest possible score")
        if any(low >= high for low, high in itertools.pairwise(thresholds)):
            shown = [str(float(threshold)) for threshold in thresholds]
            raise ValueError(f"thresholds must increase from level to level; found {shown}")
        if thresholds[-1] > 5:
            raise ValueError("the threshold of level 5 must be at most 5, the highest score")
        return levels

    @property
    def version_key(self) -> tuple[int, ...]:
        """Sort key that orders 1.10 after 1.9."""
        return tuple(int(part) for part in self.version.split("."))

    def level(self, number: int) -> Level:
        return self.levels[number - 1]

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)

    @cached_property
    def content_digest(self) -> str:
        """SHA-256 of the whole content: equal digests mean an identical questionnaire."""
        # str() of a Fraction is exact; pydantic cannot serialise the type itself.
        dumped = json.dumps(self.model_dump(warnings=False), sort_keys=True, default=str)
        return hashlib.sha256(dumped.encode()).hexdigest()

    @cached_property
    def questions(self) -> dict[str, Question]:
        """Every question by id, in questionnaire order."""
        return {q.id: q for dimension in self.dimensions for q in dimension.questions}


def _parse_cap(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ValueError(f"must be a whole number such as 1 (leave it out for no cap), not {value!r}")
