"""Record transformations for declarative manifests."""

from __future__ import annotations

import logging
from dataclasses import InitVar, dataclass, field
from typing import Any, Mapping, MutableMapping

from airbyte_cdk.sources.declarative.transformations import RecordTransformation

from connector_common.dates import is_php_datetime, php_datetime_to_iso

logger = logging.getLogger("airbyte")


@dataclass
class PhpDateTimeToIso(RecordTransformation):
    """Replace PHP DateTime objects (`{"date", "timezone_type", "timezone"}`) with ISO 8601 strings
    carrying the offset in force in their zone at that instant (see `connector_common.dates`).

    `fields` (or the stream's `$parameters.php_date_fields`, so one definition serves every stream) lists paths into the record; a `*` segment walks every item of a list (or every value
    of an object): `[["updated_at"], ["shipments", "*", "created_at"]]`. A path that is absent or
    holds something else (an ISO string, null) is left alone. Without `fields`, every PHP DateTime
    anywhere in the record is converted. A value that cannot be read (an unknown zone) becomes null
    with a warning, so one bad value never stops a sync while the schema stays `string, date-time`.

        transformations:
          - type: CustomTransformation
            class_name: connector_common.components.transformations.PhpDateTimeToIso
            fields: [["updated_at"], ["shipments", "*", "created_at"]]
    """

    parameters: InitVar[Mapping[str, Any]]
    fields: list[list[str] | str] = field(default_factory=list)
    config: Mapping[str, Any] | None = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        fields = self.fields or (parameters or {}).get("php_date_fields") or []
        self._paths = [[p] if isinstance(p, str) else list(p) for p in fields]

    def transform(self, record: MutableMapping[str, Any], config: Any = None, stream_state: Any = None, stream_slice: Any = None) -> None:
        if not self._paths:
            _convert_everywhere(record)
            return
        for path in self._paths:
            _convert_at(record, path)


def _convert(value: Any) -> Any:
    try:
        return php_datetime_to_iso(value)
    except ValueError as error:
        logger.warning("PHP DateTime could not be read, emitted as null: %s", error)
        return None


def _convert_at(container: Any, path: list[str]) -> None:
    if not path:
        return
    head, rest = path[0], path[1:]
    if head == "*":
        keys = range(len(container)) if isinstance(container, list) else list(container) if isinstance(container, MutableMapping) else []
    elif isinstance(container, MutableMapping) and head in container:
        keys = [head]
    elif isinstance(container, list) and head.lstrip("-").isdigit() and -len(container) <= int(head) < len(container):
        keys = [int(head)]
    else:
        return
    for key in keys:
        if rest:
            _convert_at(container[key], rest)
        elif is_php_datetime(container[key]):
            container[key] = _convert(container[key])


def _convert_everywhere(container: Any) -> None:
    items = container.items() if isinstance(container, MutableMapping) else enumerate(container) if isinstance(container, list) else []
    for key, value in list(items):
        if is_php_datetime(value):
            container[key] = _convert(value)
        elif isinstance(value, (MutableMapping, list)):
            _convert_everywhere(value)
