"""Every record every source emits (full refresh of every stream against its sandbox) is valid
against the schema it declares in `discover`: types as the API sends them, and `date-time` / `date`
values in RFC 3339 form (what destinations parse), checked here with explicit patterns."""

import re
from pathlib import Path

import jsonschema
import pytest

from connector_testing import SOURCES, catalog_for, read, records_by_stream, running_sandbox

ROOT = Path(__file__).resolve().parents[1]
FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("date-time")(lambda v: not isinstance(v, str) or re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", v) is not None)
FORMATS.checks("date")(lambda v: not isinstance(v, str) or re.fullmatch(r"\d{4}-\d\d-\d\d", v) is not None)


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_record_matches_its_declared_schema(source):
    connector = SOURCES[source]
    manifest = ROOT / connector.script / "manifest.yaml"
    with running_sandbox(connector.sandbox) as server:
        config = connector.config(server.url)
        catalog = catalog_for(manifest, config)
        records = records_by_stream(read(manifest, config, catalog))
    problems = []
    for configured in catalog.streams:
        validator = jsonschema.Draft7Validator(configured.stream.json_schema, format_checker=FORMATS)
        rows = records.get(configured.stream.name, [])
        assert rows, f"{configured.stream.name}: no records to check"
        for row in rows:
            for error in validator.iter_errors(row):
                problems.append(f"{configured.stream.name}.{'.'.join(map(str, error.absolute_path))}: {error.message[:160]}")
    assert not problems, f"{len(problems)} schema violations, e.g. {sorted(set(problems))[:10]}"
