"""connector_common.components.nested_extractors: embedded objects, key/value maps, trees."""

import pytest

from connector_common.components.nested_extractors import EmbeddedObjectsExtractor, KeyValueExtractor, TreeFlattenExtractor

SOURCES = [
    {"field_path": ["data"], "constants": {"owner_type": "company"}, "parent_fields": {"owner_id": ["code"]}, "objects": {"address": "company"}},
    {"field_path": [], "constants": {"owner_type": "order"}, "parent_fields": {"owner_id": ["id"]}, "objects": {"shippingAddress": "shipping", "BillingAddress": "billing"}},
]


def test_embedded_objects_from_a_page_of_companies():
    body = {"data": [{"code": "EA1", "address": {"city": "Amsterdam"}}, {"code": "EA2", "address": None}], "links": {}, "meta": {}}
    records = list(EmbeddedObjectsExtractor(parameters={}, sources=SOURCES, label_field="address_type").extract_from_body(body))
    assert records == [{"city": "Amsterdam", "address_type": "company", "owner_type": "company", "owner_id": "EA1"}]


def test_embedded_objects_from_a_list_of_orders():
    body = [{"id": 7, "shippingAddress": {"city": "Rotterdam"}, "BillingAddress": {"city": "Breda"}}, {"id": 8, "shippingAddress": {"city": "Delft"}, "BillingAddress": None}]
    records = list(EmbeddedObjectsExtractor(parameters={}, sources=SOURCES, label_field="address_type").extract_from_body(body))
    assert [(r["owner_id"], r["address_type"], r["city"]) for r in records] == [(7, "shipping", "Rotterdam"), (7, "billing", "Breda"), (8, "shipping", "Delft")]
    assert all(r["owner_type"] == "order" for r in records)


def test_embedded_objects_needs_a_source():
    with pytest.raises(ValueError):
        EmbeddedObjectsExtractor(parameters={})


@pytest.mark.parametrize("body", [[{"A1": 1}, {"B2": 0}], {"A1": 1, "B2": 0}, [{"A1": 1, "B2": 0}]])
def test_key_values_in_either_list_type(body):
    records = list(KeyValueExtractor(parameters={}, key_field="sku", value_field="stock").extract_from_body(body))
    assert records == [{"sku": "A1", "stock": 1}, {"sku": "B2", "stock": 0}]


def node(code, *children):
    return {"code": code, "title": code.lower(), "children": list(children)}


TREE = [node("A", node("A1", node("A1x")), node("A2")), node("B")]


def test_tree_flatten_keyed_trees_with_paths():
    body = {"b2b": TREE, "b2c": [node("C")]}
    extractor = TreeFlattenExtractor(parameters={}, trees={"b2b": [["b2b"], ["categories-b2b"]], "b2c": [["b2c"], ["categories-b2c"]]})
    records = list(extractor.extract_from_body(body))
    assert [(r["tree"], r["code"], r["parent_code"], r["depth"], r["tree_path"]) for r in records] == [
        ("b2b", "A", None, 1, ["A"]),
        ("b2b", "A1", "A", 2, ["A", "A1"]),
        ("b2b", "A1x", "A1", 3, ["A", "A1", "A1x"]),
        ("b2b", "A2", "A", 2, ["A", "A2"]),
        ("b2b", "B", None, 1, ["B"]),
        ("b2c", "C", None, 1, ["C"]),
    ]
    assert all("children" not in r for r in records)


def test_tree_flatten_grouped_trees_and_duplicates():
    body = {"categories-b2b": {"Toilet": [node("A", node("A1"))], "Garden": [node("A", node("A1")), node("G")]}}
    extractor = TreeFlattenExtractor(parameters={}, trees={"b2b": [["b2b"], ["categories-b2b"]], "b2c": [["b2c"], ["categories-b2c"]]})
    records = list(extractor.extract_from_body(body))
    assert [(r["code"], r["group"]) for r in records] == [("A", "Toilet"), ("A1", "Toilet"), ("G", "Garden")]


def test_tree_flatten_plain_list_body():
    records = list(TreeFlattenExtractor(parameters={}, list_tree="all").extract_from_body([node("X", node("Y"))]))
    assert [(r["tree"], r["code"], r["tree_path"]) for r in records] == [("all", "X", ["X"]), ("all", "Y", ["X", "Y"])]
