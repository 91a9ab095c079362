"""destination-yodify: write orders, shipments, SKU stock and prices, and addresses into Yodify.

What the sources get from the shared entry point, this destination gets here, from the same shared
modules: the timeout settings (`transport`), credentials inside URLs masked (`masking`) in every line
printed, one sentence for a bad config value (`config_checks`) before anything is sent, and a strict
`check` (the first answer decides) that answers within `transport.CHECK_DEADLINE_SECONDS`.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
import threading
from typing import Any, Iterable, List, Mapping
from urllib.parse import urlsplit

import orjson

from airbyte_cdk.destinations import Destination
from airbyte_cdk.models import (
    AirbyteConnectionStatus,
    AirbyteMessage,
    AirbyteMessageSerializer,
    ConfiguredAirbyteCatalog,
    ConnectorSpecification,
    DestinationSyncMode,
    FailureType,
    Status,
    Type,
)
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets, get_secrets, update_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from connector_common import transport
from connector_common.config_checks import config_problems
from connector_common.http_client import ApiError, ConfigError, TransientError
from connector_common.masking import masked_url, register_url_secrets

from .catalog import destination_catalog, destination_catalog_message
from .writer import CONNECT_TIMEOUT_KEY, READ_TIMEOUT_KEY, STREAMS, TIMEOUT_PROPERTIES, YodifyWriter, build_client, timeouts
from .yodify_api import API

logger = logging.getLogger("airbyte")

SUPPORTED_MODES = {DestinationSyncMode.append, DestinationSyncMode.append_dedup, DestinationSyncMode.update}


def check_catalog(catalog: ConfiguredAirbyteCatalog) -> tuple[dict[str, str], dict[str, str]]:
    """Each configured stream's Yodify object (`destination_object_name`, else the stream's own name)
    and each object's sync mode; refuses unknown objects and modes the API cannot honour."""
    objects = {s.stream.name: s.destination_object_name or s.stream.name for s in catalog.streams}
    unknown = sorted(n for n, obj in objects.items() if obj not in STREAMS)
    if unknown:
        raise ConfigError(
            f"destination-yodify cannot write the stream(s) {', '.join(unknown)}. It writes only "
            f"{', '.join(STREAMS)}: rename the source's stream (or map it) to one of those, or deselect it."
        )
    modes = {}
    for configured in catalog.streams:
        if configured.destination_sync_mode not in SUPPORTED_MODES:
            raise ConfigError(
                f"Stream {configured.stream.name}: destination sync mode {configured.destination_sync_mode.value} is not supported; "
                "Yodify data is never deleted by this destination, so use append_dedup (upsert), append or update."
            )
        modes[objects[configured.stream.name]] = configured.destination_sync_mode.value
    return objects, modes


def _userinfo_in_base_url(config: Mapping[str, Any]) -> list[str]:
    """Yodify takes a bearer token; a user name or password in base_url would replace it (requests
    sends a URL's userinfo as Basic auth), so every call would fail as if the token were wrong."""
    base_url = config.get("base_url")
    try:
        parts = urlsplit(base_url.strip()) if isinstance(base_url, str) else None
    except ValueError:
        return []  # config_checks has said what is wrong with it
    if parts is None or not (parts.username or parts.password):
        return []
    return ["base_url carries a user name or password (user:password@host), which Yodify does not take: remove them from "
            "base_url and give the access token or client credentials in credentials."]


def _transport_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """The config as the shared transport reads it: this destination's timeouts (its read default,
    `request_timeout_seconds` as the older name) under the keys every connector takes."""
    connect, read = timeouts(config)
    return {**config, CONNECT_TIMEOUT_KEY: connect, READ_TIMEOUT_KEY: read}


class StartupProblem(ConfigError):
    """A config the destination cannot run with, found before anything is sent: one sentence."""


class DestinationYodify(Destination):
    VALID_CMDS = {"spec", "check", "discover", "write"}
    hung_check: threading.Thread | None = None  # a check worker still waiting on a socket at its deadline

    def spec(self, logger: logging.Logger) -> ConnectorSpecification:
        spec = super().spec(logger)
        properties = spec.connectionSpecification.setdefault("properties", {})
        for key, schema in TIMEOUT_PROPERTIES.items():
            properties.setdefault(key, dict(schema))
        return spec

    def checked_config(self, spec: ConnectorSpecification, config_path: str) -> Mapping[str, Any]:
        """The config, its secrets (those inside URLs too) in the secret filter, and its values
        checked; raises StartupProblem with the first bad value's sentence."""
        try:
            config = self.read_config(config_path=config_path)
        except (OSError, ValueError) as error:
            raise StartupProblem(f"The file {config_path} could not be read as JSON ({error}).") from None
        # the CDK's own order: secrets into the filter before anything can print them
        update_secrets(get_secrets(spec.connectionSpecification, config))
        register_url_secrets(config)
        errors, warnings = config_problems(spec.connectionSpecification, config)
        errors += _userinfo_in_base_url(config)
        for warning in warnings:
            logger.warning(warning)
        if errors:
            raise StartupProblem(errors[0])
        return config

    def parse_args(self, args: List[str]) -> argparse.Namespace:
        """The CDK's commands plus `discover --config` (data activation) and `--debug` on every command."""
        main_parser = argparse.ArgumentParser()
        subparsers = main_parser.add_subparsers(title="commands", dest="command")
        for name, needs in (("spec", ()), ("check", ("config",)), ("discover", ("config",)), ("write", ("config", "catalog"))):
            sub = subparsers.add_parser(name)
            sub.add_argument("--debug", action="store_true", help="enables detailed debug logs")
            for arg in needs:
                sub.add_argument(f"--{arg}", type=str, required=True, help=f"path to the {arg} JSON file")
        parsed = main_parser.parse_args(args)
        if not parsed.command:
            main_parser.error("no command given: use spec, check, discover or write")
        return parsed

    def run_cmd(self, parsed_args: argparse.Namespace) -> Iterable[AirbyteMessage]:
        if getattr(parsed_args, "debug", False):
            logging.getLogger("airbyte").setLevel(logging.DEBUG)
            logger.debug("Debug logs enabled")
        command = parsed_args.command
        if command == "discover":
            # the CDK's message types have no DESTINATION_CATALOG yet; `run` prints the protocol model
            self.read_config(config_path=parsed_args.config)
            yield destination_catalog_message()
            return
        spec = self.spec(logger)
        if command == "spec":
            yield AirbyteMessage(type=Type.SPEC, spec=spec)
            return
        try:
            config = self.checked_config(spec, parsed_args.config)
        except StartupProblem as problem:
            if command != "check":
                raise
            yield AirbyteMessage(type=Type.CONNECTION_STATUS, connectionStatus=AirbyteConnectionStatus(status=Status.FAILED, message=problem.message))
            return
        if command == "check":
            yield self._run_check(config=config)
        elif command == "write":
            stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")  # UTF-8 whatever the locale says
            # the sources' transport: every answer complete within its deadline (a trickling server)
            with transport.installed(_transport_config(config)):
                yield from self._run_write(config=config, configured_catalog_path=parsed_args.catalog, input_stream=stdin)

    def run(self, args: List[str]) -> None:
        from airbyte_cdk.exception_handler import init_uncaught_exception_handler

        init_uncaught_exception_handler(logger)
        try:
            for message in self.run_cmd(self.parse_args(args)):
                self._print(message)
        except AirbyteTracedException as problem:  # its sentence as a trace, without a traceback logged besides
            self._print(problem.as_airbyte_message())
            sys.exit(1)
        if self.hung_check is not None and self.hung_check.is_alive():
            os._exit(0)  # the check's worker may wait on a socket for ever; its answer is out

    @staticmethod
    def _print(message: Any) -> None:
        if isinstance(message, AirbyteMessage):
            line = orjson.dumps(AirbyteMessageSerializer.dump(message)).decode()
        else:
            line = message.model_dump_json(exclude_none=True)
        # one write per line: log lines from the writer's threads cannot land inside it
        sys.stdout.write(filter_secrets(line) + "\n")
        sys.stdout.flush()

    def discover(self) -> "DestinationCatalog":  # noqa: F821 - airbyte_protocol.models, imported on use
        """The objects this destination writes, how, and by which matching keys (data activation)."""
        return destination_catalog()

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        """Read one order (the token works) and send a write that changes nothing (the token may write).

        The write probe is `PUT /api/v1/SKUs/UpdateInventory/0` with an empty body: no SKU has id 0 and
        the body sets no field, so whatever the API answers, no data changes. 401/403 mean the token
        cannot write; a 400/404 "not found" means it passed authorization.

        Strict, as the sources' check (`transport`): a timeout, a refused connection, or a 2xx that is
        not the API's JSON fails it at once with a sentence; and it answers within the check deadline
        whatever the servers do (a server trickling a byte at a time never trips a timeout).
        """
        register_url_secrets(config)
        with transport.installed(_transport_config(config), strict=True) as policy:
            answer: list[AirbyteConnectionStatus] = []
            worker = threading.Thread(target=lambda: answer.append(self._check(config, policy)), name="check", daemon=True)
            worker.start()
            worker.join(policy.check_deadline)
            if answer:
                return answer[0]
            self.hung_check = worker
            base_url = config.get("base_url")
            return AirbyteConnectionStatus(status=Status.FAILED, message=policy.failures[0] if policy.failures else transport.no_complete_answer(
                policy, masked_url(base_url) if isinstance(base_url, str) else ""))

    def _check(self, config: Mapping[str, Any], policy: transport.Policy) -> AirbyteConnectionStatus:
        client = None
        try:
            client = build_client(config)
            client.timeout = policy.timeout  # no single wait may use up the check's deadline
            client.max_retries = 2
            client.get(f"{API}/Orders", {"Limit": 1})
            try:
                client.request("PUT", f"{API}/SKUs/UpdateInventory/0", json={})
            except ApiError as err:
                if err.status not in (400, 404, 422):
                    raise
            return AirbyteConnectionStatus(status=Status.SUCCEEDED)
        except AirbyteTracedException as err:  # a config error, or the transport's sentence in strict mode
            return AirbyteConnectionStatus(status=Status.FAILED, message=policy.failures[0] if policy.failures else err.message)
        except ApiError as err:
            return AirbyteConnectionStatus(status=Status.FAILED, message=f"Yodify refused the check request (HTTP {err.status}): {err.message}")
        except TransientError as err:
            return AirbyteConnectionStatus(status=Status.FAILED, message=f"Yodify did not answer the check: {filter_secrets(str(err))}")
        except BaseException as err:  # noqa: BLE001 - a check reports, it does not crash
            return AirbyteConnectionStatus(status=Status.FAILED, message=f"Check failed: {filter_secrets(type(err).__name__ + ': ' + str(err))[:500]}")
        finally:
            if client is not None:
                client.close()

    def write(
        self,
        config: Mapping[str, Any],
        configured_catalog: ConfiguredAirbyteCatalog,
        input_messages: Iterable[AirbyteMessage],
    ) -> Iterable[AirbyteMessage]:
        objects, modes = check_catalog(configured_catalog)
        writer = YodifyWriter(config, modes=modes)
        try:
            for message in input_messages:
                if message.type == Type.RECORD:
                    stream = message.record.stream
                    if stream not in objects:
                        raise ConfigError(f"A record arrived for stream {stream!r}, which is not in the configured catalog ({', '.join(sorted(objects))}).")
                    writer.submit(objects[stream], message.record.data)
                elif message.type == Type.STATE:
                    # every record before this state is written (or rejected and stored) before it goes out
                    writer.flush()
                    yield message
            writer.flush()
        except TransientError as err:
            raise AirbyteTracedException(
                message=f"Yodify kept failing; the sync stopped without checkpointing unwritten records: {filter_secrets(str(err))}",
                internal_message=str(err),
                failure_type=FailureType.transient_error,
            ) from None
        finally:
            writer.close()
            logger.info(writer.summary.line())
