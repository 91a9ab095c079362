"""A shop that does not use every module: its optional lists answer 404, the core streams still fail on one."""

import pytest

from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput

from connector_testing import assert_complete, catalog_for, read, run_cli, running_sandbox

MISSING = ("blog-posts", "testimonials", "options")


def test_a_shop_missing_modules_syncs_every_other_stream_and_warns_naming_the_missing_ones(manifest, config_for):
    with running_sandbox("rec-plus", missing_modules=MISSING) as server:
        config = config_for(server)
        result = run_cli("source-rec-plus", "read", config=config, catalog=catalog_for(manifest, config))
        assert result.returncode == 0, result.stderr[-2000:]
        output = EntrypointOutput(messages=result.stdout.splitlines())
        # every stream the shop has, complete, and nothing from the missing ones (the sandbox counts only what it serves)
        assert_complete(output, server, manifest, config)
    warnings = [m.log.message for m in output.logs if m.log.level.name == "WARN"]
    for resource in MISSING:
        stream = resource.replace("-", "_")
        assert [w for w in warnings if w.startswith(f"Skipping stream {stream}:") and f"/{resource} with HTTP 404" in w], warnings


@pytest.mark.parametrize(
    "resource, streams",
    [("products", ["products"]), ("stock", ["stock"]), ("orders", ["orders", "order_lines", "addresses"]), ("users", ["users"])],
)
def test_a_404_on_a_core_stream_still_fails_with_the_reason(resource, streams, manifest, config_for):
    # there a 404 means a wrong domain or base_url, not a module the shop does without
    with running_sandbox("rec-plus", missing_modules=(resource,)) as server:
        config = config_for(server)
        output = read(manifest, config, catalog_for(manifest, config, streams + ["manufacturers"]), expecting_exception=True)
    per_stream = {e.trace.error.stream_descriptor.name: e.trace.error.message for e in output.errors if e.trace.error.stream_descriptor}
    assert set(per_stream) == set(streams), per_stream
    for message in per_stream.values():
        assert message.startswith(f"REC+ could not serve {server.url}/{resource} (HTTP 404: Resource not found). Check the domain, base_url"), message
    assert {r.record.stream for r in output.records} == {"manufacturers"}
