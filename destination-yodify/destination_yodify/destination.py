"""destination-yodify: write orders, shipments, SKU stock and prices, and addresses into Yodify."""

from __future__ import annotations

import logging
from typing import Any, Iterable, Mapping

from airbyte_cdk.destinations import Destination
from airbyte_cdk.models import (
    AirbyteConnectionStatus,
    AirbyteMessage,
    ConfiguredAirbyteCatalog,
    DestinationSyncMode,
    FailureType,
    Status,
    Type,
)
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from connector_common.http_client import ApiError, ConfigError, TransientError

from .writer import STREAMS, YodifyWriter, build_client
from .yodify_api import API

logger = logging.getLogger("airbyte")

SUPPORTED_MODES = {DestinationSyncMode.append, DestinationSyncMode.append_dedup}


def check_catalog(catalog: ConfiguredAirbyteCatalog) -> set[str]:
    """The catalog's stream names; refuses unknown streams and modes the API cannot honour."""
    names = {s.stream.name for s in catalog.streams}
    unknown = sorted(names - set(STREAMS))
    if unknown:
        raise ConfigError(
            f"destination-yodify cannot write the stream(s) {', '.join(unknown)}. It writes only "
            f"{', '.join(STREAMS)}: rename the source's stream (or map it) to one of those, or deselect it."
        )
    for configured in catalog.streams:
        if configured.destination_sync_mode not in SUPPORTED_MODES:
            raise ConfigError(
                f"Stream {configured.stream.name}: destination sync mode {configured.destination_sync_mode.value} is not supported; "
                "Yodify data is never deleted by this destination, so use append or append_dedup."
            )
    return names


class DestinationYodify(Destination):
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
        streams = check_catalog(configured_catalog)
        writer = YodifyWriter(config)
        try:
            for message in input_messages:
                if message.type == Type.RECORD:
                    stream = message.record.stream
                    if stream not in streams:
                        raise ConfigError(f"A record arrived for stream {stream!r}, which is not in the configured catalog ({', '.join(sorted(streams))}).")
                    writer.submit(stream, message.record.data)
                elif message.type == Type.STATE:
                    # every record before this state is written (or reported) before it goes out
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
