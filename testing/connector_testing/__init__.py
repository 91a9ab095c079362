"""Test helpers shared by every connector's tests: sandboxes, in-process and CLI runs, protocol checks.

Kept in the shared package (not a conftest) so unit tests, cross-connector tests and benchmarks
all run connectors the same way.
"""

from .runs import (
    catalog_for,
    check,
    cli_connection_status,
    connection_status,
    declarative_source,
    discover,
    protocol_messages,
    read,
    records_by_stream,
    run_cli,
    state_messages,
)
from .clock import RetryClock, patch_retry_waits
from .completeness import assert_complete, primary_keys
from .connectors import CONNECTORS, DESTINATIONS, SOURCES, SandboxedConnector
from .responses import json_response
from .sandbox import most_in_flight, running_sandbox, sandbox_process, shared_sandbox
from .standard_suite import SandboxScenarios

__all__ = [
    "CONNECTORS",
    "DESTINATIONS",
    "SOURCES",
    "RetryClock",
    "SandboxedConnector",
    "SandboxScenarios",
    "assert_complete",
    "catalog_for",
    "check",
    "cli_connection_status",
    "connection_status",
    "declarative_source",
    "discover",
    "json_response",
    "most_in_flight",
    "patch_retry_waits",
    "primary_keys",
    "protocol_messages",
    "read",
    "records_by_stream",
    "run_cli",
    "running_sandbox",
    "sandbox_process",
    "shared_sandbox",
    "state_messages",
]
