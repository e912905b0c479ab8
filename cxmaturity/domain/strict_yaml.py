"""Read YAML as plain text values, refusing the traps of YAML 1.1.

Every scalar comes back as the exact text the author wrote, so `no` stays
"no", `on` stays "on" and `1.10` stays "1.10": the questionnaire schema decides
what a value means, never the YAML resolver. A mapping that repeats a key is an
error (PyYAML would silently keep the last one). The line of every value is
recorded so that error messages can point into the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]


class StrictYamlError(ValueError):
    """The text is not YAML, or repeats a key. `line` is 1-based, or None."""

    def __init__(self, place: str, problem: str, line: int | None) -> None:
        super().__init__(problem)
        self.place = place
        self.problem = problem
        self.line = line


@dataclass
class YamlDocument:
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of the deepest value on `path` that exists in the file."""
        normalized = _line_key(path)
        for end in range(len(normalized), -1, -1):
            line = self.lines.get(normalized[:end])
            if line is not None:
                return line
        return None


def format_place(path: Path) -> str:
    """('dimensions', 2, 'questions') -> 'dimensions[2].questions'."""
    place = ""
    for part in path:
        if isinstance(part, int):
            place += f"[{part}]"
        else:
            place += f".{part}" if place else str(part)
    return place or "(top level)"


def read_yaml(text: str) -> YamlDocument:
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise StrictYamlError("(file)", f"not valid YAML: {error.problem}", line) from None
    except yaml.YAMLError as error:
        raise StrictYamlError("(file)", f"not valid YAML: {error}", None) from None
    document = YamlDocument(data=None)
    if root is not None:
        document.data = _convert(root, (), document.lines)
    return document


def _line_key(path: Path) -> tuple[str, ...]:
    # Validators report the mapping key "2" as the number 2; as text, a list
    # index and a key can share one form, since a path position is either.
    return tuple(str(part) for part in path)


def _convert(node: yaml.Node, path: Path, lines: dict[Path, int]) -> Any:
    lines[_line_key(path)] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, path, lines)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, index), lines) for index, item in enumerate(node.value)]
    return node.value


def _convert_mapping(node: yaml.MappingNode, path: Path, lines: dict[Path, int]) -> dict:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise StrictYamlError(format_place(path), "a key must be plain text", key_line)
        key = key_node.value
        if key in result:
            first_line = lines[_line_key((*path, key))]
            raise StrictYamlError(
                format_place((*path, key)),
                f"duplicate key '{key}' (first on line {first_line})",
                key_line,
            )
        result[key] = _convert(value_node, (*path, key), lines)
    return result
