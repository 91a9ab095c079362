"""`discover`: the DESTINATION_CATALOG of a data-activation destination, built from the stream table.

One operation per object and sync mode it supports, each with the object's JSON schema (from
`schemas/`) and its matching keys. The CDK's message dataclasses have no DESTINATION_CATALOG, so
the answer is the protocol's own pydantic model (`airbyte_protocol.models`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .streams import STREAMS
from .writer import load_schemas

if TYPE_CHECKING:
    from airbyte_protocol.models import AirbyteMessage, DestinationCatalog


def destination_catalog() -> DestinationCatalog:
    # imported here: the pydantic protocol models cost 0.4 s of start-up that spec/check/write do not need
    from airbyte_protocol.models import DestinationCatalog, DestinationOperation, DestinationSyncMode

    schemas = load_schemas()
    operations = [
        DestinationOperation(
            object_name=stream.name,
            sync_mode=DestinationSyncMode(mode),
            json_schema=schemas[stream.name],
            matching_keys=[[key] for key in stream.keys],
        )
        for stream in STREAMS.values()
        for mode in stream.sync_modes
    ]
    return DestinationCatalog(operations=operations)


def destination_catalog_message() -> AirbyteMessage:
    from airbyte_protocol.models import AirbyteMessage, Type

    return AirbyteMessage(type=Type.DESTINATION_CATALOG, destination_catalog=destination_catalog())

