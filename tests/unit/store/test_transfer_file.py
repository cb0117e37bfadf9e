"""The transfer file's layout: it opens only with its passphrase, and says why when it cannot be opened."""

from __future__ import annotations

import hashlib
import json

import pytest

from qbdesk.store.transfer_file import (
    MAGIC,
    DamagedFile,
    NewerFormat,
    NotATransferFile,
    WrongPassphrase,
    open_sealed,
    seal,
)

CONTENTS = {"credentials": [{"name": "Acme", "refresh_token": "AB11-refresh"}]}
PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def sealed() -> bytes:
    return seal(CONTENTS, PASSPHRASE)


def with_header(data: bytes, **changes) -> bytes:
    """The file with header fields changed and its digest made right again, as a careful forger would."""
    end = data.index(b"\n", len(MAGIC))
    header = json.loads(data[len(MAGIC):end])
    header.update(changes)
    body = MAGIC + json.dumps(header).encode() + data[end:-32]
    return body + hashlib.sha256(body).digest()


def test_it_opens_with_its_passphrase_and_every_file_is_salted_anew(sealed):
    assert open_sealed(sealed, PASSPHRASE) == CONTENTS
    again = seal(CONTENTS, PASSPHRASE)
    assert again != sealed and open_sealed(again, PASSPHRASE) == CONTENTS
    assert b"Acme" not in sealed and b"AB11" not in sealed


def test_a_wrong_passphrase_is_told_apart_from_damage(sealed):
    with pytest.raises(WrongPassphrase):
        open_sealed(sealed, PASSPHRASE + " ")


@pytest.mark.parametrize("cut", [1, 31, 33, 200])
def test_a_cut_short_file_is_truncated(sealed, cut):
    with pytest.raises(DamagedFile) as raised:
        open_sealed(sealed[:-cut], PASSPHRASE)
    assert raised.value.truncated


def test_an_empty_file_or_a_bare_first_line_is_truncated():
    for data in (b"", MAGIC[:5], MAGIC):
        with pytest.raises(DamagedFile) as raised:
            open_sealed(data, PASSPHRASE)
        assert raised.value.truncated


def test_any_changed_byte_is_damage(sealed):
    for position in (len(MAGIC) + 3, len(sealed) // 2, len(sealed) - 1):
        data = bytearray(sealed)
        data[position] ^= 0x40
        with pytest.raises((DamagedFile, NewerFormat)):
            open_sealed(bytes(data), PASSPHRASE)


def test_a_newer_format_is_said_before_anything_else(sealed):
    with pytest.raises(NewerFormat):
        open_sealed(with_header(sealed, format=2)[:-50], PASSPHRASE)


def test_a_changed_header_with_a_matching_digest_still_does_not_open(sealed):
    with pytest.raises(WrongPassphrase):  # the header is authenticated with the contents
        open_sealed(with_header(sealed, salt="A" * 22 + "=="), PASSPHRASE)


@pytest.mark.parametrize("changes", [
    {"n": 2**30}, {"n": 2**20, "r": 16}, {"n": 3 * 2**14}, {"r": 0}, {"p": 99}, {"n": "big"},
    {"kdf": "pbkdf2"}, {"cipher": "none"}, {"nonce": "AAAA"}, {"length": -5},
])
def test_a_hostile_header_is_refused_before_any_key_is_derived(sealed, changes):
    with pytest.raises(DamagedFile):
        open_sealed(with_header(sealed, **changes), PASSPHRASE)


def test_another_file_is_not_a_transfer_file():
    with pytest.raises(NotATransferFile):
        open_sealed(b"PK\x03\x04 a zip file", PASSPHRASE)
