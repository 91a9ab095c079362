"""Record extractors for response shapes a DpathExtractor (with its RecordExpander) cannot describe.

- `EmbeddedObjectsExtractor`: objects embedded in parent records (a company's `address`, an order's
  `shippingAddress`) as records of their own, keyed to their owner. RecordExpander only expands
  *lists*; these are single objects, several per parent, from more than one response shape.
- `KeyValueExtractor`: `{key: value}` maps (or lists of one-key maps) as `{key_field, value_field}` records.
- `TreeFlattenExtractor`: category trees (`children` lists) as one record per node with its path.
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field
from typing import Any, Iterable, Iterator, Mapping

import requests
from airbyte_cdk.sources.declarative.decoders import Decoder, JsonDecoder
from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor

_MISSING = object()


def _get(value: Any, path: list[str] | str) -> Any:
    for segment in [path] if isinstance(path, str) else path:
        if isinstance(value, Mapping) and segment in value:
            value = value[segment]
        else:
            return _MISSING
    return value


def _items(value: Any) -> list[Any]:
    if value is _MISSING or value is None:
        return []
    return value if isinstance(value, list) else [value]


@dataclass
class EmbeddedObjectsExtractor(RecordExtractor):
    """Each `source` names where the owners are (`field_path`, `[]` for the body), which embedded
    objects to emit (`objects`: field name -> label written to `label_field`), which owner values to
    copy (`parent_fields`: record key -> path on the owner) and constants (`constants`). An owner
    without its first parent field is not an owner of that source (so one extractor reads several
    response shapes, e.g. a Laravel page of companies and a plain list of orders); a null or absent
    embedded object is skipped.

        extractor:
          type: CustomRecordExtractor
          class_name: connector_common.components.extractors.EmbeddedObjectsExtractor
          label_field: address_type
          sources:
            - field_path: [data]
              constants: {owner_type: company}
              parent_fields: {owner_id: [code]}
              objects: {address: company}
    """

    parameters: InitVar[Mapping[str, Any]]
    sources: list[Mapping[str, Any]] = field(default_factory=list)
    label_field: str = "type"
    config: Mapping[str, Any] | None = None
    decoder: Decoder = field(default_factory=lambda: JsonDecoder(parameters={}))

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        if not self.sources:
            raise ValueError("EmbeddedObjectsExtractor needs at least one source")

    def extract_records(self, response: requests.Response) -> Iterable[Mapping[str, Any]]:
        for body in self.decoder.decode(response):
            yield from self.extract_from_body(body)

    def extract_from_body(self, body: Any) -> Iterator[dict[str, Any]]:
        for source in self.sources:
            path = list(source.get("field_path") or [])
            owners = _items(_get(body, path) if path else body)
            parent_fields = dict(source.get("parent_fields") or {})
            for owner in owners:
                if not isinstance(owner, Mapping):
                    continue
                copied = {key: _get(owner, where) for key, where in parent_fields.items()}
                if parent_fields and next(iter(copied.values())) is _MISSING:
                    continue
                for name, label in (source.get("objects") or {}).items():
                    embedded = owner.get(name)
                    if not isinstance(embedded, Mapping):
                        continue
                    record = dict(embedded)
                    record[self.label_field] = label
                    record.update(source.get("constants") or {})
                    record.update({k: (None if v is _MISSING else v) for k, v in copied.items()})
                    yield record


@dataclass
class KeyValueExtractor(RecordExtractor):
    """`{"A1": 1, "B2": 0}` or `[{"A1": 1}, {"B2": 0}]` (at `field_path`) as
    `{key_field: "A1", value_field: 1}` records, in response order."""

    parameters: InitVar[Mapping[str, Any]]
    field_path: list[str] = field(default_factory=list)
    key_field: str = "key"
    value_field: str = "value"
    config: Mapping[str, Any] | None = None
    decoder: Decoder = field(default_factory=lambda: JsonDecoder(parameters={}))

    def extract_records(self, response: requests.Response) -> Iterable[Mapping[str, Any]]:
        for body in self.decoder.decode(response):
            yield from self.extract_from_body(body)

    def extract_from_body(self, body: Any) -> Iterator[dict[str, Any]]:
        found = _get(body, self.field_path) if self.field_path else body
        for mapping in _items(found):
            if isinstance(mapping, Mapping):
                for key, value in mapping.items():
                    yield {self.key_field: key, self.value_field: value}


@dataclass
class TreeFlattenExtractor(RecordExtractor):
    """Trees of nodes with `children_field` lists, one record per node (children removed), with
    `tree` (its label), `parent_<key_field>`, `depth` (1 for roots) and `tree_path` (the keys from
    the root to the node). `trees` maps a label to the paths where that tree may be found (the first
    present wins); a tree may be a list of roots or an object of groups of roots
    (`{"Toilet": [...]}`, the group written to `group`). A body that is a plain list is one tree
    labelled `list_tree`. A node seen twice in a tree (under two groups) is emitted once.
    """

    parameters: InitVar[Mapping[str, Any]]
    trees: Mapping[str, list[list[str]]] = field(default_factory=dict)
    list_tree: str | None = None
    key_field: str = "code"
    children_field: str = "children"
    config: Mapping[str, Any] | None = None
    decoder: Decoder = field(default_factory=lambda: JsonDecoder(parameters={}))

    def extract_records(self, response: requests.Response) -> Iterable[Mapping[str, Any]]:
        for body in self.decoder.decode(response):
            yield from self.extract_from_body(body)

    def extract_from_body(self, body: Any) -> Iterator[dict[str, Any]]:
        if isinstance(body, list):
            yield from self._flatten(self.list_tree, {None: body})
            return
        for label, paths in self.trees.items():
            for path in paths:
                found = _get(body, path)
                if found is _MISSING or found is None:
                    continue
                groups = found if isinstance(found, Mapping) and self.children_field not in found else {None: _items(found)}
                yield from self._flatten(label, groups)
                break

    def _flatten(self, label: str | None, groups: Mapping[Any, Any]) -> Iterator[dict[str, Any]]:
        seen: set[Any] = set()
        for group, roots in groups.items():
            stack = [(node, None, []) for node in reversed(_items(roots))]
            while stack:
                node, parent_key, ancestors = stack.pop()
                if not isinstance(node, Mapping) or not node:
                    continue
                key = node.get(self.key_field)
                path = [*ancestors, key]
                children = node.get(self.children_field) or []
                for child in reversed(children if isinstance(children, list) else []):
                    stack.append((child, key, path))
                if key in seen:
                    continue
                seen.add(key)
                record = {k: v for k, v in node.items() if k != self.children_field}
                record.update({"tree": label, "group": group, f"parent_{self.key_field}": parent_key, "depth": len(path), "tree_path": path})
                yield record
