"""Values shaped like Intuit's: JWE-compact access tokens, AB11 refresh tokens and codes, intuit_tid."""

from __future__ import annotations

import base64
import secrets
import string

# {"enc":"A128CBC-HS256","alg":"dir"}: a direct-key JWE, as Intuit's access tokens carry.
JWE_HEADER = "eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0"
IV_CHARS = 22  # 16 bytes, base64url without padding
TAG_CHARS = 22  # 16 bytes
# Header, an empty encrypted-key part, the four dots, the IV, one character of ciphertext and the tag.
MIN_ACCESS_TOKEN_LENGTH = len(JWE_HEADER) + 4 + IV_CHARS + 2 + TAG_CHARS
MAX_ACCESS_TOKEN_LENGTH = 16 * 1024
TYPICAL_ACCESS_TOKEN_LENGTHS = (900, 1300)

REFRESH_PREFIX = "AB11"
REFRESH_TOKEN_LENGTH = 50
_ALPHANUMERIC = string.ascii_letters + string.digits


def b64url(raw: bytes) -> str:
    """Base64url without padding, as JOSE writes it."""
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _b64url_chars(count: int) -> str:
    """Random base64url text of exactly `count` characters that decodes cleanly (count % 4 != 1)."""
    whole, remainder = divmod(count, 4)
    extra = {0: 0, 2: 1, 3: 2}[remainder]
    return b64url(secrets.token_bytes(whole * 3 + extra))


def check_access_token_length(length: object) -> int | None:
    """None (vary like Intuit's) or a whole number within the bounds a JWE of this shape can take."""
    if length is None:
        return None
    if isinstance(length, bool) or not isinstance(length, int):
        raise TypeError("access_token_length must be a whole number of characters or None")
    if not MIN_ACCESS_TOKEN_LENGTH <= length <= MAX_ACCESS_TOKEN_LENGTH:
        raise ValueError(f"access_token_length must be between {MIN_ACCESS_TOKEN_LENGTH} and {MAX_ACCESS_TOKEN_LENGTH}")
    return length


def access_token(length: int | None = None) -> str:
    """A JWE compact string (five parts, the second empty) of `length` characters, or 900-1,300 when None.

    The parts are random: the emulator looks its tokens up, it never decrypts them.
    """
    if length is None:
        low, high = TYPICAL_ACCESS_TOKEN_LENGTHS
        length = low + secrets.randbelow(high - low + 1)
    ciphertext_chars = length - (len(JWE_HEADER) + 4 + IV_CHARS + TAG_CHARS)
    tag_chars = TAG_CHARS
    if ciphertext_chars % 4 == 1:  # base64url cannot end there: move one character into the tag
        ciphertext_chars -= 1
        tag_chars += 1
    parts = (JWE_HEADER, "", _b64url_chars(IV_CHARS), _b64url_chars(ciphertext_chars), _b64url_chars(tag_chars))
    return ".".join(parts)


def refresh_token() -> str:
    """50 characters starting AB11, letters and digits only, like Intuit's refresh tokens (and codes)."""
    body = "".join(secrets.choice(_ALPHANUMERIC) for _ in range(REFRESH_TOKEN_LENGTH - len(REFRESH_PREFIX)))
    return REFRESH_PREFIX + body


def authorization_code() -> str:
    """Intuit's authorization codes share the refresh tokens' shape."""
    return refresh_token()


def transaction_id() -> str:
    """A value for the intuit_tid header Intuit puts on every answer (quoted to support teams)."""
    return f"1-{secrets.token_hex(4)}-{secrets.token_hex(12)}"
