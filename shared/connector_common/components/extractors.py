"""Record extractors for response shapes the CDK's DpathExtractor cannot express on its own."""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field
from typing import Any, Iterable, List, Mapping, Optional

import requests
from airbyte_cdk.sources.declarative.decoders import Decoder, JsonDecoder
from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor
from airbyte_cdk.sources.types import Config


def _lookup(record: Any, dotted: str) -> Any:
    value = record
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


@dataclass
class EnvelopeListExtractor(RecordExtractor):
    """Records from an envelope whose list key is not pinned down by the doc.

    REC+ documents `{"href", "products": [...], "count", "paging"}` for products but not the key of
    every other collection (`delivery-methods` or `delivery_methods`?). The records are the
    first of `field_names` present in the body, else the body's only top-level array. A body
    with no array yields no records; one with several unnamed arrays is an error, not a guess.
    """

    config: Config
    parameters: InitVar[Mapping[str, Any]]
    field_names: List[str] = field(default_factory=list)
    decoder: Decoder = field(default_factory=lambda: JsonDecoder(parameters={}))

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._names = [str(name) for name in self.field_names]

    def extract_records(self, response: requests.Response) -> Iterable[Mapping[str, Any]]:
        for body in self.decoder.decode(response):
            yield from self._records(body)

    def _records(self, body: Any) -> list[Mapping[str, Any]]:
        if isinstance(body, list):
            return body
        if not isinstance(body, Mapping):
            return []
        for name in self._names:
            if isinstance(body.get(name), list):
                return body[name]
        lists = [key for key, value in body.items() if isinstance(value, list)]
        if len(lists) > 1:
            raise ValueError(f"response has several lists ({', '.join(lists)}); name the records key in field_names")
        return body[lists[0]] if lists else []


@dataclass
class EmbeddedObjectsExtractor(RecordExtractor):
    """One record per object embedded in each parent record, labelled and keyed to its parent.

    For data the API embeds as single objects rather than lists (an order's `delivery_address`
    and its customer's `billing_address`), which the CDK's RecordExpander cannot expand:

        type: CustomRecordExtractor
        class_name: connector_common.components.extractors.EmbeddedObjectsExtractor
        records_path: ["orders"]
        objects: {delivery: delivery_address, billing: user.billing_address}
        label_field: address_type
        parent_fields: {order_id: id, order_start_date: start_date}

    Missing or null embedded objects are skipped. An embedded list of objects yields each item.
    """

    config: Config
    parameters: InitVar[Mapping[str, Any]]
    objects: Mapping[str, str]
    records_path: List[str] = field(default_factory=list)
    label_field: Optional[str] = None
    parent_fields: Mapping[str, str] = field(default_factory=dict)
    decoder: Decoder = field(default_factory=lambda: JsonDecoder(parameters={}))

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._parents = EnvelopeListExtractor(config=self.config, parameters={}, field_names=list(self.records_path), decoder=self.decoder)

    def extract_records(self, response: requests.Response) -> Iterable[Mapping[str, Any]]:
        for parent in self._parents.extract_records(response):
            yield from self.children(parent)

    def children(self, parent: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
        copied = {name: _lookup(parent, path) for name, path in self.parent_fields.items()}
        for label, path in self.objects.items():
            embedded = _lookup(parent, path)
            items = embedded if isinstance(embedded, list) else [embedded]
            for item in items:
                if not isinstance(item, Mapping):
                    continue
                child = dict(item)
                if self.label_field:
                    child[self.label_field] = label
                child.update(copied)
                yield child
