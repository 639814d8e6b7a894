"""The request's client address, so that services can log it without taking the request."""

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("govinfo_client_ip", default=None)
