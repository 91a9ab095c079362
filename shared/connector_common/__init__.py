"""What every supplier connector shares: entry point, auth, paging, error mapping, dates,
declarative components, the destination's HTTP client, and test helpers."""
