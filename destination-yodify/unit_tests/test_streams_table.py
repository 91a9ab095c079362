"""The stream table is the one source of truth: every schema, handler and README row follows it."""

from pathlib import Path

from destination_yodify.streams import STREAMS
from destination_yodify.writer import YodifyWriter, load_schemas

README = (Path(__file__).parents[1] / "README.md").read_text()


def test_every_stream_has_a_schema_with_its_keys_and_fields_and_a_handler():
    schemas = load_schemas()
    assert set(schemas) == set(STREAMS)
    for stream in STREAMS.values():
        props = schemas[stream.name]["properties"]
        missing = [f for f in stream.keys + stream.fields if f not in props]
        assert not missing, f"{stream.name}: schema lacks {missing}"
        assert callable(getattr(YodifyWriter, stream.handler))


def test_the_readme_table_names_every_stream_and_its_keys():
    for stream in STREAMS.values():
        row = next((line for line in README.splitlines() if line.startswith(f"| `{stream.name}` |")), None)
        assert row is not None, f"README has no row for {stream.name}"
        assert all(f"`{key}`" in row for key in stream.keys), row
