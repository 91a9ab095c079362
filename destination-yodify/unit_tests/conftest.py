"""Fixtures for destination-yodify tests; helpers live in yodify_dest_helpers.py (importlib mode: put on sys.path here)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from connector_common.testing import running_sandbox  # noqa: E402


@pytest.fixture
def sandbox():
    with running_sandbox("yodify") as server:
        yield server


# The CDK's standard suite (test_standard_suite.py) parametrizes `scenario` through this hook; its
# command-line options live in a plugin this repo does not load, so the image fixtures answer None
# (no --connector-image: the docker tests skip themselves).
from airbyte_cdk.test.standard_tests.pytest_hooks import pytest_generate_tests  # noqa: E402,F401


@pytest.fixture
def connector_image_override():
    return None


@pytest.fixture
def connector_base_image_override():
    return None


@pytest.fixture
def read_from_streams():
    return "default"


@pytest.fixture
def read_scenarios():
    return "default"
