"""The shared paginator and extractor for bare-array / envelope lists with an unknown page base."""

from __future__ import annotations



from airbyte_cdk.sources.declarative.expanders.record_expander import ParentFieldPath, RecordExpander
from connector_common.components.array_or_envelope import ArrayOrEnvelopeExtractor, ArrayOrEnvelopePageIncrement
from connector_testing import json_response



def strategy(**kw) -> ArrayOrEnvelopePageIncrement:
    return ArrayOrEnvelopePageIncrement(config={}, parameters={}, **kw)


def test_starts_at_page_zero_and_counts_up():
    s = strategy(page_size=2)
    assert s.initial_token == 0 and s.get_page_size() == 2
    assert s.next_page_token(json_response([{"id": 1}, {"id": 2}]), 2, None, 0) == 1
    assert s.next_page_token(json_response([{"id": 3}, {"id": 4}]), 0, None, 5) == 6


def test_first_request_may_carry_no_page_number_then_counts_from_one():
    s = strategy(page_size=2, omit_first_page_number=True)
    assert s.initial_token is None
    assert s.next_page_token(json_response([{"id": 1}, {"id": 2}]), 2, None, None) == 1
    assert s.next_page_token(json_response([{"id": 3}, {"id": 4}]), 2, None, 1) == 2


def test_bare_array_ends_on_short_or_empty_page_not_on_emitted_count():
    s = strategy(page_size=2)
    assert s.next_page_token(json_response([{"id": 1}]), 1, None, 0) is None
    assert s.next_page_token(json_response([]), 0, None, 0) is None
    # every record de-duplicated away (last_page_size 0) still pages on: the server sent a full page
    assert s.next_page_token(json_response([{"id": 1}, {"id": 2}]), 0, None, 1) == 2
    # a smaller page size the server was asked for (REDUCE_PAGE_SIZE) is the one compared
    assert s.next_page_token(json_response([{"id": 1}]), 1, None, 1, page_size_override=1) == 2


def test_envelope_follows_has_more_and_stops_on_empty_data():
    s = strategy(page_size=100, start_from_page=1)
    assert s.initial_token == 1
    assert s.next_page_token(json_response({"data": [{"id": 1}], "has_more": True}), 1, None, 1) == 2
    assert s.next_page_token(json_response({"data": [{"id": 1}] * 100, "has_more": False}), 100, None, 1) is None
    assert s.next_page_token(json_response({"data": [], "has_more": True}), 0, None, 1) is None
    # an envelope without has_more falls back to the short-page rule
    assert s.next_page_token(json_response({"data": [{"id": 1}] * 100}), 100, None, 1) == 2
    assert s.next_page_token(json_response({"data": [{"id": 1}]}), 1, None, 1) is None


def test_page_size_may_be_interpolated():
    s = ArrayOrEnvelopePageIncrement(config={"page_size": 25}, parameters={}, page_size="{{ config['page_size'] }}")
    assert s.get_page_size() == 25


def extractor(**kw) -> ArrayOrEnvelopeExtractor:
    return ArrayOrEnvelopeExtractor(field_path=[], config={}, parameters={}, **kw)


def test_extracts_both_shapes():
    e = extractor()
    assert list(e.extract_records(json_response([{"id": 1}, {"id": 2}]))) == [{"id": 1}, {"id": 2}]
    assert list(e.extract_records(json_response({"object": "list", "data": [{"id": 3}], "has_more": False}))) == [{"id": 3}]
    assert list(e.extract_records(json_response([]))) == []


def test_unique_key_drops_records_already_emitted_across_pages():
    e = extractor(unique_key="id")
    page = [{"id": 1}, {"id": 2}]
    assert [r["id"] for r in e.extract_records(json_response(page))] == [1, 2]
    # a 1-based server serves page 1 for Page=0 and again for Page=1
    assert list(e.extract_records(json_response({"data": page, "has_more": True}))) == []
    assert [r["id"] for r in e.extract_records(json_response([{"id": 2}, {"id": 3}]))] == [3]
    # without a unique key nothing is dropped
    plain = extractor()
    assert len(list(plain.extract_records(json_response(page)))) + len(list(plain.extract_records(json_response(page)))) == 4


def test_expander_flattens_nested_lists_keyed_to_parent():
    expander = RecordExpander(
        expand_records_from_field=["items"], config={}, parameters={},
        parent_fields=[ParentFieldPath(parent_path=["id"], record_path=["parent_id"], config={}, parameters={})],
    )
    e = extractor(unique_key="id", record_expander=expander)
    body = {"data": [{"id": 1, "items": [{"id": 10}, {"id": 11}]}, {"id": 2, "items": [{"id": 12}]}], "has_more": False}
    out = list(e.extract_records(json_response(body)))
    assert [(r["id"], r["parent_id"]) for r in out] == [(10, 1), (11, 1), (12, 2)]
