"""What a transfer file holds once opened: credentials with their tokens and the Client IDs they were issued to.

Turning credentials into the file's JSON contents and back, checking every field of a file as hostile input.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qbdesk.core.credential import Credential, Status
from qbdesk.core.destinations import Destination
from qbdesk.core.names import check_name

CONTENTS_KIND = "qbdesk-credentials"
MAX_TOKEN_CHARACTERS = 16_000
TIMES = ("created_at", "connected_at", "access_token_expires_at", "refresh_token_expires_at", "hard_expires_at",
         "last_refreshed_at")


class UnreadableContents(ValueError):
    """The file opened, but what it holds is not a list of credentials this qbdesk understands."""


@dataclass(frozen=True)
class Carried:
    """One credential as it travels: its metadata (with a fresh id for this computer) and its tokens."""

    credential: Credential
    access_token: str
    refresh_token: str


@dataclass(frozen=True)
class Bundle:
    """An opened transfer file: when it was written, the Client ID per destination, and the credentials."""

    exported_at: datetime
    client_ids: dict[Destination, str]
    carried: list[Carried]


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def contents_of(carried: list[Carried], client_ids: dict[Destination, str], now: datetime) -> dict[str, Any]:
    """The JSON contents of a transfer file for these credentials."""
    items = []
    for one in carried:
        c = one.credential
        item = {"name": c.name, "destination": c.destination.value, "realm_id": c.realm_id,
                "company_name": c.company_name, "access_token": one.access_token,
                "refresh_token": one.refresh_token}
        item.update({name: _time(getattr(c, name)) for name in TIMES})
        items.append(item)
    return {
        "kind": CONTENTS_KIND,
        "exported_at": now.isoformat(),
        "client_ids": {d.value: client_id for d, client_id in client_ids.items()},
        "credentials": items,
    }


def _text(item: dict[str, Any], key: str, limit: int, optional: bool = False) -> str | None:
    value = item.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value or len(value) > limit or not value.isprintable():
        raise UnreadableContents(key)
    return value


def _when(item: dict[str, Any], key: str, optional: bool = True) -> datetime | None:
    value = item.get(key)
    if value is None and optional:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise UnreadableContents(key) from None
    if moment.tzinfo is None:
        raise UnreadableContents(key)
    return moment


def _destination(value: Any) -> Destination:
    try:
        return Destination.parse(value)
    except (TypeError, ValueError):
        raise UnreadableContents("destination") from None


def _carried(item: Any) -> Carried:
    if not isinstance(item, dict):
        raise UnreadableContents("credential")
    checked = check_name(item.get("name") if isinstance(item.get("name"), str) else "")
    if not checked.ok:
        raise UnreadableContents("name")
    realm_id = _text(item, "realm_id", 32)
    if not realm_id.isdigit():
        raise UnreadableContents("realm_id")
    times = {name: _when(item, name, optional=name not in ("created_at", "access_token_expires_at",
                                                            "refresh_token_expires_at")) for name in TIMES}
    credential = Credential(
        id=uuid.uuid4().hex, name=checked.name, destination=_destination(item.get("destination")),
        status=Status.CONNECTED, realm_id=realm_id, company_name=_text(item, "company_name", 200, optional=True),
        **times,
    )
    return Carried(credential, _text(item, "access_token", MAX_TOKEN_CHARACTERS),
                   _text(item, "refresh_token", MAX_TOKEN_CHARACTERS))


def bundle_from(contents: dict[str, Any]) -> Bundle:
    """The credentials in an opened file's contents; raises UnreadableContents on anything out of shape."""
    if contents.get("kind") != CONTENTS_KIND or not isinstance(contents.get("credentials"), list):
        raise UnreadableContents("kind")
    client_ids = contents.get("client_ids")
    if not isinstance(client_ids, dict):
        raise UnreadableContents("client_ids")
    ids = {_destination(d): _text(client_ids, d, 200) for d in client_ids}
    carried = [_carried(item) for item in contents["credentials"]]
    if any(one.credential.destination not in ids for one in carried):
        raise UnreadableContents("client_ids")
    return Bundle(_when(contents, "exported_at", optional=False), ids, carried)

