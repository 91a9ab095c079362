"""Record extractors for response shapes the CDK's DpathExtractor (with its RecordExpander) cannot express.

- `EnvelopeListExtractor`: a list response whose envelope key the doc leaves open (REC+).
- `EmbeddedObjectsExtractor`: objects embedded in parent records (an order's delivery address, a
  company's address, an order's lines) as records of their own, labelled and keyed to their owner.
  RecordExpander only expands *lists*, copies from one owner shape and cannot number what it
  expands; these are single objects, several per owner, sometimes from more than one response
  shape in one stream, or lines with no id of their own (REC+, M3 Wholesale).
- `KeyValueExtractor`: `{key: value}` maps, or lists of one-key maps, as `{key_field, value_field}`
  records (M3 Wholesale stock).

Trees (categories with `children`) are flattened by `components.tree.FlattenTreeExtractor`.
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field
from collections.abc import Mapping
from typing import Any, Iterable, Iterator, List, Optional

import requests
from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor
from airbyte_cdk.sources.types import Config

from airbyte_cdk.sources.declarative.decoders import Decoder

from .bodies import MISSING, as_list, decoded_bodies, envelope_records, get_path


@dataclass
class EnvelopeListExtractor(RecordExtractor):
    """Records from an envelope whose list key is not pinned down by the doc.

    REC+ documents `{"href", "products": [...], "count", "paging"}` for products but not the key of
    every other collection (`delivery-methods` or `delivery_methods`?). The records are the first
    of `field_names` present in the body, else the body's only top-level array (see
    `bodies.envelope_records`). With `record_key`, a body that is one record (REC+ `/orders/{id}`
    answers the bare order, which has lists of its own) is that record.
    """

    config: Config
    parameters: InitVar[Mapping[str, Any]]
    field_names: List[str] = field(default_factory=list)
    record_key: Optional[str] = None
    decoder: Optional[Decoder] = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._names = [str(name) for name in self.field_names]

    def extract_records(self, response: requests.Response) -> Iterable[Mapping[str, Any]]:
        for body in decoded_bodies(response, self.decoder):
            yield from envelope_records(body, self._names, self.record_key)


@dataclass
class EmbeddedObjectsExtractor(RecordExtractor):
    """One record per object embedded in each owner, labelled (`label_field`) and keyed to its owner.

    Each of `sources` says where the owners are and what to take from them:

        extractor:
          type: CustomRecordExtractor
          class_name: connector_common.components.extractors.EmbeddedObjectsExtractor
          label_field: address_type
          sources:
            - field_path: [data]                  # the owners; [] (default) = the body, a list or one object
              objects: {company: address}         # label -> path of the embedded object on the owner
              parent_fields: {owner_id: code}     # record field -> path on the owner
              constants: {owner_type: company}
            - envelope_keys: [orders]             # or: an envelope's list (bodies.envelope_records),
              record_key: id                      # or a bare record with this field
              objects: {shipping: shippingAddress, billing: user.billing_address}
              parent_fields: {owner_id: id}

    Paths are lists of keys or dotted strings. An owner without its first parent field is not an
    owner of that source, so one extractor reads several response shapes (a Laravel page of
    companies and a plain list of orders). A null or absent embedded object is skipped; an embedded
    list yields each of its objects. A parent field absent on the owner is written as null.

    `position_field` names a field for each object's 1-based place in its embedded list (a lone
    object is 1): with the owner's id, a key for lines the API gives no id of their own (M3
    Wholesale's order lines, where one SKU may be on two lines).
    """

    parameters: InitVar[Mapping[str, Any]]
    sources: List[Mapping[str, Any]] = field(default_factory=list)
    label_field: Optional[str] = None
    position_field: Optional[str] = None
    config: Optional[Config] = None
    decoder: Optional[Decoder] = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        if not self.sources:
            raise ValueError("EmbeddedObjectsExtractor needs at least one source")

    def extract_records(self, response: requests.Response) -> Iterable[Mapping[str, Any]]:
        for body in decoded_bodies(response, self.decoder):
            yield from self.extract_from_body(body)

    def extract_from_body(self, body: Any) -> Iterator[dict[str, Any]]:
        for source in self.sources:
            if "envelope_keys" in source:
                owners = envelope_records(body, [str(k) for k in source["envelope_keys"] or []], source.get("record_key"))
            else:
                path = list(source.get("field_path") or [])
                owners = as_list(get_path(body, path) if path else body)
            for owner in owners:
                if isinstance(owner, Mapping):
                    yield from self._embedded(owner, source)

    def _embedded(self, owner: Mapping[str, Any], source: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        parent_fields = dict(source.get("parent_fields") or {})
        copied = {name: get_path(owner, where) for name, where in parent_fields.items()}
        if parent_fields and next(iter(copied.values())) is MISSING:
            return
        for label, where in (source.get("objects") or {}).items():
            for position, embedded in enumerate(as_list(get_path(owner, where)), start=1):
                if not isinstance(embedded, Mapping):
                    continue
                record = dict(embedded)
                if self.label_field:
                    record[self.label_field] = label
                if self.position_field:
                    record[self.position_field] = position
                record.update(source.get("constants") or {})
                record.update({name: (None if value is MISSING else value) for name, value in copied.items()})
                yield record


@dataclass
class KeyValueExtractor(RecordExtractor):
    """`{"A1": 1, "B2": 0}` or `[{"A1": 1}, {"B2": 0}]` (at `field_path`) as
    `{key_field: "A1", value_field: 1}` records, in response order."""

    parameters: InitVar[Mapping[str, Any]]
    field_path: List[str] = field(default_factory=list)
    key_field: str = "key"
    value_field: str = "value"
    config: Optional[Config] = None
    decoder: Optional[Decoder] = None

    def extract_records(self, response: requests.Response) -> Iterable[Mapping[str, Any]]:
        for body in decoded_bodies(response, self.decoder):
            yield from self.extract_from_body(body)

    def extract_from_body(self, body: Any) -> Iterator[dict[str, Any]]:
        found = get_path(body, self.field_path) if self.field_path else body
        for mapping in as_list(found):
            if isinstance(mapping, Mapping):
                for key, value in mapping.items():
                    yield {self.key_field: key, self.value_field: value}
