"""A 50,000 product catalogue in one unpaginated, chunked body: every product arrives, once.

Peak memory of the same read is measured in bench/netxl_large_catalogue.py (a subprocess per
run); here only what is robust is asserted: the count, the keys, and that the body was streamed.
"""

from __future__ import annotations

import pytest
from connector_testing import catalog_for, read, running_sandbox


@pytest.mark.slow
def test_50k_products_streamed_completely(manifest, config_for):
    with running_sandbox("netxl", catalogue_size=50_000) as server:
        config = config_for(server, product_extra_fields=[])
        output = read(manifest, config, catalog_for(manifest, config, ["products"]))
        assert not output.errors
        skus = [m.record.data["sku"] for m in output.records]
        assert len(skus) == 50_000 == server.api.counts()["products"]
        assert len(set(skus)) == 50_000
        assert [r["status"] for r in server.api_requests("/product")] == [200]  # one request, no paging
