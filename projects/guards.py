"""The error family lives on the platform (``govinfo.errors``); projects' guards use it from there."""

from govinfo.errors import Conflict, Failure, NotAllowed, Refused

ActionRefused = Refused

__all__ = ["ActionRefused", "Conflict", "Failure", "NotAllowed", "Refused"]
