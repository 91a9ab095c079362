"""The CDK's standard source suite (spec, check, discover, basic read) against the vidaXL sandbox.

The suite's pytest plugin is not loaded for the whole repo (a `pytest_plugins` in a non-root
conftest is an error), so this module takes the two things it needs from it: the scenario
parametrization hook and the image fixtures. The image tests skip themselves when no docker
engine answers (the CLI may exist without one).
"""

import shutil
import subprocess

import pytest
from airbyte_cdk.test.standard_tests.declarative_sources import DeclarativeSourceTestSuite
from airbyte_cdk.test.standard_tests.pytest_hooks import pytest_generate_tests  # noqa: F401 - parametrizes `scenario`

from connector_common.testing import SandboxScenarios


def _docker_engine_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=15).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="module")
def _docker_engine() -> None:
    if not _docker_engine_answers():
        pytest.skip("no docker engine answers here; the image tests need one")


@pytest.fixture
def connector_image_override(_docker_engine) -> None:
    return None


@pytest.fixture
def connector_base_image_override(_docker_engine) -> None:
    return None


class TestStandard(SandboxScenarios, DeclarativeSourceTestSuite):
    sandbox_supplier = "vidaxl"
