"""Reading the data files: one pipeline and one error type for every reviewed YAML file.

:func:`load_yaml` reads a file (:func:`read_yaml`), refuses one without entries, and checks it
against its JSON Schema from :mod:`pathways.schema` (:func:`check_schema`). Every problem
raises a :class:`DataFileError` that names the file, the entry and the field, and says what is
expected; each loader passes its own subclass (:class:`~pathways.atlas.AtlasError` for the
atlas, :class:`~pathways.consult.ContentError` for the content files) and then checks what a
schema cannot (ids and citation keys that must exist, duplicates).

>>> schema = {"type": "array", "items": {"type": "object", "required": ["id", "kind"],
...           "properties": {"id": {"type": "string"},
...                          "kind": {"enum": ["nerve"], "description": "'nerve'"}}}}
>>> check_schema("nodes.yaml", [{"id": "c2", "kind": "organ"}], schema)
Traceback (most recent call last):
...
pathways.datafile.DataFileError: nodes.yaml: entry 'c2': field 'kind': 'organ' is not valid. Expected 'nerve'.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import jsonschema
import yaml

__all__ = ["DataFileError", "check_schema", "load_yaml", "read_yaml"]


class DataFileError(ValueError):
    """A malformed data file. The message names the file, the entry and the field, and says
    what is expected.

    >>> str(DataFileError("edges.yaml", "c1 -> x", "target", "unknown node 'x'", "an id from nodes.yaml"))
    "edges.yaml: entry 'c1 -> x': field 'target': unknown node 'x'. Expected an id from nodes.yaml."
    """

    def __init__(self, file: str, entry: str, field: str, problem: str, expected: str = ""):
        self.file, self.entry, self.field, self.problem, self.expected = (
            file, entry, field, problem, expected)
        message = f"{file}: entry '{entry}': field '{field}': {problem}."
        if expected:
            message += f" Expected {expected}."
        super().__init__(message)


#: libyaml's safe loader where PyYAML was built with it (Debian and PyPI wheels are), else
#: the pure-Python one. Both build only plain data (no Python objects).
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, error: type[DataFileError] = DataFileError):
    """A data file's YAML (``None`` if it is empty). A missing or unreadable file, one that is
    not UTF-8 text (saved as UTF-16 or Windows-1252, or binary data) or broken YAML raises
    ``error`` (a :class:`DataFileError` subclass) naming the file and the line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(path.name, "(file)", "(file)", f"the file is missing from {path.parent}",
                    f"a YAML file named {path.name}") from None
    except OSError as exc:  # a folder, no permission, a read error
        raise error(path.name, "(file)", "(file)", f"the file could not be read ({exc.strerror})",
                    "a readable YAML file") from None
    utf8 = "UTF-8 text (save the file as UTF-8)"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:  # another encoding (UTF-16, Windows-1252) or binary data
        saved = ("UTF-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:64]
                 else "another encoding, or not text")
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error(path.name, f"line {line}", "(encoding)",
                    f"not UTF-8: saved as {saved} (byte {exc.start})", utf8) from None
    try:  # libyaml's parser, ~10 times faster; on any problem the pure-Python one below says
        return yaml.load(text, Loader=_FAST_LOADER)  # what and where, in its fuller words
    except yaml.YAMLError:
        pass
    try:
        return yaml.safe_load(text)
    except yaml.reader.ReaderError as exc:  # control characters: binary data, not text
        line = f"line {text.count(chr(10), 0, exc.position) + 1}"
        raise error(path.name, line, "(encoding)",
                    f"character {exc.character!r} is not text (binary data?)", utf8) from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f"line {where.line + 1}" if where else "(unknown line)"
        raise error(path.name, line, "(syntax)", f"not valid YAML ({getattr(exc, 'problem', exc)})",
                    "well-formed YAML") from None


def load_yaml(path: Path, schema: Mapping, error: type[DataFileError] = DataFileError, *,
              named: frozenset | set = frozenset(), empty: str = ""):
    """The data of the YAML file at ``path``, checked against ``schema``. A file without
    entries (empty, only comments, or an empty list or mapping) raises ``error`` saying what
    is ``empty``-expected (default: the schema's ``description``); see :func:`check_schema`
    for ``named``."""
    data = read_yaml(path, error)
    if data is None or data == [] or data == {}:
        raise error(path.name, "(file)", "(file)", "the file has no entries",
                    empty or schema.get("description", ""))
    check_schema(path.name, data, schema, error, named)
    return data


def check_schema(name: str, data, schema: Mapping, error: type[DataFileError] = DataFileError,
                 named: frozenset | set = frozenset(), *,
                 locate: Callable[[object, list], tuple[str, list]] | None = None) -> None:
    """Check the data of the file ``name`` against a JSON Schema; the first problem raises
    ``error`` naming the file, the entry and the field, with what is expected (the schema's
    ``description`` at that point).

    The entry is the innermost list item that is a mapping, named by its ``id`` (or ``key``;
    an edge by its ends and relation; else ``#n``) after the sections above it, as in
    ``questions/fever``. Outside any list item, a section listed in ``named`` (one whose keys
    name entries) is an entry with its key, as in ``messages/now``; any other section is one.
    ``locate(data, path)`` replaces that naming (the lesson names a step by the number an
    educator counts: ``step 3 (meeting-point)``); it returns the entry and the rest of the path.
    """
    validator = jsonschema.Draft202012Validator(schema)
    problem = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if problem is None:
        return
    path = list(problem.absolute_path)
    entry, rest = locate(data, path) if locate else _locate(data, path, named)
    here = problem.schema if isinstance(problem.schema, dict) else {}
    field = ".".join(str(p) for p in rest) or "(entry)"
    expected = here.get("description", "")
    text = problem.message
    if problem.validator == "required":
        missing = problem.message.split("'")[1]
        field = ".".join(str(p) for p in [*rest, missing])
        text = "is missing"
        expected = _property(schema, problem, missing).get("description", expected)
    elif problem.validator == "additionalProperties":
        extra = sorted(set(problem.instance) - set(here.get("properties", {})))
        field = ".".join(str(p) for p in [*rest, extra[0]]) if extra else field
        text = "is not a known field"
        expected = "only these fields: " + ", ".join(here.get("properties", {}))
    elif problem.validator == "anyOf" and all(
            isinstance(b, dict) and set(b) == {"required"} for b in problem.validator_value):
        names = [n for b in problem.validator_value for n in b["required"]]
        field = ".".join(str(p) for p in [*rest, "/".join(names)])
        text = "none of them is given"
        expected = "at least one of " + (
            f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0])
    elif problem.validator in ("enum", "pattern", "type", "minItems", "maxItems", "minLength",
                               "uniqueItems", "minimum", "maximum"):
        text = f"{problem.instance!r} is not valid"
        if problem.validator in ("minItems", "maxItems"):
            text += f": has {len(problem.instance)} items"
        elif problem.validator == "uniqueItems":
            text += ": has an item more than once"
        if not expected and problem.validator == "enum":
            expected = "one of: " + ", ".join(map(str, problem.validator_value))
        elif not expected and problem.validator == "type":
            expected = f"a {problem.validator_value}"
    raise error(name, entry, field, text, expected)


def _locate(data, path: list, named) -> tuple[str, list]:
    """Split a JSON path into an entry label (``questions/fever``) and the rest (the field)."""
    items, node = [], data
    for i, part in enumerate(path):
        node = node[part]
        if isinstance(part, int) and isinstance(node, dict):
            items.append(i)
    # a list of plain values (citations, sides) is a field of the entry that holds it
    items = items or [i for i, part in enumerate(path) if isinstance(part, int)]
    if items:
        cut = items[-1] + 1
    else:
        cut = min(len(path), 2 if path and path[0] in named else 1)
    parts, node = [], data
    for part in path[:cut]:
        node = node[part]
        parts.append(_label(node, part) if isinstance(part, int) else str(part))
    return "/".join(parts) or "(file)", path[cut:]


def _label(item, index: int) -> str:
    if isinstance(item, dict):
        ident = item.get("id", item.get("key"))
        if isinstance(ident, (str, int)) and str(ident):
            return str(ident)
        if "source" in item or "target" in item:
            return (f"{item.get('source', '?')} -> {item.get('target', '?')} "
                    f"({item.get('relation', '?')})")
    return f"#{index + 1}"


def _property(schema: Mapping, problem, name: str) -> Mapping:
    """The schema of property ``name`` where it is required: in the failing schema, or (for a
    conditional requirement such as ``else: {required: [...]}``) the nearest one above it
    that defines it."""
    found, node = {}, schema
    for part in list(problem.absolute_schema_path)[:-1]:
        if isinstance(node, dict) and name in node.get("properties", {}):
            found = node["properties"][name]
        node = node[part]
    if isinstance(node, dict) and name in node.get("properties", {}):
        found = node["properties"][name]
    return found
