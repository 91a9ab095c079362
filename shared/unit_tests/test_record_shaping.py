import pytest

from connector_common.components.record_shaping import KeepFields, TrimFractionDigits, UnwrapField


def test_unwrap_merges_wrapped_object_and_drops_wrapper():
    record = {"order": {"id": 1, "status_order_id": 5}, "order_id": 9}
    UnwrapField(parameters={}, field_name="order").transform(record)
    assert record == {"id": 1, "status_order_id": 5, "order_id": 9}


def test_unwrap_wrapped_wins_unless_keep_existing():
    record = {"order_product": {"id": 1, "order_id": 2}, "order_id": 3}
    UnwrapField(parameters={}, field_name="order_product").transform(record)
    assert record["order_id"] == 2
    record = {"order_product": {"id": 1, "order_id": 2}, "order_id": 3}
    UnwrapField(parameters={}, field_name="order_product", keep_existing=True).transform(record)
    assert record == {"id": 1, "order_id": 3}


@pytest.mark.parametrize("record", [{"id": 1, "status_order_id": 2}, {"order": None, "id": 1}, {"order": "x"}])
def test_unwrap_leaves_unwrapped_records_alone(record):
    before = dict(record)
    UnwrapField(parameters={}, field_name="order").transform(record)
    assert record == before


def test_unwrap_requires_a_field_name():
    with pytest.raises(ValueError):
        UnwrapField(parameters={})


def test_keep_fields_projects_in_order_and_fills_missing_with_null():
    record = {"id": 1, "city": "Utrecht", "gross_total": "7.2", "address": "Main 1"}
    KeepFields(parameters={}, field_names=["address", "city", "province"]).transform(record)
    assert list(record) == ["address", "city", "province"]
    assert record == {"address": "Main 1", "city": "Utrecht", "province": None}


def test_keep_fields_requires_names():
    with pytest.raises(ValueError):
        KeepFields(parameters={})


def test_keep_fields_renames_without_changing_the_value():
    record = {"id": 7, "shipping_tracking": "0042", "gross_total": "1.0"}
    KeepFields(parameters={}, field_names=["order_id", "tracking_number"],
               renames={"order_id": "id", "tracking_number": "shipping_tracking"}).transform(record)
    assert record == {"order_id": 7, "tracking_number": "0042"}


def test_trim_fraction_digits_cuts_dotnet_timestamps_to_microseconds_only():
    record = {"ordered_date": "2024-01-01T00:00:00.1234567Z", "created_on": "2024-01-01T00:00:00.1234567+01:00",
              "modified_on": "2024-01-01T00:00:00.123456Z", "naive": "2024-01-01T00:00:00.1234567",
              "title": "2024-01-01T00:00:00.1234567 is not a date here", "n": 5}
    TrimFractionDigits(parameters={}).transform(record)
    assert record["ordered_date"] == "2024-01-01T00:00:00.123456Z"
    assert record["created_on"] == "2024-01-01T00:00:00.123456+01:00"
    assert record["modified_on"] == "2024-01-01T00:00:00.123456Z"
    assert record["naive"] == "2024-01-01T00:00:00.123456"
    assert record["n"] == 5 and record["title"].startswith("2024-01-01T00:00:00.1234567 ")
