from .destination import DestinationYodify

__all__ = ["DestinationYodify"]
