"""GET routes of the Yodify sandbox (owned by source-yodify)."""


def register(api) -> None:
    pass
