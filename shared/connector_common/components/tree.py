"""Flatten nested trees (categories with `children`, any depth) into one record per node.

The CDK's `RecordExpander` expands one array level (or a fixed depth through wildcards) and
copies fields from the record being expanded, not from each node's own parent, so it cannot
flatten a tree of unknown depth while keeping every node's parent key. `flatten_tree` walks the
tree depth first (parents before children, without recursion) and emits each node without its
children, with its parent's key and, when named, its depth and its path of keys from the root.
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field
from typing import Any, Iterable, Iterator, List, Mapping, Optional

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor
from airbyte_cdk.sources.types import Config
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from airbyte_cdk.sources.declarative.decoders import Decoder

from .bodies import MISSING, as_list, decoded_bodies, get_path


def flatten_tree(
    nodes: Iterable[Any],
    *,
    key_field: str = "key",
    children_field: str = "children",
    parent_field: str = "parent_key",
    depth_field: Optional[str] = None,
    root_depth: int = 0,
    path_field: Optional[str] = None,
    seen: Optional[set] = None,
) -> Iterator[dict]:
    """Every node of the forest, parents first, children removed, parent key (depth, path) added.

    A node whose key is already in `seen` (pass one set to share it across forests) is emitted
    only the first time; its children are still walked.
    """
    seen = set() if seen is None else seen
    stack: list[tuple[Any, Any, int, list]] = [(node, None, root_depth, []) for node in reversed(as_list(list(nodes)))]
    while stack:
        node, parent_key, depth, ancestors = stack.pop()
        if not isinstance(node, Mapping) or not node:
            continue
        key = node.get(key_field)
        path = [*ancestors, key] if path_field else ancestors
        children = node.get(children_field) or []
        if isinstance(children, list):
            stack.extend((child, key, depth + 1, path) for child in reversed(children))
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        record = {k: v for k, v in node.items() if k != children_field}
        record[parent_field] = parent_key
        if depth_field:
            record[depth_field] = depth
        if path_field:
            record[path_field] = path
        yield record


@dataclass
class FlattenTreeExtractor(RecordExtractor):
    """Records are the nodes of the tree(s) in the body.

    Without `trees`, the body is the tree: a list of roots or one root (NetXL categories). With
    `trees` (label -> candidate paths, the first present wins), each labelled tree is read from
    the body and its records carry `tree_field`; a tree may be a list of roots or an object of
    groups of roots (`{"Toilet": [...]}`, the group written to `group_field`), and a body that is a
    plain list is one tree labelled `list_tree` (M3 Wholesale's b2b and b2c trees). An object with
    none of the trees' paths is looked into under `envelope_keys` (`{"data": [...]}` or
    `{"data": {"b2b": ...}}`); an object with keys but nothing known under them is an error, never
    a silent zero records. Within one tree a node seen twice (under two groups) is emitted once.

        extractor:
          type: CustomRecordExtractor
          class_name: connector_common.components.tree.FlattenTreeExtractor
          key_field: code
          parent_field: parent_code
          depth_field: depth
          root_depth: 1
          path_field: tree_path
          trees: {b2b: [[b2b], [categories-b2b]], b2c: [[b2c], [categories-b2c]]}
    """

    parameters: InitVar[Mapping[str, Any]]
    config: Optional[Config] = None
    key_field: str = "key"
    children_field: str = "children"
    parent_field: str = "parent_key"
    depth_field: Optional[str] = None
    root_depth: int = 0
    path_field: Optional[str] = None
    trees: Mapping[str, List[List[str]]] = field(default_factory=dict)
    tree_field: str = "tree"
    group_field: str = "group"
    list_tree: Optional[str] = None
    envelope_keys: List[str] = field(default_factory=list)
    decoder: Optional[Decoder] = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self.root_depth = int(self.root_depth)

    def extract_records(self, response: requests.Response) -> Iterable[Mapping[str, Any]]:
        # a streaming decoder (NetXL) yields the roots one by one; then each item is a body
        for body in decoded_bodies(response, self.decoder):
            yield from self.extract_from_body(body)

    def extract_from_body(self, body: Any) -> Iterator[dict[str, Any]]:
        if not self.trees:
            yield from self._flatten(as_list(body))
        elif isinstance(body, list):
            yield from self._labelled(self.list_tree, {None: body})
        else:
            matched = False
            for label, paths in self.trees.items():
                for path in paths:
                    found = get_path(body, path)
                    if found is MISSING or found is None:
                        continue
                    matched = True
                    is_groups = isinstance(found, Mapping) and self.children_field not in found
                    yield from self._labelled(label, found if is_groups else {None: as_list(found)})
                    break
            if matched or not isinstance(body, Mapping) or not body:
                return
            for key in self.envelope_keys:
                if isinstance(body.get(key), (list, Mapping)):
                    yield from self.extract_from_body(body[key])
                    return
            expected = sorted({"/".join(path) for paths in self.trees.values() for path in paths} | set(self.envelope_keys))
            keys = sorted(map(str, body))[:10]
            raise AirbyteTracedException(
                message=f"The API answered with an object that holds none of the expected trees ({', '.join(expected)}); "
                f"its keys are {', '.join(keys)}. No records were read from it.",
                internal_message=f"FlattenTreeExtractor: no tree in an object with keys {keys}",
                failure_type=FailureType.system_error,
            )

    def _labelled(self, label: Optional[str], groups: Mapping[Any, Any]) -> Iterator[dict[str, Any]]:
        seen: set = set()
        for group, roots in groups.items():
            for record in self._flatten(as_list(roots), seen):
                record[self.tree_field] = label
                record[self.group_field] = group
                yield record

    def _flatten(self, roots: list, seen: Optional[set] = None) -> Iterator[dict[str, Any]]:
        return flatten_tree(
            roots,
            key_field=self.key_field,
            children_field=self.children_field,
            parent_field=self.parent_field,
            depth_field=self.depth_field,
            root_depth=self.root_depth,
            path_field=self.path_field,
            seen=seen,
        )
