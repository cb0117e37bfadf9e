"""Reading and parsing one HTTP request from a browser, bounded in size and time and trusting nothing."""

from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

from .pages import MALFORMED, plain, render, too_large
from .redirect_uri import is_loopback_host_header

__all__ = [
    "MAX_HEAD_BYTES",
    "MAX_PATH_CHARS",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_FIELDS",
    "Refused",
    "Request",
    "parse_head",
    "parse_query",
    "read_head",
]

MAX_HEAD_BYTES = 16 * 1024  # request line and headers together
MAX_PATH_CHARS = 2048
MAX_QUERY_CHARS = 4096
MAX_QUERY_FIELDS = 64

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_REQUEST_LINE = re.compile(r"(?P<method>[!#$%&'*+.^_`|~0-9A-Za-z-]+) (?P<target>[!-~]+) HTTP/1\.[01]")
_HEAD_END = re.compile(rb"\r?\n\r?\n")


class Refused(Exception):
    """A request the listener answers with an error page instead of passing it on."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


@dataclass(frozen=True)
class Request:
    """The parts of a request the listener routes on."""

    method: str
    path: str
    query: str


def read_head(conn: socket.socket, deadline: float) -> bytes | None:
    """Read up to the blank line after the headers, or None if the client is silent, slow or gone."""
    buf = bytearray()
    while True:
        end = _HEAD_END.search(buf)
        if end is not None:
            return bytes(buf[: end.start()])
        if len(buf) >= MAX_HEAD_BYTES:
            status = 431 if b"\n" in buf else 414  # 414 when the request line alone is too long
            raise Refused(status, render(too_large(status)))
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        conn.settimeout(remaining)
        try:
            chunk = conn.recv(MAX_HEAD_BYTES - len(buf))
        except TimeoutError:
            return None
        if not chunk:
            return None
        buf += chunk


def parse_head(head: bytes) -> Request:
    """Parse the request line and check the Host header; raise Refused for anything malformed."""
    lines = re.split(r"\r?\n", head.decode("latin-1"))
    match = _REQUEST_LINE.fullmatch(lines[0])
    if match is None or not match["target"].startswith("/") or "#" in match["target"]:
        raise Refused(400, render(MALFORMED))
    path, _, query = match["target"].partition("?")
    if len(path) > MAX_PATH_CHARS or len(query) > MAX_QUERY_CHARS:
        raise Refused(414, render(too_large(414)))
    host = None
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.fullmatch(name):  # also refuses obsolete folded header lines
            raise Refused(400, render(MALFORMED))
        if name.lower() == "host":
            if host is not None:
                raise Refused(400, render(MALFORMED))
            host = value.strip(" \t")
    if host is None or not is_loopback_host_header(host):  # refuses DNS-rebinding names that point at 127.0.0.1
        raise Refused(400, plain("Wrong address"))
    return Request(match["method"], path, query)


def parse_query(query: str) -> dict[str, str] | None:
    """Decode the query into a dict, or None if it is malformed or repeats a parameter."""
    try:
        pairs = parse_qsl(
            query, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=MAX_QUERY_FIELDS
        )
    except ValueError:  # too many fields, or percent-escapes that are not UTF-8
        return None
    params = dict(pairs)
    return params if len(params) == len(pairs) else None
