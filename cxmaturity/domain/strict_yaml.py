"""Read YAML as plain text values, refusing the traps of YAML 1.1.

Every scalar comes back as the exact text the author wrote, so `no` stays
"no", `on` stays "on" and `1.10` stays "1.10": the questionnaire schema decides
what a value means, never the YAML resolver. A mapping that repeats a key is an
error (PyYAML would silently keep the last one). Anchors and aliases are refused
while the text is only scanned, before any node is built: expanded, a few
lines of aliases grow to gigabytes. The line of every value is recorded so
that error messages can point into the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]
# libyaml's parser where PyYAML was built with it: the same events, ten times faster.
_EVENT_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


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
    """The document in `text`; raises StrictYamlError for anything but plain YAML."""
    try:
        refuse_anchors_and_aliases(text)
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


def refuse_anchors_and_aliases(text: str) -> None:
    """Raise StrictYamlError at the first anchor (`&name`) or alias (`*name`).

    Walks the parser's events, which never expand an alias, so time and memory
    stay proportional to the text. Raises yaml.YAMLError for text that is not YAML.
    """
    containers: list[_Container] = []
    for event in yaml.parse(text, Loader=_EVENT_LOADER):
        if isinstance(event, yaml.NodeEvent):
            place = _place_of_next_value(containers)
            if event.anchor is not None:
                what = "an alias" if isinstance(event, yaml.AliasEvent) else "an anchor"
                raise StrictYamlError(
                    format_place(place),
                    f"{what} ('{event.anchor}'): anchors and aliases are not allowed; "
                    "write the text out in full",
                    event.start_mark.line + 1 if event.start_mark else None,
                )
            if isinstance(event, yaml.ScalarEvent):
                _value_done(containers, event.value)
            else:
                containers.append(
                    _Container(place, is_mapping=isinstance(event, yaml.MappingStartEvent))
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            containers.pop()
            _value_done(containers, None)


@dataclass
class _Container:
    """A mapping or list being walked: where it is and which entry comes next."""

    path: Path
    is_mapping: bool
    index: int = 0
    key: str | None = None
    """In a mapping: the key whose value comes next, None while a key is expected."""


def _place_of_next_value(containers: list[_Container]) -> Path:
    if not containers:
        return ()
    container = containers[-1]
    if not container.is_mapping:
        return (*container.path, container.index)
    if container.key is None:
        return container.path  # the key itself: its mapping is the nearest place
    return (*container.path, container.key)


def _value_done(containers: list[_Container], scalar: str | None) -> None:
    if not containers:
        return
    container = containers[-1]
    if not container.is_mapping:
        container.index += 1
    elif container.key is None:
        # A key that is not plain text is refused later, when the nodes are built.
        container.key = scalar if scalar is not None else "?"
    else:
        container.key = None


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
