"""Every source manifest keeps the one layout of CONTRIBUTING.md, so the next stream (and the next
supplier) keeps it too."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
MANIFESTS = sorted(REPO.glob("source-*/manifest.yaml"))
TOP_LEVEL = ["version", "type", "description", "check", "concurrency_level", "definitions", "streams", "spec", "schemas"]
SHARED_HANDLER = "connector_common.components.retries.SharedRetryErrorHandler"


def walk(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, path + (index,))


@pytest.fixture(params=MANIFESTS, ids=lambda p: p.parent.name)
def manifest(request) -> tuple[str, dict]:
    text = request.param.read_text()
    return text, yaml.safe_load(text)


def test_top_level_keys_in_order(manifest):
    assert list(manifest[1]) == TOP_LEVEL


def test_one_reference_style_ref_maps_only(manifest):
    text, parsed = manifest
    tokens = {type(t).__name__ for t in yaml.scan(text)}
    assert not tokens & {"AnchorToken", "AliasToken"}, "YAML anchors/aliases: use {$ref: ...}"
    string_refs = [p for p, v in walk(parsed) if isinstance(v, str) and v.startswith("#/") and p[-1] != "$ref"]
    assert not string_refs, f"string references (use {{$ref: ...}}): {string_refs[:5]}"


def test_every_stream_names_its_endpoint_in_its_parameters(manifest):
    streams = manifest[1]["streams"]
    assert streams and all(isinstance(s, dict) for s in streams)
    for stream in streams:
        endpoint = (stream.get("$parameters") or {}).get("endpoint")
        assert isinstance(endpoint, str) and endpoint.startswith("/"), f"{stream.get('name')}: $parameters.endpoint"


def test_definitions_define_no_named_stream(manifest):
    named = [p for p, v in walk(manifest[1]["definitions"]) if isinstance(v, dict) and v.get("type") == "DeclarativeStream" and "name" in v]
    assert not named, f"streams belong under streams:, not definitions: {named}"


def test_schemas_live_at_the_top_level(manifest):
    parsed = manifest[1]
    loaders = [v for p, v in walk(parsed["streams"]) if isinstance(v, dict) and v.get("type") == "InlineSchemaLoader"]
    assert loaders
    for loader in loaders:
        ref = (loader.get("schema") or {}).get("$ref", "")
        assert ref.startswith("#/schemas/") and ref.split("/")[-1] in parsed["schemas"], loader
    assert not [p for p, v in walk(parsed["definitions"]) if p and p[-1] == "schemas"]


def test_one_concurrency_setting_named_num_workers(manifest):
    parsed = manifest[1]
    assert "config.get('num_workers')" in str(parsed["concurrency_level"]["default_concurrency"])
    prop = parsed["spec"]["connection_specification"]["properties"]["num_workers"]
    assert prop["type"] == "integer" and prop["minimum"] >= 1
    assert prop["maximum"] <= parsed["concurrency_level"]["max_concurrency"]


def test_no_manifest_restates_the_shared_retry_rules(manifest):
    parsed = manifest[1]
    handlers = [v for p, v in walk(parsed) if isinstance(v, dict) and p and "error_handler" in str(p[-1])]
    assert handlers
    for path, node in walk(parsed):
        if not isinstance(node, dict):
            continue
        assert "backoff_strategies" not in node, f"{path}: the shared handler's waits are its fields"
        if node.get("type") == "CustomErrorHandler":
            assert node.get("class_name") == SHARED_HANDLER, path
        if node.get("type") == "HttpResponseFilter":
            codes = set(node.get("http_codes") or [])
            assert not {c for c in codes if c == 429 or c >= 500}, f"{path}: 429 and 5xx are the shared rules"
            assert "Content-Type" not in str(node.get("predicate", "")), f"{path}: non-JSON pages are the shared rules"
