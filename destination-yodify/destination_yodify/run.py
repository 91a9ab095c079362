import sys


def run() -> None:
    sys.exit("destination-yodify is not built yet")
