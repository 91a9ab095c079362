"""POST/PUT routes of the Yodify sandbox (owned by destination-yodify)."""


def register(api) -> None:
    pass
