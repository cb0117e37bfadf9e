"""Checking what a redirect from Intuit carries before anything trusts it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

MAX_CODE_LENGTH = 512
_STATE = re.compile(r"[A-Za-z0-9._~-]{8,200}")
_CODE = re.compile(rf"[\x21-\x7e]{{1,{MAX_CODE_LENGTH}}}")
_REALM = re.compile(r"[0-9]{1,32}")
_ERROR = re.compile(r"[A-Za-z0-9_.-]{1,100}")


class CallbackInvalid(ValueError):
    """The redirect is malformed; the message says what is wrong in plain words."""


@dataclass(frozen=True)
class CallbackParams:
    """A well-formed redirect: either a code (with the company's realm id) or an error from Intuit."""

    state: str
    code: str | None = field(default=None, repr=False)
    realm_id: str | None = None
    error: str | None = None
    error_description: str | None = None


def parse_callback(query: Mapping[str, str]) -> CallbackParams:
    """Validate a redirect's query parameters (already split into single values)."""
    state = query.get("state", "")
    if not _STATE.fullmatch(state):
        raise CallbackInvalid("The address has no valid sign-in state, so qbdesk cannot tell which sign-in it belongs to.")
    error = query.get("error")
    if error is not None:
        if not _ERROR.fullmatch(error):
            raise CallbackInvalid("Intuit reported an error in a form qbdesk does not understand.")
        description = query.get("error_description", "")
        description = "".join(ch for ch in description if ch.isprintable())[:300] or None
        return CallbackParams(state=state, error=error, error_description=description)
    code = query.get("code", "")
    if not _CODE.fullmatch(code):
        raise CallbackInvalid("The address has no valid authorization code from Intuit.")
    realm_id = query.get("realmId", "")
    if not _REALM.fullmatch(realm_id):
        raise CallbackInvalid("The address does not say which QuickBooks company was chosen (no valid realmId).")
    return CallbackParams(state=state, code=code, realm_id=realm_id)
