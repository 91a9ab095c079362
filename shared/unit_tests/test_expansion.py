"""`expansion`: the same records as the CDK's DpathExtractor + RecordExpander, without the dpath walk."""

from __future__ import annotations

import copy

import pytest
from airbyte_cdk.sources.declarative.expanders import record_expander as cdk_expander
from airbyte_cdk.sources.declarative.expanders.record_expander import OnNoRecords, ParentFieldPath, RecordExpander
from airbyte_cdk.sources.declarative.extractors.dpath_extractor import DpathExtractor
from connector_common.components.expansion import DirectPathExtractor, expand
from connector_testing import json_response

ORDERS = [
    {"id": 1, "number": "A1", "meta": {"date": "2025-01-02", "tags": ["x"]},
     "items": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 2, "order_id": "overwritten"}],
     "nested": {"lines": {"data": [{"n": 1}, {"n": 2}]}}},
    {"id": 2, "number": "A2", "items": [], "nested": {"lines": {"data": []}}},
    {"id": 3, "items": ["scalar", 7, None, {"sku": "c"}]},
    {"id": 4},
    {"id": 5, "items": {"not": "a list"}, "nested": {"lines": "text"}},
    {"id": 6, "items": None, "nested": None},
]


def parent(parent_path, record_path):
    return ParentFieldPath(parent_path=parent_path, record_path=record_path, config={}, parameters={})


def expander(path, **kw):
    return RecordExpander(expand_records_from_field=path, config={}, parameters={}, **kw)


CASES = {
    "flat": lambda: expander(["items"]),
    "parent_fields": lambda: expander(["items"], parent_fields=[
        parent(["id"], ["order_id"]), parent(["number"], ["order_number"]), parent(["missing"], ["absent"]),
        parent(["meta", "tags"], ["info", "tags"])]),
    "nested": lambda: expander(["nested", "lines", "data"], parent_fields=[parent(["meta", "date"], ["date"])]),
    "original_record": lambda: expander(["items"], remain_original_record=True),
    "emit_parent": lambda: expander(["items"], on_no_records=OnNoRecords.emit_parent, parent_fields=[parent(["id"], ["order_id"])]),
    "interpolated": lambda: RecordExpander(expand_records_from_field=["{{ parameters.list }}"], config={},
                                           parameters={"list": "items"}, parent_fields=[parent(["id"], ["order_id"])]),
    # the expander's own path for what the direct lookup does not cover
    "wildcard": lambda: expander(["nested", "*", "data"], parent_fields=[parent(["id"], ["order_id"])]),
    "merge_parent": lambda: expander(["items"], merge_parent=True),
}


@pytest.mark.parametrize("case", CASES)
def test_same_records_as_the_cdk_expander(case):
    cdk, ours = CASES[case](), CASES[case]()
    for order in ORDERS:
        assert list(expand(ours, copy.deepcopy(order))) == list(cdk.expand_record(copy.deepcopy(order))), order


@pytest.mark.parametrize("case", ["flat", "parent_fields", "nested", "original_record", "emit_parent", "interpolated"])
def test_glob_free_paths_do_not_walk_the_record(case, monkeypatch):
    expected = [list(CASES[case]().expand_record(copy.deepcopy(o))) for o in ORDERS]

    def walk(*args, **kwargs):
        raise AssertionError("dpath.values walked the record")

    monkeypatch.setattr(cdk_expander.dpath, "values", walk)
    assert [list(expand(CASES[case](), copy.deepcopy(o))) for o in ORDERS] == expected


def test_items_are_detached_from_the_parent():
    order = copy.deepcopy(ORDERS[0])
    first = next(iter(expand(CASES["parent_fields"](), order)))
    first["sku"] = "changed"
    first["info"]["tags"].append("y")
    assert order["items"][0]["sku"] == "a" and order["meta"]["tags"] == ["x"]


@pytest.mark.parametrize("field_path", [[], ["data"], ["data", "orders"]])
@pytest.mark.parametrize("case", ["parent_fields", "nested", "emit_parent"])
def test_extractor_matches_dpath_extractor_on_the_same_body(field_path, case):
    body = copy.deepcopy(ORDERS)
    for key in reversed(field_path):
        body = {key: body, "other": 1}

    def records(cls):
        extractor = cls(field_path=field_path, config={}, parameters={}, record_expander=CASES[case]())
        return list(extractor.extract_records(json_response(copy.deepcopy(body))))

    assert records(DirectPathExtractor) == records(DpathExtractor)
    assert records(DirectPathExtractor)  # the comparison is over records, not two empty lists


def test_extractor_without_expander_and_single_object_body():
    one = {"data": {"id": 9, "items": [{"sku": "z"}]}}
    for expander_ in (None, CASES["parent_fields"]()):
        kw = {"field_path": ["data"], "config": {}, "parameters": {}, "record_expander": expander_}
        assert list(DirectPathExtractor(**kw).extract_records(json_response(one))) == list(
            DpathExtractor(**{**kw, "record_expander": CASES["parent_fields"]() if expander_ else None}).extract_records(json_response(one)))


@pytest.mark.parametrize("case", ["emit_parent", "interpolated", "nested"])
def test_one_key_parent_fields_are_set_without_dpath(case, monkeypatch):
    expected = [list(CASES[case]().expand_record(copy.deepcopy(o))) for o in ORDERS]

    def new(*args, **kwargs):
        raise AssertionError("dpath.new wrote a one-key parent field")

    monkeypatch.setattr(cdk_expander.dpath, "new", new)
    assert [list(expand(CASES[case](), copy.deepcopy(o))) for o in ORDERS] == expected


@pytest.mark.parametrize("path", [["id"], ["meta", "tags"], ["meta", "tags", "0"], ["meta", "tags", -1], ["meta", "tags", 5],
                                  ["items", "x"], ["missing"], [], ["id", "deeper"], [1]])
def test_lookup_and_detach_are_the_cdks(path):
    from connector_common.components import expansion

    for order in ORDERS + [{"1": "one"}, [{"id": 1}]]:
        ours, cdks = expansion._lookup(order, path), cdk_expander._lookup(order, path)
        assert ours == cdks or (ours is cdks), (order, path)
        if ours is not cdk_expander._MISSING:
            assert expansion._detached(ours) == cdk_expander._detached(cdks)
            assert (expansion._detached(ours) is ours) == (cdk_expander._detached(cdks) is cdks)
