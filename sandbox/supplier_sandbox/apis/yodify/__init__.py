"""The Yodify B2B API sandbox (docs: /work/shared/api-docs/yodify-digest.md).

Split by owner so the source and destination work side by side:
- `store.py`  the seeded data (orders, shipments, products, SKUs, accounts, ...) and lookups   [source-yodify]
- `auth.py`   static tokens and the OAuth2 client-credentials token endpoint with expiry       [source-yodify]
- `reads.py`  every GET list/detail route, both response shapes, filters, paging              [source-yodify]
- `writes.py` POST/PUT routes the destination uses, recorded in `api.writes`                   [destination-yodify]
"""

from __future__ import annotations

from ...api import SupplierApi
from . import reads, writes


class YodifyApi(SupplierApi):
    name = "yodify"
    base_path = ""  # the docs name no host; paths are /api/v1/...

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        reads.register(self)
        writes.register(self)
