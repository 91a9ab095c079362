"""Fixtures for destination-yodify tests; helpers live in yodify_dest_helpers.py (importlib mode: put on sys.path here)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from connector_testing import running_sandbox  # noqa: E402


@pytest.fixture
def sandbox():
    with running_sandbox("yodify") as server:
        yield server
