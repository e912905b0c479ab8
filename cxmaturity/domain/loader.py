"""Load and validate questionnaire files, and keep the versions in a catalogue.

Every problem is reported as a `QuestionnaireError` naming the file, the place
in it (`dimensions[2].questions[4].options`), its line and what is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from cxmaturity.domain.questionnaire import LocalizedText, Questionnaire
from cxmaturity.domain.strict_yaml import StrictYamlError, YamlDocument, format_place, read_yaml

# The cx-maturity file is about 150 KB; every worker loads the whole folder at start.
MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    place: str
    problem: str
    line: int | None = None

    def describe(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.place}: {self.problem}"


class QuestionnaireError(ValueError):
    """A questionnaire file was refused; `problems` lists every reason found."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(problem.describe(source) for problem in problems))


def load_questionnaire(path: str | Path) -> Questionnaire:
    path = Path(path)
    try:
        # At most one byte past the limit is read, whatever the file's size.
        with path.open("rb") as file:
            content = file.read(MAX_FILE_BYTES + 1)
            if len(content) > MAX_FILE_BYTES:
                size = max(path.stat().st_size, len(content))
                raise QuestionnaireError(str(path), [_too_large(size)])
        text = content.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QuestionnaireError(
            str(path), [Problem("(file)", f"cannot be read: {error}")]
        ) from None
    return parse_questionnaire(text, source=str(path))


def _too_large(size: int) -> Problem:
    megabytes = size / (1024 * 1024)
    return Problem(
        "(file)", f"is larger than 2 MB ({megabytes:.1f} MB); a questionnaire is far smaller"
    )


def parse_questionnaire(text: str, source: str = "<text>") -> Questionnaire:
    """The questionnaire in `text`; raises QuestionnaireError naming every problem found.

    Text over 2 MB, and any YAML anchor or alias, is refused before it is parsed.
    """
    # UTF-8 has at most 4 bytes a character: only long text needs the exact count.
    if len(text) * 4 > MAX_FILE_BYTES and len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise QuestionnaireError(source, [_too_large(len(text.encode("utf-8")))])
    try:
        document = read_yaml(text)
    except StrictYamlError as error:
        raise QuestionnaireError(
            source, [Problem(error.place, error.problem, error.line)]
        ) from None
    if not isinstance(document.data, dict):
        raise QuestionnaireError(source, [Problem("(top level)", "must be a mapping of keys")])
    try:
        questionnaire = Questionnaire.model_validate(document.data)
    except ValidationError as error:
        raise QuestionnaireError(source, list(_schema_problems(error, document))) from None
    problems = list(_whole_file_problems(questionnaire, document))
    if problems:
        raise QuestionnaireError(source, problems)
    return questionnaire


def _schema_problems(error: ValidationError, document: YamlDocument) -> Iterator[Problem]:
    for detail in error.errors(include_url=False):
        path = tuple(detail["loc"])
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "missing":
            message = "is missing"
        elif detail["type"] == "extra_forbidden":
            message = "is not a known key (check its spelling)"
        yield Problem(format_place(path), message, document.line_of(path))


def _whole_file_problems(questionnaire: Questionnaire, document: YamlDocument) -> Iterator[Problem]:
    def problem(path: tuple, message: str) -> Problem:
        return Problem(format_place(path), message, document.line_of(path))

    seen_level_keys: set[str] = set()
    for index, level in enumerate(questionnaire.levels):
        if level.key in seen_level_keys:
            yield problem(("levels", index, "key"), f"duplicate level key '{level.key}'")
        seen_level_keys.add(level.key)

    seen_dimensions: dict[str, int] = {}
    seen_questions: dict[str, str] = {}
    for d_index, dimension in enumerate(questionnaire.dimensions):
        d_path = ("dimensions", d_index)
        if dimension.id in seen_dimensions:
            first = seen_dimensions[dimension.id]
            yield problem(
                (*d_path, "id"),
                f"duplicate dimension id '{dimension.id}' (also dimensions[{first}])",
            )
        seen_dimensions.setdefault(dimension.id, d_index)
        for q_index, question in enumerate(dimension.questions):
            q_path = (*d_path, "questions", q_index)
            if question.id in seen_questions:
                yield problem(
                    (*q_path, "id"),
                    f"duplicate question id '{question.id}' "
                    f"(also at {seen_questions[question.id]})",
                )
            seen_questions.setdefault(question.id, format_place(q_path))

    for path, text in _localized_texts(questionnaire):
        missing = sorted(set(questionnaire.languages) - text.languages)
        extra = sorted(text.languages - set(questionnaire.languages))
        if missing:
            yield problem(path, f"missing translation: {', '.join(missing)}")
        if extra:
            yield problem(path, f"language not declared in 'languages': {', '.join(extra)}")


def _localized_texts(questionnaire: Questionnaire) -> Iterator[tuple[tuple, LocalizedText]]:
    """Every translatable text with its path, found by walking the models."""

    def walk(value: object, path: tuple) -> Iterator[tuple[tuple, LocalizedText]]:
        if isinstance(value, LocalizedText):
            yield path, value
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                yield from walk(getattr(value, name), (*path, name))
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                yield from walk(item, (*path, index))
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, (*path, key))

    yield from walk(questionnaire, ())


class QuestionnaireMissing(LookupError):
    """The catalogue has no questionnaire `questionnaire_id` (at `version`, if given).

    A stored assessment keeps the id and version it was answered with: when
    that file has been removed, its pages say so (DESIGN §2) instead of failing.
    """

    def __init__(self, questionnaire_id: str, version: str | None = None) -> None:
        self.questionnaire_id = questionnaire_id
        self.version = version
        if version is None:
            super().__init__(f"questionnaire '{questionnaire_id}' is not known")
        else:
            super().__init__(f"questionnaire '{questionnaire_id}' version '{version}' is not known")


class Catalogue:
    """The questionnaires known to the application, every version of each."""

    def __init__(self, questionnaires: Iterable[Questionnaire]) -> None:
        self._by_key: dict[tuple[str, str], Questionnaire] = {}
        for questionnaire in questionnaires:
            self._by_key[(questionnaire.id, questionnaire.version)] = questionnaire

    @classmethod
    def from_directory(cls, directory: str | Path) -> Catalogue:
        """Load every `*.yaml` and `*.yml` in `directory`; one invalid file refuses them all."""
        files = sorted([*Path(directory).glob("*.yaml"), *Path(directory).glob("*.yml")])
        loaded: dict[tuple[str, str], Path] = {}
        questionnaires = []
        for path in files:
            questionnaire = load_questionnaire(path)
            key = (questionnaire.id, questionnaire.version)
            if key in loaded:
                # Usually a copied file whose version was not raised.
                problem = Problem(
                    "version", f"'{key[0]}' version {key[1]} is also defined in {loaded[key]}"
                )
                raise QuestionnaireError(str(path), [problem])
            loaded[key] = path
            questionnaires.append(questionnaire)
        return cls(questionnaires)

    def get(self, questionnaire_id: str, version: str | None = None) -> Questionnaire:
        """A version of a questionnaire, or its newest when `version` is None.

        Raises QuestionnaireMissing (a LookupError) when there is none.
        """
        if version is not None:
            try:
                return self._by_key[(questionnaire_id, version)]
            except KeyError:
                raise QuestionnaireMissing(questionnaire_id, version) from None
        versions = [q for (qid, _), q in self._by_key.items() if qid == questionnaire_id]
        if not versions:
            raise QuestionnaireMissing(questionnaire_id)
        return max(versions, key=lambda questionnaire: questionnaire.version_key)

    def __iter__(self) -> Iterator[Questionnaire]:
        return iter(sorted(self._by_key.values(), key=lambda q: (q.id, q.version_key)))
