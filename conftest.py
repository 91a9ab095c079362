# The CDK's standard test suites need its fixtures and command-line options (--connector-image, ...);
# a source's own tests get `source`, `manifest`, `config_for` and `sandbox` from the registry.
pytest_plugins = ["airbyte_cdk.test.standard_tests.pytest_hooks", "connector_testing.fixtures"]

import logging

import pytest


@pytest.fixture(autouse=True)
def _quiet_cdk_debug_logs():
    # the CDK's entrypoint wrapper prints every response body at DEBUG; no assertion needs them
    logging.getLogger("airbyte").setLevel(logging.INFO)
