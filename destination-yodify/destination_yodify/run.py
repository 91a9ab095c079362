import sys

from .destination import DestinationYodify


def run() -> None:
    DestinationYodify().run(sys.argv[1:])


if __name__ == "__main__":
    run()
