"""Full refresh over real HTTP against the NetXL sandbox: counts, keys, filters, extra fields, auth."""

from __future__ import annotations

import json

import pytest
from connector_testing import assert_complete, catalog_for, cli_connection_status, read, records_by_stream, run_cli, running_sandbox


@pytest.mark.parametrize("list_envelope", [None, "resource", "data"])
def test_every_stream_complete_under_each_envelope_reading(manifest, config_for, list_envelope):
    # The doc shows no response envelope: a bare array and the two common envelopes all work.
    with running_sandbox("netxl", list_envelope=list_envelope) as server:
        config = config_for(server)
        output = read(manifest, config, catalog_for(manifest, config))
        assert not output.errors
        assert_complete(output, server, manifest, config)


def test_records_carry_what_the_doc_documents(manifest, config_for, sandbox):
    config = config_for(sandbox)
    records = records_by_stream(read(manifest, config, catalog_for(manifest, config)))
    categories = {c["key"]: c for c in records["categories"]}
    # the nested tree is flattened with each node's own parent key, at any depth
    assert categories["managed-poe"]["parent_key"] == "poe-switches"
    assert categories["poe-switches"]["parent_key"] == "switches"
    assert categories["managed-poe"]["depth"] == 3
    assert categories["voip"].get("parent_key") is None
    assert all("children" not in c for c in categories.values())
    credit = records["credit"][0]
    assert credit["email_address"] == records["accounts"][0]["email_address"]
    assert {o["order_reference"] for o in records["outstanding_orders"]} == {o["order_reference"] for o in credit["outstanding_orders"]}
    product = records["products"][0]
    default_extras = {"description", "short_description", "related", "similar"}
    assert product == sandbox.api.product(0, default_extras)  # all four extra fields by default, values as sent
    assert {"description", "short_description", "related_products", "similar_products"} <= set(product)


@pytest.mark.parametrize(
    ("extra_fields", "expected_param", "present", "absent"),
    [
        ([], None, set(), {"description", "short_description", "related_products", "similar_products"}),
        (["related"], "extra=related", {"related_products"}, {"description", "short_description", "similar_products"}),
        (["description", "similar"], "extra=description,similar", {"description", "similar_products"}, {"short_description", "related_products"}),
    ],
)
def test_extra_product_fields_follow_the_config(manifest, config_for, sandbox, extra_fields, expected_param, present, absent):
    config = config_for(sandbox, product_extra_fields=extra_fields)
    products = records_by_stream(read(manifest, config, catalog_for(manifest, config, ["products"])))["products"]
    assert len(products) == sandbox.api.counts()["products"]
    assert all(present <= set(p) and not (absent & set(p)) for p in products)
    query = sandbox.api_requests("/product")[-1]["query"]
    if expected_param is None:
        assert "extra" not in query
    else:
        assert expected_param in query.split("&")


@pytest.mark.parametrize(
    "filters",
    [
        {"product_manufacturers": ["Ubiquiti", "2N"]},
        {"product_categories": ["networking"]},  # a category includes its subcategories
        {"in_stock_only": True},
        {"product_manufacturers": ["Grandstream"], "product_categories": ["voip"], "in_stock_only": True},
    ],
)
def test_product_filters_return_exactly_what_the_api_filters(manifest, config_for, sandbox, filters):
    config = config_for(sandbox, **filters)
    products = records_by_stream(read(manifest, config, catalog_for(manifest, config, ["products"])))["products"]
    query = {
        "manufacturer": ",".join(filters.get("product_manufacturers", [])),
        "category": ",".join(filters.get("product_categories", [])),
        "inStock": "true" if filters.get("in_stock_only") else "",
    }
    expected = [p["sku"] for p in sandbox.api.filtered_products(query)]
    assert 0 < len(expected) < sandbox.api.counts()["products"]
    assert [p["sku"] for p in products] == expected


def test_json_is_asked_for_even_where_csv_is_the_default(manifest, config_for):
    # The doc: browsers get CSV by default, send `Accept: application/json` on every request.
    with running_sandbox("netxl", default_format="csv") as server:
        config = config_for(server)
        output = read(manifest, config, catalog_for(manifest, config))
        assert not output.errors
        assert_complete(output, server, manifest, config)


def test_api_key_only_in_the_header(manifest, config_for, sandbox, api_key):
    config = config_for(sandbox)
    read(manifest, config, catalog_for(manifest, config))
    logged = sandbox.api_requests()
    assert logged and all(api_key not in r["query"] and "api_key" not in r["query"].lower() for r in logged)
    assert all(r["status"] == 200 for r in logged)


def test_check_with_a_wrong_key_fails_with_a_clear_sentence(config_for, sandbox):
    result = run_cli("source-netxl", "check", config=config_for(sandbox, api_key="wrong-key-123"))
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    assert "rejected the API key" in status["message"] and "api_key" in status["message"]
    assert "Traceback" not in status["message"]
    assert "wrong-key-123" not in result.stdout + result.stderr


def test_check_succeeds_and_secrets_never_appear_in_output(config_for, sandbox, manifest, api_key):
    config = config_for(sandbox)
    check = run_cli("source-netxl", "check", config=config)
    assert '"status":"SUCCEEDED"' in check.stdout.replace(" ", "")
    catalog = catalog_for(manifest, config)
    result = run_cli("source-netxl", "read", config=config, catalog=catalog)
    assert result.returncode == 0, result.stderr[-2000:]
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith('{"type":"RECORD"')]
    assert len(records) == sum(sandbox.api.counts().values())
    for output in (check.stdout, check.stderr, result.stdout, result.stderr):
        assert api_key not in output
