"""connector_common.components.extractors: envelopes, embedded objects, key/value maps, and the
whole-body reading they share (a bare array is never mistaken for an envelope)."""


import pytest

from connector_common.components.extractors import EmbeddedObjectsExtractor, EnvelopeListExtractor, KeyValueExtractor
from connector_testing import json_response



def test_envelope_prefers_the_named_key_then_the_only_list():
    named = EnvelopeListExtractor(config={}, parameters={}, field_names=["delivery_methods"])
    assert list(named.extract_records(json_response({"delivery_methods": [{"id": 1}], "count": 1}))) == [{"id": 1}]
    # another server spells the key with a dash: still found, as the body's only list
    assert list(named.extract_records(json_response({"delivery-methods": [{"id": 2}], "paging": {}}))) == [{"id": 2}]
    assert list(named.extract_records(json_response([{"id": 3}]))) == [{"id": 3}]
    assert list(named.extract_records(json_response({"count": 0}))) == []


def test_a_one_item_bare_array_is_a_record_not_an_envelope():
    # the CDK's JsonDecoder would hand over the item alone, and its `data` list would look like records
    body = [{"id": 1, "data": [{"id": "not a record"}]}]
    assert list(EnvelopeListExtractor(config={}, parameters={}, field_names=["data"]).extract_records(json_response(body))) == body
    extractor = EmbeddedObjectsExtractor(parameters={}, sources=[{"envelope_keys": ["data"], "objects": {"a": "address"}, "parent_fields": {"id": "id"}}])
    assert list(extractor.extract_records(json_response([{"id": 1, "address": {"x": 1}, "data": [{"id": 2, "address": {"x": 2}}]}]))) == [{"x": 1, "id": 1}]


def test_envelope_refuses_to_guess_between_several_lists():
    extractor = EnvelopeListExtractor(config={}, parameters={})
    with pytest.raises(ValueError, match="several lists"):
        list(extractor.extract_records(json_response({"a": [], "b": []})))


def test_embedded_objects_from_an_envelope_with_dotted_paths_and_lists():
    extractor = EmbeddedObjectsExtractor(
        config={}, parameters={}, label_field="address_type",
        sources=[{"envelope_keys": ["orders"], "objects": {"delivery": "delivery_address", "billing": "user.billing_address"},
                  "parent_fields": {"order_id": "id", "user_id": "user.id"}}],
    )
    body = {"orders": [
        {"id": 7, "user": {"id": 3, "billing_address": {"town": "Utrecht"}}, "delivery_address": {"town": "Breda"}},
        {"id": 8, "user": None, "delivery_address": None},
        {"id": 9, "user": {"id": 4, "billing_address": [{"town": "A"}, {"town": "B"}]}},
    ]}
    assert list(extractor.extract_records(json_response(body))) == [
        {"town": "Breda", "address_type": "delivery", "order_id": 7, "user_id": 3},
        {"town": "Utrecht", "address_type": "billing", "order_id": 7, "user_id": 3},
        {"town": "A", "address_type": "billing", "order_id": 9, "user_id": 4},
        {"town": "B", "address_type": "billing", "order_id": 9, "user_id": 4},
    ]


# M3 Wholesale: one stream reads companies (a Laravel page) and orders (a bare list)
SOURCES = [
    {"field_path": ["data"], "constants": {"owner_type": "company"}, "parent_fields": {"owner_id": ["code"]}, "objects": {"company": ["address"]}},
    {"field_path": [], "constants": {"owner_type": "order"}, "parent_fields": {"owner_id": ["id"]}, "objects": {"shipping": ["shippingAddress"], "billing": ["BillingAddress"]}},
]


def test_embedded_objects_from_a_page_of_companies():
    body = {"data": [{"code": "EA1", "address": {"city": "Amsterdam"}}, {"code": "EA2", "address": None}], "links": {}, "meta": {}}
    records = list(EmbeddedObjectsExtractor(parameters={}, sources=SOURCES, label_field="address_type").extract_records(json_response(body)))
    assert records == [{"city": "Amsterdam", "address_type": "company", "owner_type": "company", "owner_id": "EA1"}]


@pytest.mark.parametrize("orders", [1, 2])
def test_embedded_objects_from_a_bare_list_of_orders(orders):
    body = [{"id": 7, "shippingAddress": {"city": "Rotterdam"}, "BillingAddress": {"city": "Breda"}}, {"id": 8, "shippingAddress": {"city": "Delft"}, "BillingAddress": None}][:orders]
    records = list(EmbeddedObjectsExtractor(parameters={}, sources=SOURCES, label_field="address_type").extract_records(json_response(body)))
    expected = [(7, "shipping", "Rotterdam"), (7, "billing", "Breda"), (8, "shipping", "Delft")]
    assert [(r["owner_id"], r["address_type"], r["city"]) for r in records] == expected[: 2 if orders == 1 else 3]
    assert all(r["owner_type"] == "order" for r in records)


def test_embedded_objects_needs_a_source():
    with pytest.raises(ValueError):
        EmbeddedObjectsExtractor(parameters={})


@pytest.mark.parametrize("body", [[{"A1": 1}, {"B2": 0}], {"A1": 1, "B2": 0}, [{"A1": 1, "B2": 0}]])
def test_key_values_in_either_list_type(body):
    records = list(KeyValueExtractor(parameters={}, key_field="sku", value_field="stock").extract_records(json_response(body)))
    assert records == [{"sku": "A1", "stock": 1}, {"sku": "B2", "stock": 0}]


def test_embedded_list_items_are_numbered_by_their_place_in_the_list():
    # M3 Wholesale: order lines have no id and one SKU may be on two lines; the place in the list tells them apart
    extractor = EmbeddedObjectsExtractor(parameters={}, position_field="line_number",
                                         sources=[{"objects": {"line": ["products"]}, "parent_fields": {"order_id": ["id"]}}])
    body = [{"id": "ORD1", "products": [{"product_sku": "A1", "quantity": 1}, None, {"product_sku": "A1", "quantity": 2}]},
            {"id": 8, "products": {"product_sku": "B2"}}]
    records = list(extractor.extract_records(json_response(body)))
    assert [(r["order_id"], r["line_number"], r["product_sku"]) for r in records] == [("ORD1", 1, "A1"), ("ORD1", 3, "A1"), (8, 1, "B2")]
    assert "line" not in records[0]  # no label_field: no label


def test_a_detail_body_is_one_record_when_it_has_the_record_key():
    # REC+ `/orders/{id}` answers the bare order, whose `lines` is its only list: not the records
    order = {"id": 7, "status": "Dispatched", "lines": [{"id": 70}], "delivery_address": {"town": "Breda"}}
    extractor = EnvelopeListExtractor(config={}, parameters={}, field_names=["orders"], record_key="id")
    assert list(extractor.extract_records(json_response(order))) == [order]
    assert list(extractor.extract_records(json_response({"orders": [order], "count": 1}))) == [order]
    assert list(EnvelopeListExtractor(config={}, parameters={}, field_names=["orders"]).extract_records(json_response(order))) == [{"id": 70}]
    lines = EmbeddedObjectsExtractor(parameters={}, sources=[{"envelope_keys": ["orders"], "record_key": "id", "objects": {"line": "lines"}, "parent_fields": {"order_id": "id"}}])
    assert list(lines.extract_records(json_response(order))) == [{"id": 70, "order_id": 7}]
