"""The CDK's standard destination suite (spec, check per acceptance-test-config.yml), against the sandbox."""

import functools
import shutil
import subprocess

import pytest
from airbyte_cdk.test.standard_tests.destination_base import DestinationTestSuiteBase

from connector_common.testing import SandboxScenarios


@functools.cache
def docker_engine_available() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


class TestStandard(SandboxScenarios, DestinationTestSuiteBase):
    sandbox_supplier = "yodify"

    @pytest.fixture(autouse=True)
    def _image_tests_need_a_docker_engine(self, request):
        # the docker CLI is installed on these machines but no engine runs
        if request.node.get_closest_marker("image_tests") and not docker_engine_available():
            pytest.skip("no docker engine: image tests skipped")
