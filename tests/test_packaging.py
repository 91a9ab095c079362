"""Airbyte packaging that tells the truth: metadata.yaml, the Dockerfile and pyproject.toml of every
connector agree on how it is built, where its docs are, and what its image installs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CONNECTORS = sorted(p.parent for p in REPO.glob("*/metadata.yaml"))


@pytest.fixture(params=CONNECTORS, ids=lambda p: p.name)
def connector(request) -> Path:
    return request.param


def test_every_connector_folder_is_packaged():
    assert {p.name for p in CONNECTORS} == {p.name for p in REPO.glob("source-*")} | {p.name for p in REPO.glob("destination-*")}


def test_metadata_matches_the_image_definition_and_the_package(connector):
    data = yaml.safe_load((connector / "metadata.yaml").read_text())["data"]
    dockerfile = (connector / "Dockerfile").read_text()
    project = tomllib.loads((connector / "pyproject.toml").read_text())["project"]
    name = connector.name
    assert data["dockerRepository"] == f"airbyte/{name}"
    assert data["connectorType"] == name.split("-")[0]
    # the base image metadata names is the one the Dockerfile builds FROM
    (base,) = re.findall(r"^ARG BASE_IMAGE=(\S+)$", dockerfile, re.M)
    assert data["connectorBuildOptions"]["baseImage"] == base and "FROM ${BASE_IMAGE}" in dockerfile
    # a Python package with its own image: never manifest-only
    assert data["language"] == "python" and "language:python" in data["tags"]
    assert not [t for t in data["tags"] if t == "language:manifest-only"]
    cdk = "cdk:low-code" if (connector / "manifest.yaml").exists() else "cdk:python"
    assert cdk in data["tags"]
    # its docs are its README in this repository
    assert data["documentationUrl"].endswith(f"/{name}/README.md") and (connector / "README.md").exists()
    assert data["dockerImageTag"] == project["version"] and f"io.airbyte.version={project['version']}" in dockerfile
    assert project["scripts"] == {name: f"{name.replace('-', '_')}.run:run"}
    assert f'ENTRYPOINT ["{name}"]' in dockerfile


def test_the_image_installs_only_the_runtime_package_and_the_connector(connector):
    dockerfile = (connector / "Dockerfile").read_text()
    copied = re.findall(r"^COPY (\S+) ", dockerfile, re.M)
    assert copied == ["shared", connector.name]
    runtime = tomllib.loads((REPO / "shared" / "pyproject.toml").read_text())["project"]["dependencies"]
    assert not [d for d in runtime if re.match(r"(airbyte|pytest|supplier-sandbox|connector-testing|duckdb)\b(?!-cdk)", d)]
    dependencies = tomllib.loads((connector / "pyproject.toml").read_text())["project"]["dependencies"]
    assert not [d for d in dependencies if re.match(r"(pytest|supplier-sandbox|connector-testing)\b", d)]


# import name -> distribution name, where they differ
DISTRIBUTIONS = {"airbyte_cdk": "airbyte-cdk", "yaml": "pyyaml"}


def test_the_runtime_package_declares_every_import_and_imports_no_test_code():
    import ast
    import sys

    declared = {re.split(r"[<>=\[ ;]", d)[0].lower() for d in tomllib.loads((REPO / "shared" / "pyproject.toml").read_text())["project"]["dependencies"]}
    imported = set()
    for path in (REPO / "shared" / "connector_common").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m != "connector_common"}
    assert not third_party & {"supplier_sandbox", "connector_testing", "airbyte", "pytest", "duckdb"}
    assert {DISTRIBUTIONS.get(m, m).replace("_", "-") for m in third_party} <= declared
