"""flatten_tree / FlattenTreeExtractor: one record per node at any depth, with its own parent's key."""

from __future__ import annotations

import json

import requests
from connector_common.components.tree import FlattenTreeExtractor, flatten_tree

TREE = [
    {"key": "a", "name": "A", "children": [
        {"key": "a1", "name": "A1", "children": [{"key": "a1x", "name": "A1x", "children": []}]},
        {"key": "a2", "name": "A2"},
    ]},
    {"key": "b", "name": "B", "children": None},
]


def test_every_node_once_parents_first_with_parent_key_and_depth():
    records = list(flatten_tree(TREE, depth_field="depth"))
    assert [(r["key"], r["parent_key"], r["depth"]) for r in records] == [
        ("a", None, 0), ("a1", "a", 1), ("a1x", "a1", 2), ("a2", "a", 1), ("b", None, 0),
    ]
    assert all("children" not in r for r in records)


def test_deep_trees_do_not_recurse():
    node = {"key": "0", "children": []}
    root = node
    for i in range(1, 5000):
        child = {"key": str(i), "children": []}
        node["children"].append(child)
        node = child
    records = list(flatten_tree([root]))
    assert len(records) == 5000 and records[-1]["parent_key"] == "4998"


def test_extractor_reads_a_response():
    response = requests.Response()
    response.status_code = 200
    response._content = json.dumps(TREE).encode()
    extractor = FlattenTreeExtractor(config={}, parameters={})
    assert [r["key"] for r in extractor.extract_records(response)] == ["a", "a1", "a1x", "a2", "b"]
