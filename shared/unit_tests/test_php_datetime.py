"""connector_common.components.php_datetime.PhpDateTimeToIso on records."""

import copy

from connector_common.components.php_datetime import PhpDateTimeToIso


def php(date, zone="Europe/Amsterdam"):
    return {"date": date, "timezone_type": 3, "timezone": zone}


ORDER = {
    "id": 1,
    "updated_at": php("2024-07-01 12:00:00.000000"),
    "shipments": [{"created_at": php("2024-01-01 12:00:00.000000"), "shipment_id": 5}, {"created_at": None}],
    "other": php("2024-01-01 00:00:00.000000", "UTC"),
}


def test_converts_named_fields_and_wildcards_only():
    record = copy.deepcopy(ORDER)
    PhpDateTimeToIso(parameters={}, fields=[["updated_at"], ["shipments", "*", "created_at"], ["missing", "x"]]).transform(record)
    assert record["updated_at"] == "2024-07-01T12:00:00+02:00"
    assert record["shipments"][0]["created_at"] == "2024-01-01T12:00:00+01:00"
    assert record["shipments"][1]["created_at"] is None
    assert record["other"] == ORDER["other"]  # not named: untouched


def test_without_fields_converts_everywhere():
    record = copy.deepcopy(ORDER)
    PhpDateTimeToIso(parameters={}).transform(record)
    assert record["other"] == "2024-01-01T00:00:00+00:00"
    assert record["shipments"][0]["created_at"] == "2024-01-01T12:00:00+01:00"


def test_unreadable_value_becomes_null_not_a_crash(caplog):
    record = {"updated_at": php("2024-01-01 00:00:00.000000", "Nowhere/Land")}
    PhpDateTimeToIso(parameters={}, fields=["updated_at"]).transform(record)
    assert record["updated_at"] is None
    assert "could not be read" in caplog.text


def test_already_iso_values_pass():
    record = {"updated_at": "2024-01-01T00:00:00+00:00"}
    PhpDateTimeToIso(parameters={}, fields=["updated_at"]).transform(record)
    assert record == {"updated_at": "2024-01-01T00:00:00+00:00"}


def test_fields_from_parameters():
    record = copy.deepcopy(ORDER)
    PhpDateTimeToIso(parameters={"php_date_fields": [["updated_at"]]}).transform(record)
    assert record["updated_at"] == "2024-07-01T12:00:00+02:00"
    assert record["other"] == ORDER["other"]
