"""Fixtures for a source's own tests, built from the registry (`SOURCES`): the source is the one
whose folder holds the test. Loaded for every test by the root conftest.py; a source's conftest
may refine one (vidaXL's `config_for` adds its window options)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from .connectors import SOURCES, SandboxedConnector
from .sandbox import running_sandbox


@pytest.fixture(scope="module")
def source(request: pytest.FixtureRequest) -> SandboxedConnector:
    """The registered source whose folder (`source-<name>/`) holds the requesting test."""
    folders = {p.name for p in Path(str(request.path)).resolve().parents}
    found = [connector for connector in SOURCES.values() if connector.script in folders]
    if not found:
        pytest.fail(f"{request.path}: the source fixtures are for tests under a registered source-*/ folder")
    return found[0]


@pytest.fixture(scope="module")
def manifest(source: SandboxedConnector, request: pytest.FixtureRequest) -> Path:
    folder = next(p for p in Path(str(request.path)).resolve().parents if p.name == source.script)
    return folder / "manifest.yaml"


@pytest.fixture(scope="module")
def config_for(source: SandboxedConnector) -> Callable[..., dict[str, Any]]:
    """server -> the registry's config for that sandbox, with keyword overrides."""

    def make(server: Any, **overrides: Any) -> dict[str, Any]:
        return {**source.config(server.url), **overrides}

    return make


@pytest.fixture
def sandbox(source: SandboxedConnector) -> Iterator[Any]:
    """The source's sandbox with its default options, for one test."""
    with running_sandbox(source.sandbox) as server:
        yield server
