"""How a credential's token pair is laid out in the vault, so that no entry outgrows any keychain.

Windows Credential Manager refuses a secret over 2,560 bytes stored as UTF-16 (about 1,280 characters), and
Intuit's access tokens are about 1,000 characters today and may grow. So the pair is kept as generations:

    tokens/<credential id>                 the manifest: {"format": 2, "generation": G, "parts": N,
                                           "length": L, "leftovers": [[older generation, its parts], ...]}
    tokens/<credential id>/<G>/<i>         part i (0..N-1) of the pair as one JSON text of L characters,
                                           {"access_token": ..., "refresh_token": ...}, cut into pieces of
                                           at most PART_CHARACTERS characters (2,000 bytes as UTF-16)

Both tokens travel in the same sharded text, so one generation always holds a matching pair, and either
token may grow without a new layout. A save (1) lists a fresh generation (a random name never used before)
among the manifest's leftovers, (2) writes the fresh generation's parts, (3) replaces the manifest in one
write so it names the fresh generation and lists the previous one as a leftover, (4) deletes the leftovers'
parts and (5) writes the manifest once more with no leftovers. Step 3 is the moment of change: a crash
before it leaves the previous pair in force, a crash after it the new pair; whatever parts a crash left
behind are listed as leftovers, and the next save or delete removes them. A reader follows the manifest;
when a part is missing because a writer replaced the generation meanwhile, it reads the manifest again, so
it never sees half a set or a new access token with an old refresh token. Writers are one at a time: a
refresh holds the credential's lock, and a sign-in owns a credential nobody refreshes yet.

Before this layout, the manifest's key held the whole pair as one JSON entry. Such an entry is still
read, and migrate_tokens rewrites it in this layout (the caller holds the credential's lock).
"""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qbdesk.store.vault import Vault

LAYOUT_FORMAT = 2
PART_CHARACTERS = 1000  # the pair's JSON is ASCII: 2,000 bytes as UTF-16, well inside the limit
MAX_LEFTOVERS = 8  # only repeated crashes leave several; the manifest stays small
READ_ATTEMPTS = 3  # a reader that meets a generation being replaced follows the new manifest this often


def tokens_key(credential_id: str) -> str:
    """The entry that names the current generation (and, before this layout, held the pair itself)."""
    return f"tokens/{credential_id}"


def part_key(credential_id: str, generation: str, index: int) -> str:
    return f"tokens/{credential_id}/{generation}/{index}"


def _parse(raw: str | None) -> dict[str, Any] | None:
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _pair(data: dict[str, Any] | None) -> tuple[str, str] | None:
    if data is None:
        return None
    access, refresh = data.get("access_token"), data.get("refresh_token")
    if not (isinstance(access, str) and isinstance(refresh, str) and access and refresh):
        return None
    return access, refresh


def _generation(manifest: dict[str, Any]) -> tuple[str, int] | None:
    """(name, number of parts) of the manifest's current generation, or None when it names none sanely."""
    name, parts = manifest.get("generation"), manifest.get("parts")
    if isinstance(name, str) and name.isalnum() and isinstance(parts, int) and 0 < parts <= 64:
        return name, parts
    return None


def _leftovers(manifest: dict[str, Any]) -> list[tuple[str, int]]:
    """Generations whose parts may still be in the vault although the manifest no longer uses them."""
    listed = manifest.get("leftovers")
    found = []
    for entry in listed if isinstance(listed, list) else []:
        if isinstance(entry, list) and len(entry) == 2:
            generation = _generation({"generation": entry[0], "parts": entry[1]})
            if generation:
                found.append(generation)
    return found


def _manifest(generation: tuple[str, int] | None, length: int, leftovers: list[tuple[str, int]]) -> str:
    manifest: dict[str, Any] = {"format": LAYOUT_FORMAT}
    if generation:
        manifest.update(generation=generation[0], parts=generation[1], length=length)
    manifest["leftovers"] = [list(entry) for entry in dict.fromkeys(leftovers)][:MAX_LEFTOVERS]
    return json.dumps(manifest)


def _read_generation(vault: Vault, credential_id: str, manifest: dict[str, Any]) -> tuple[str, str] | None:
    generation = _generation(manifest)
    if generation is None:
        return None
    name, parts = generation
    pieces = []
    for index in range(parts):
        piece = vault.get(part_key(credential_id, name, index))
        if piece is None:
            return None
        pieces.append(piece)
    text = "".join(pieces)
    if len(text) != manifest.get("length"):
        return None
    return _pair(_parse(text))


def read_tokens(vault: Vault, credential_id: str) -> tuple[tuple[str, str] | None, bool]:
    """(the pair or None, whether it is still kept the old way, as one entry)."""
    raw = vault.get(tokens_key(credential_id))
    for _ in range(READ_ATTEMPTS):
        data = _parse(raw)
        if data is None or data.get("format") != LAYOUT_FORMAT:
            return _pair(data), _pair(data) is not None
        pair = _read_generation(vault, credential_id, data)
        if pair is not None:
            return pair, False
        again = vault.get(tokens_key(credential_id))
        if again == raw:
            return None, False  # the manifest stands but its parts are gone: the tokens are missing
        raw = again  # a writer replaced the generation while it was being read: follow the new manifest
    return None, False


def load_tokens(vault: Vault, credential_id: str) -> tuple[str, str] | None:
    """(access token, refresh token), or None when the vault holds nothing usable for the credential."""
    return read_tokens(vault, credential_id)[0]


def save_tokens(vault: Vault, credential_id: str, access_token: str, refresh_token: str) -> None:
    """Keep a new pair: announce the new generation, write its parts, switch the manifest, clear the old parts."""
    raw = vault.get(tokens_key(credential_id))
    previous = _parse(raw) or {}
    ours = previous.get("format") == LAYOUT_FORMAT or raw is None  # not a pair kept as one entry
    current = _generation(previous) if ours else None
    leftovers = _leftovers(previous) if ours else []
    length = previous.get("length") if isinstance(previous.get("length"), int) else 0
    text = json.dumps({"access_token": access_token, "refresh_token": refresh_token})  # ASCII: ensure_ascii
    pieces = [text[start:start + PART_CHARACTERS] for start in range(0, len(text), PART_CHARACTERS)]
    fresh = (secrets.token_hex(8), len(pieces))
    if ours:  # named before it is written, so parts left by a crash midway are found and removed later
        vault.set(tokens_key(credential_id), _manifest(current, length, leftovers + [fresh]))
    for index, piece in enumerate(pieces):
        vault.set(part_key(credential_id, fresh[0], index), piece)
    stale = ([current] if current else []) + leftovers
    vault.set(tokens_key(credential_id), _manifest(fresh, len(text), stale))  # the moment of change
    _delete_parts(vault, credential_id, stale)
    if stale:
        vault.set(tokens_key(credential_id), _manifest(fresh, len(text), []))


def _delete_parts(vault: Vault, credential_id: str, generations: list[tuple[str, int]]) -> None:
    for name, parts in generations:
        for index in range(parts):
            vault.delete(part_key(credential_id, name, index))


def delete_tokens(vault: Vault, credential_id: str) -> None:
    """Remove the pair: the parts first, then the manifest, so a crash midway leaves no part unnamed."""
    manifest = _parse(vault.get(tokens_key(credential_id))) or {}
    if manifest.get("format") == LAYOUT_FORMAT:
        current = _generation(manifest)
        _delete_parts(vault, credential_id, ([current] if current else []) + _leftovers(manifest))
    vault.delete(tokens_key(credential_id))


def migrate_tokens(vault: Vault, credential_id: str) -> bool:
    """Rewrite a pair kept the old way (one entry) in the generation layout; True when it did.

    The caller holds the credential's lock, so no refresh can store a newer pair meanwhile.
    """
    pair, old_layout = read_tokens(vault, credential_id)
    if pair is None or not old_layout:
        return False
    save_tokens(vault, credential_id, *pair)
    return True
