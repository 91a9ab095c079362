"""destination-yodify: write orders, shipments, SKU stock and prices, and addresses into Yodify."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any, Iterable, List, Mapping

import orjson

from airbyte_cdk.destinations import Destination
from airbyte_cdk.models import (
    AirbyteConnectionStatus,
    AirbyteMessage,
    AirbyteMessageSerializer,
    ConfiguredAirbyteCatalog,
    DestinationSyncMode,
    FailureType,
    Status,
    Type,
)
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from connector_common.http_client import ApiError, ConfigError, TransientError

from .catalog import destination_catalog, destination_catalog_message
from .writer import STREAMS, YodifyWriter, build_client
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


class DestinationYodify(Destination):
    VALID_CMDS = {"spec", "check", "discover", "write"}

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
        if parsed_args.command == "discover":
            # the CDK's message types have no DESTINATION_CATALOG yet; `run` prints the protocol model
            self.read_config(config_path=parsed_args.config)
            yield destination_catalog_message()
            return
        yield from super().run_cmd(parsed_args)

    def run(self, args: List[str]) -> None:
        from airbyte_cdk.exception_handler import init_uncaught_exception_handler

        init_uncaught_exception_handler(logger)
        for message in self.run_cmd(self.parse_args(args)):
            if isinstance(message, AirbyteMessage):
                line = orjson.dumps(AirbyteMessageSerializer.dump(message)).decode()
            else:
                line = message.model_dump_json(exclude_none=True)
            # one write per line: log lines from the writer's threads cannot land inside it
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def discover(self) -> "DestinationCatalog":  # noqa: F821 - airbyte_protocol.models, imported on use
        """The objects this destination writes, how, and by which matching keys (data activation)."""
        return destination_catalog()

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        """Read one order (the token works) and send a write that changes nothing (the token may write).

        The write probe is `PUT /api/v1/SKUs/UpdateInventory/0` with an empty body: no SKU has id 0 and
        the body sets no field, so whatever the API answers, no data changes. 401/403 mean the token
        cannot write; a 400/404 "not found" means it passed authorization.
        """
        client = None
        try:
            client = build_client(config)
            client.max_retries = 2
            client.get(f"{API}/Orders", {"Limit": 1})
            try:
                client.request("PUT", f"{API}/SKUs/UpdateInventory/0", json={})
            except ApiError as err:
                if err.status not in (400, 404, 422):
                    raise
            return AirbyteConnectionStatus(status=Status.SUCCEEDED)
        except ConfigError as err:
            return AirbyteConnectionStatus(status=Status.FAILED, message=err.message)
        except ApiError as err:
            return AirbyteConnectionStatus(status=Status.FAILED, message=f"Yodify refused the check request (HTTP {err.status}): {err.message}")
        except TransientError as err:
            return AirbyteConnectionStatus(status=Status.FAILED, message=f"Could not reach Yodify at base_url ({filter_secrets(str(err))}). Check base_url and the network.")
        except Exception as err:  # noqa: BLE001 - a check reports, it does not crash
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
