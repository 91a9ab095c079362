import json

import pytest
import requests

from connector_common.components.extractors import EmbeddedObjectsExtractor, EnvelopeListExtractor


def response(body) -> requests.Response:
    r = requests.Response()
    r.status_code = 200
    r._content = json.dumps(body).encode()
    r.headers["Content-Type"] = "application/json"
    return r


def test_envelope_prefers_the_named_key_then_the_only_list():
    named = EnvelopeListExtractor(config={}, parameters={}, field_names=["delivery_methods"])
    assert list(named.extract_records(response({"delivery_methods": [{"id": 1}], "count": 1}))) == [{"id": 1}]
    # another server spells the key with a dash: still found, as the body's only list
    assert list(named.extract_records(response({"delivery-methods": [{"id": 2}], "paging": {}}))) == [{"id": 2}]
    assert list(named.extract_records(response([{"id": 3}]))) == [{"id": 3}]
    assert list(named.extract_records(response({"count": 0}))) == []


def test_envelope_refuses_to_guess_between_several_lists():
    extractor = EnvelopeListExtractor(config={}, parameters={})
    with pytest.raises(ValueError, match="several lists"):
        list(extractor.extract_records(response({"a": [], "b": []})))


def test_embedded_objects_are_labelled_and_keyed_to_their_parent():
    extractor = EmbeddedObjectsExtractor(
        config={}, parameters={}, records_path=["orders"],
        objects={"delivery": "delivery_address", "billing": "user.billing_address"},
        label_field="address_type", parent_fields={"order_id": "id", "user_id": "user.id"},
    )
    body = {"orders": [
        {"id": 7, "user": {"id": 3, "billing_address": {"town": "Utrecht"}}, "delivery_address": {"town": "Breda"}},
        {"id": 8, "user": None, "delivery_address": None},
        {"id": 9, "user": {"id": 4, "billing_address": [{"town": "A"}, {"town": "B"}]}},
    ]}
    assert list(extractor.extract_records(response(body))) == [
        {"town": "Breda", "address_type": "delivery", "order_id": 7, "user_id": 3},
        {"town": "Utrecht", "address_type": "billing", "order_id": 7, "user_id": 3},
        {"town": "A", "address_type": "billing", "order_id": 9, "user_id": 4},
        {"town": "B", "address_type": "billing", "order_id": 9, "user_id": 4},
    ]
