"""The two QuickBooks destinations a credential can point at."""

from __future__ import annotations

from enum import Enum


class Destination(str, Enum):
    """Where a credential signs in: live QuickBooks companies or Intuit's sandbox."""

    PRODUCTION = "production"
    SANDBOX = "sandbox"

    @property
    def label(self) -> str:
        """The wording users see."""
        return "QuickBooks" if self is Destination.PRODUCTION else "QuickBooks (Sandbox Mode)"

    @property
    def env_prefix(self) -> str:
        """Prefix of the environment variables that override this destination's settings."""
        return f"QBDESK_{self.name}_"

    @classmethod
    def parse(cls, value: str) -> Destination:
        """Read a stored or typed value, raising ValueError with a plain message when unknown."""
        for destination in cls:
            if value == destination.value:
                return destination
        raise ValueError(f"Unknown destination {value!r}: expected 'production' or 'sandbox'.")
