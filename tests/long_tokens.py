"""Access tokens of a chosen length from the emulator, for tests of what must fit in a keychain entry.

Intuit's access tokens are about 1,000 characters today and may grow; qbdesk must still fit Windows'
keychain with 4,096. The emulator's own option for the access token length (issue 13, item 1) is not on
this branch yet: until it is, issue_long_access_tokens replaces the emulator's access token generator,
and it is the one place to point at that option once it exists.
"""

from __future__ import annotations

LONGEST_ACCESS_TOKEN = 4096


def issue_long_access_tokens(emulator, length: int = LONGEST_ACCESS_TOKEN) -> None:
    """From now on the running emulator issues access tokens of exactly `length` characters."""
    registry = emulator._registry
    bearer = emulator._app.oauth.default_token_type

    def long_access_token(request) -> str:
        unique = registry.new_secret()  # remembered by the emulator, so leak scans still find the long token
        return (unique + "." + unique * (length // len(unique) + 1))[:length]

    bearer.token_generator = long_access_token
