"""flatten_tree / FlattenTreeExtractor: one record per node at any depth, with its own parent's key."""

from __future__ import annotations

import io
import json

import pytest
import requests
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from urllib3 import HTTPResponse
from connector_common.components.streaming import JsonListStreamDecoder
from connector_common.components.tree import FlattenTreeExtractor, flatten_tree
from connector_testing import json_response

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


def test_extractor_reads_a_list_of_roots_or_one_root():
    extractor = FlattenTreeExtractor(config={}, parameters={})
    assert [r["key"] for r in extractor.extract_records(json_response(TREE))] == ["a", "a1", "a1x", "a2", "b"]
    assert [r["key"] for r in extractor.extract_records(json_response(TREE[0]))] == ["a", "a1", "a1x", "a2"]


def test_extractor_reads_the_roots_a_streaming_decoder_yields():
    # NetXL's list decoder: roots from a bare array or from the list under a named key
    decoder = JsonListStreamDecoder(parameters={}, field_names=["categories"])
    extractor = FlattenTreeExtractor(config={}, parameters={}, decoder=decoder, parent_field="parent_key")
    streamed = requests.Response()
    streamed.status_code = 200
    streamed.raw = HTTPResponse(body=io.BytesIO(json.dumps({"categories": TREE}).encode()), preload_content=False)
    assert [(r["key"], r["parent_key"]) for r in extractor.extract_records(streamed)] == [
        ("a", None), ("a1", "a"), ("a1x", "a1"), ("a2", "a"), ("b", None)]


# M3 Wholesale: labelled b2b and b2c trees, maybe grouped, with paths and 1-based depth
def node(code, *children):
    return {"code": code, "title": code.lower(), "children": list(children)}


M3_TREES = dict(key_field="code", parent_field="parent_code", depth_field="depth", root_depth=1, path_field="tree_path",
                trees={"b2b": [["b2b"], ["categories-b2b"]], "b2c": [["b2c"], ["categories-b2c"]]})
M3_TREE = [node("A", node("A1", node("A1x")), node("A2")), node("B")]


def test_labelled_trees_with_paths():
    extractor = FlattenTreeExtractor(parameters={}, **M3_TREES)
    records = list(extractor.extract_records(json_response({"b2b": M3_TREE, "b2c": [node("C")]})))
    assert [(r["tree"], r["code"], r["parent_code"], r["depth"], r["tree_path"]) for r in records] == [
        ("b2b", "A", None, 1, ["A"]),
        ("b2b", "A1", "A", 2, ["A", "A1"]),
        ("b2b", "A1x", "A1", 3, ["A", "A1", "A1x"]),
        ("b2b", "A2", "A", 2, ["A", "A2"]),
        ("b2b", "B", None, 1, ["B"]),
        ("b2c", "C", None, 1, ["C"]),
    ]
    assert all("children" not in r and r["group"] is None for r in records)


def test_grouped_trees_emit_a_node_seen_twice_once():
    body = {"categories-b2b": {"Toilet": [node("A", node("A1"))], "Garden": [node("A", node("A1")), node("G")]}}
    records = list(FlattenTreeExtractor(parameters={}, **M3_TREES).extract_records(json_response(body)))
    assert [(r["code"], r["group"]) for r in records] == [("A", "Toilet"), ("A1", "Toilet"), ("G", "Garden")]


def test_a_plain_list_body_is_one_tree_labelled_list_tree():
    extractor = FlattenTreeExtractor(parameters={}, list_tree="all", **M3_TREES)
    records = list(extractor.extract_records(json_response([node("X", node("Y"))])))
    assert [(r["tree"], r["code"], r["tree_path"]) for r in records] == [("all", "X", ["X"]), ("all", "Y", ["X", "Y"])]


def test_an_envelope_holds_the_list_or_the_labelled_trees():
    extractor = FlattenTreeExtractor(parameters={}, list_tree="all", envelope_keys=["data"], **M3_TREES)
    listed = list(extractor.extract_records(json_response({"data": [node("X", node("Y"))], "links": {}, "meta": {}})))
    assert [(r["tree"], r["code"]) for r in listed] == [("all", "X"), ("all", "Y")]
    keyed = list(extractor.extract_records(json_response({"data": {"b2b": [node("A")], "b2c": [node("C")]}})))
    assert [(r["tree"], r["code"]) for r in keyed] == [("b2b", "A"), ("b2c", "C")]


def test_an_object_with_no_known_tree_is_an_error_not_zero_records():
    extractor = FlattenTreeExtractor(parameters={}, list_tree="all", envelope_keys=["data"], **M3_TREES)
    with pytest.raises(AirbyteTracedException) as error:
        list(extractor.extract_records(json_response({"categories": [node("A")]})))
    assert "categories" in error.value.message and "b2b" in error.value.message
    assert list(extractor.extract_records(json_response({}))) == []  # nothing there: nothing to read
