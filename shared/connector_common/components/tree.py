"""Flatten a nested tree (categories with `children`, any depth) into one record per node.

The CDK's `RecordExpander` expands one array level (or a fixed depth through wildcards) and
copies fields from the record being expanded, not from each node's own parent, so it cannot
flatten a tree of unknown depth while keeping every node's parent key. `FlattenTreeExtractor`
walks the tree depth first (parents before children) and emits each node without its children,
with `parent_field` set to the parent's `key_field` (null on roots) and `depth_field` (0 on roots)
when named.
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Optional

import requests
from airbyte_cdk.sources.declarative.decoders import Decoder, JsonDecoder
from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor
from airbyte_cdk.sources.types import Config


def flatten_tree(
    nodes: Iterable[Any],
    *,
    key_field: str = "key",
    children_field: str = "children",
    parent_field: str = "parent_key",
    depth_field: Optional[str] = None,
) -> Iterator[dict]:
    """Every node of the forest, parents first, children removed, parent key (and depth) added."""
    stack: list[tuple[Any, Any, int]] = [(node, None, 0) for node in reversed(list(nodes))]
    while stack:
        node, parent_key, depth = stack.pop()
        if not isinstance(node, Mapping):
            continue
        children = node.get(children_field) or []
        record = {k: v for k, v in node.items() if k != children_field}
        record[parent_field] = parent_key
        if depth_field:
            record[depth_field] = depth
        yield record
        if isinstance(children, list):
            stack.extend((child, node.get(key_field), depth + 1) for child in reversed(children))


@dataclass
class FlattenTreeExtractor(RecordExtractor):
    """Records are the nodes of the tree(s) in the decoded body (a list of roots, or one root)."""

    config: Config
    parameters: InitVar[Mapping[str, Any]]
    key_field: str = "key"
    children_field: str = "children"
    parent_field: str = "parent_key"
    depth_field: Optional[str] = None
    decoder: Decoder = field(default_factory=lambda: JsonDecoder(parameters={}))

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        pass

    def extract_records(self, response: requests.Response) -> Iterable[Mapping[str, Any]]:
        for body in self.decoder.decode(response):
            roots = body if isinstance(body, list) else [body]
            yield from flatten_tree(
                roots,
                key_field=self.key_field,
                children_field=self.children_field,
                parent_field=self.parent_field,
                depth_field=self.depth_field,
            )
