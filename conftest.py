# The CDK's standard test suites need its fixtures and command-line options (--connector-image, ...).
pytest_plugins = ["airbyte_cdk.test.standard_tests.pytest_hooks"]

import logging

import pytest


@pytest.fixture(autouse=True)
def _quiet_cdk_debug_logs():
    # the CDK's entrypoint wrapper prints every response body at DEBUG; no assertion needs them
    logging.getLogger("airbyte").setLevel(logging.INFO)
