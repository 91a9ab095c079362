"""Rejected records: what could not be written, with its stream, key and reason, stored where the
user said (config `rejected_records`), as Airbyte's data-activation destinations store them.

- `{"storage_type": "None"}` (default): logged as a warning and counted, not stored;
- `{"storage_type": "Local", "path": "/data/rejected.jsonl"}`: appended to a JSONL file (CLI and PyAirbyte runs);
- `{"storage_type": "S3", "s3_bucket_name", "bucket_path", "s3_bucket_region", "access_key_id",
  "secret_access_key", "s3_endpoint"}`: one JSONL object per checkpoint under
  `<bucket_path>/<object>/<sync start>-<run id>-<part>.jsonl` in an S3-compatible bucket.

Each line: `{"object", "key", "reason", "rejected_at", "record"}`. Stored records are flushed before
the destination emits a state, so a checkpointed sync never loses one.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

from connector_common.http_client import ConfigError


class RejectedRecords:
    def __init__(self, config: Mapping[str, Any] | None) -> None:
        config = dict(config or {})
        self.storage = str(config.get("storage_type") or "None")
        if self.storage not in ("None", "Local", "S3"):
            raise ConfigError(f"rejected_records.storage_type {self.storage!r} is not one of None, Local, S3.")
        self.config = config
        self.pending: dict[str, list[str]] = defaultdict(list)
        self.lock = threading.Lock()
        self.started = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        self.run_id = uuid.uuid4().hex[:8]
        self.parts = 0
        self.stored = 0
        self._s3 = None
        if self.storage == "Local" and not config.get("path"):
            raise ConfigError("rejected_records.path is empty: name the JSONL file rejected records are written to.")
        if self.storage == "S3":
            missing = [k for k in ("s3_bucket_name",) if not config.get(k)]
            if missing:
                raise ConfigError(f"rejected_records.{missing[0]} is empty: name the bucket rejected records are written to.")

    @property
    def where(self) -> str:
        if self.storage == "Local":
            return str(self.config["path"])
        if self.storage == "S3":
            return f"s3://{self.config['s3_bucket_name']}/{self.prefix}"
        return ""

    @property
    def prefix(self) -> str:
        return str(self.config.get("bucket_path") or "").strip("/")

    def add(self, obj: str, key: str, reason: str, record: Any) -> None:
        if self.storage == "None":
            return
        line = json.dumps({"object": obj, "key": key, "reason": reason, "rejected_at": datetime.now(timezone.utc).isoformat(),
                           "record": record}, default=str)
        with self.lock:
            self.pending[obj].append(line)

    def flush(self) -> None:
        """Store every rejected record so far (before a state goes out)."""
        with self.lock:
            pending, self.pending = self.pending, defaultdict(list)
        if not pending:
            return
        if self.storage == "Local":
            path = Path(self.config["path"])
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as out:
                for lines in pending.values():
                    out.write("".join(line + "\n" for line in lines))
        elif self.storage == "S3":
            try:
                self._put_s3(pending)
            except Exception as err:  # noqa: BLE001 - botocore's many errors: one clear sentence
                raise ConfigError(
                    f"Could not store rejected records in {self.where} ({type(err).__name__}: {err}). "
                    "Check rejected_records (bucket, region, endpoint, access keys)."
                ) from None
        self.stored += sum(len(lines) for lines in pending.values())

    def _put_s3(self, pending: dict[str, list[str]]) -> None:
        client = self._client()
        self.parts += 1
        for obj, lines in pending.items():
            key = "/".join(p for p in (self.prefix, obj, f"{self.started}-{self.run_id}-{self.parts:05d}.jsonl") if p)
            client.put_object(Bucket=self.config["s3_bucket_name"], Key=key, Body="".join(line + "\n" for line in lines).encode(),
                              ContentType="application/x-ndjson")

    def _client(self):
        if self._s3 is None:
            import boto3  # only S3 storage needs it

            self._s3 = boto3.client(
                "s3",
                endpoint_url=self.config.get("s3_endpoint") or None,
                region_name=self.config.get("s3_bucket_region") or "us-east-1",
                aws_access_key_id=self.config.get("access_key_id") or None,
                aws_secret_access_key=self.config.get("secret_access_key") or None,
            )
        return self._s3
