"""What every supplier connector shares: entry point, auth, paging, error mapping, dates,
declarative components, the destination's HTTP client, and test helpers."""

from .cdk_fast_paths import skip_serializer_docs as _skip_serializer_docs

# before anything imports airbyte_cdk (its protocol serializers are built at import)
_skip_serializer_docs()
