"""Sandbox servers for the supplier APIs: real HTTP on loopback, seeded data, injected faults."""

from .api import SupplierApi
from .http import Request, Response, Router
from .registry import SUPPLIERS, make_server, serve
from .server import SandboxServer

__all__ = ["SUPPLIERS", "Request", "Response", "Router", "SandboxServer", "SupplierApi", "make_server", "serve"]
