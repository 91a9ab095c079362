"""An account without a credit account (credit_terms is optional in the doc): /customer/credit may
answer 404 (or a 400 saying so). The two credit streams are then empty, with a log line, and the
other streams and the sync succeed. Any other 400 on credit still fails the sync."""

from __future__ import annotations

import pytest
from connector_testing import catalog_for, read, records_by_stream, running_sandbox

CREDIT_STREAMS = {"credit", "outstanding_orders"}


@pytest.mark.parametrize("status", ["404", "400"])
def test_no_credit_account_empties_the_credit_streams_and_the_sync_succeeds(manifest, config_for, status):
    with running_sandbox("netxl", no_credit_account=status) as server:
        config = config_for(server)
        output = read(manifest, config, catalog_for(manifest, config))
        assert not output.errors, [e.trace.error.message for e in output.errors]
        records = records_by_stream(output)
        counts = server.api.counts()
        assert {s: len(records.get(s, [])) for s in counts} == counts
        assert counts["credit"] == counts["outstanding_orders"] == 0 and counts["products"] > 0
        assert "credit_terms" not in records["accounts"][0]
        assert {r["status"] for r in server.api_requests("/customer/credit")} == {int(status)}
        logs = [m.log.message for m in output.logs if "no credit account" in m.log.message]
        assert logs, "the skipped credit streams must be logged"


def test_another_400_on_credit_still_fails_the_sync(manifest, config_for):
    with running_sandbox("netxl", faults=["400:1@^/customer/credit$"]) as server:
        config = config_for(server)
        output = read(manifest, config, catalog_for(manifest, config, ["credit"]), expecting_exception=True)
        assert output.errors, "a 400 that does not say there is no credit account must fail"
