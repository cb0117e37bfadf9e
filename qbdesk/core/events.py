"""A tiny observer list, so services announce changes without knowing who listens."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger("qbdesk.events")


class Event(Generic[T]):
    """Callbacks subscribed to one kind of change; emitting calls each with the payload."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[T], None]] = []

    def subscribe(self, listener: Callable[[T], None]) -> Callable[[], None]:
        """Add a listener; returns a function that removes it again."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def emit(self, payload: T) -> None:
        """Call every listener; one that raises is logged and does not stop the others."""
        for listener in list(self._listeners):
            try:
                listener(payload)
            except Exception:
                log.exception("A listener failed while handling %s", type(payload).__name__)
