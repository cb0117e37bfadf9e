"""The encrypted file that carries credentials to another computer: its layout, sealing and opening.

    QBDESK-TRANSFER\n                        what the file is
    {"format": 1, "kdf": "scrypt", ...}\n     the header: format version, key derivation and cipher settings
    <ciphertext>                             the contents (JSON), AES-256-GCM, the two lines above as associated data
    <32 bytes>                               SHA-256 of everything before it

The key comes from the passphrase through scrypt (memory-hard); AES-GCM authenticates the contents and the
header, so a wrong passphrase and any change fail to open. The trailing digest needs no passphrase: it tells a
damaged or truncated file apart from a wrong passphrase. Nothing in the file is readable without the passphrase.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"QBDESK-TRANSFER\n"
FORMAT = 1
DIGEST_BYTES = 32
MAX_HEADER_BYTES = 1024
MAX_FILE_BYTES = 256 * 1024 * 1024
# scrypt cost: 2**17 x 8 x 128 bytes = 128 MiB of memory per attempt, under a second on a laptop.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
MAX_SCRYPT_N, MAX_SCRYPT_R, MAX_SCRYPT_P = 2**20, 16, 4  # a hostile header must not ask for more
MAX_SCRYPT_MEMORY = 256 * 1024 * 1024  # bytes: 128 x r x n
MIN_SCRYPT_N = 2**14


class TransferFileProblem(Exception):
    """The file cannot be opened; the subclass says why."""


class NotATransferFile(TransferFileProblem):
    """The file is not one qbdesk wrote."""


class DamagedFile(TransferFileProblem):
    """The file is damaged or cut short (truncated is True when it is shorter than its header says)."""

    def __init__(self, truncated: bool = False) -> None:
        super().__init__("truncated" if truncated else "damaged")
        self.truncated = truncated


class NewerFormat(TransferFileProblem):
    """A newer qbdesk wrote the file; this one cannot read it."""


class WrongPassphrase(TransferFileProblem):
    """The file is intact, but the passphrase does not open it."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def seal(contents: dict[str, Any], passphrase: str) -> bytes:
    """The contents encrypted with a key derived from the passphrase, as the bytes of a transfer file."""
    salt, nonce = os.urandom(16), os.urandom(12)
    header = {
        "format": FORMAT,
        "kdf": "scrypt",
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": _b64(salt),
        "cipher": "AES-256-GCM",
        "nonce": _b64(nonce),
    }
    plaintext = json.dumps(contents, separators=(",", ":")).encode("utf-8")
    header["length"] = len(plaintext) + 16  # the GCM tag follows the ciphertext
    lead = MAGIC + json.dumps(header, separators=(",", ":")).encode("ascii") + b"\n"
    body = AESGCM(_key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)).encrypt(nonce, plaintext, lead)
    sealed = lead + body
    return sealed + hashlib.sha256(sealed).digest()


def _header(data: bytes) -> tuple[dict[str, Any], int]:
    """The parsed header and where the body starts."""
    if not data.startswith(MAGIC):
        if MAGIC.startswith(data):
            raise DamagedFile(truncated=True)
        raise NotATransferFile()
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER_BYTES)
    if end < 0:
        raise DamagedFile(truncated=len(data) < len(MAGIC) + MAX_HEADER_BYTES)
    try:
        header = json.loads(data[len(MAGIC):end].decode("ascii"))
    except ValueError:
        raise DamagedFile() from None
    if not isinstance(header, dict) or not isinstance(header.get("format"), int):
        raise DamagedFile()
    if header["format"] > FORMAT:
        raise NewerFormat()
    return header, end + 1


def _number(header: dict[str, Any], name: str, low: int, high: int) -> int:
    value = header.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DamagedFile()
    return value


def _bytes(header: dict[str, Any], name: str, size: int) -> bytes:
    try:
        value = base64.b64decode(str(header.get(name)), validate=True)
    except ValueError:
        raise DamagedFile() from None
    if len(value) != size:
        raise DamagedFile()
    return value


def open_sealed(data: bytes, passphrase: str) -> dict[str, Any]:
    """The contents of a transfer file; raises a TransferFileProblem saying why it cannot be opened."""
    header, start = _header(data)
    if header.get("kdf") != "scrypt" or header.get("cipher") != "AES-256-GCM":
        raise DamagedFile()
    length = _number(header, "length", 16, MAX_FILE_BYTES)
    expected = start + length + DIGEST_BYTES
    if len(data) < expected:
        raise DamagedFile(truncated=True)
    if len(data) > expected or hashlib.sha256(data[:-DIGEST_BYTES]).digest() != data[-DIGEST_BYTES:]:
        raise DamagedFile()
    n = _number(header, "n", MIN_SCRYPT_N, MAX_SCRYPT_N)
    if n & (n - 1):
        raise DamagedFile()
    r, p = _number(header, "r", 1, MAX_SCRYPT_R), _number(header, "p", 1, MAX_SCRYPT_P)
    if 128 * r * n > MAX_SCRYPT_MEMORY:
        raise DamagedFile()
    salt, nonce = _bytes(header, "salt", 16), _bytes(header, "nonce", 12)
    try:
        plaintext = AESGCM(_key(passphrase, salt, n, r, p)).decrypt(nonce, data[start:-DIGEST_BYTES], data[:start])
    except InvalidTag:
        raise WrongPassphrase() from None
    try:
        contents = json.loads(plaintext.decode("utf-8"))
    except ValueError:
        raise DamagedFile() from None
    if not isinstance(contents, dict):
        raise DamagedFile()
    return contents
