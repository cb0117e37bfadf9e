"""Binding the loopback port(s) for the callback listener, and explaining in plain English when that fails."""

from __future__ import annotations

import errno
import logging
import socket
import sys

from .redirect_uri import HOST_ADDRESSES

__all__ = ["ListenerError", "bind_loopback", "close_all"]

log = logging.getLogger("qbdesk.callback")

_NO_IPV6 = {
    errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT, errno.EPROTONOSUPPORT,
    getattr(errno, "WSAEADDRNOTAVAIL", -1), getattr(errno, "WSAEAFNOSUPPORT", -1),
}
_IN_USE = {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)}
_DENIED = {errno.EACCES, getattr(errno, "WSAEACCES", -1)}


class ListenerError(Exception):
    """The listener could not start; the message says, in plain English, what the user can do about it."""


def bind_loopback(host: str, port: int) -> list[socket.socket]:
    """Listen on every loopback address the redirect host can mean; all or nothing, non-blocking sockets."""
    sockets: list[socket.socket] = []
    try:
        for family, address in HOST_ADDRESSES[host]:
            optional = host == "localhost" and family == socket.AF_INET6
            if optional and not socket.has_ipv6:
                continue
            try:
                sockets.append(_listen(family, address, port))
            except OSError as exc:
                if optional and exc.errno in _NO_IPV6:
                    log.debug("No IPv6 loopback on this machine; listening on IPv4 only")
                    continue
                raise _bind_error(exc, family, port) from exc
    except BaseException:
        close_all(sockets)
        raise
    return sockets


def close_all(sockets: list[socket.socket]) -> None:
    """Close every socket, ignoring any that fail to close."""
    for sock in sockets:
        try:
            sock.close()
        except OSError:
            pass


def _listen(family: int, address: str, port: int) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        if sys.platform == "win32":  # SO_REUSEADDR there lets another program steal the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:  # rebinding soon after stop() must not fail on connections in TIME_WAIT
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen(16)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def _bind_error(exc: OSError, family: int, port: int) -> ListenerError:
    register = "in the Redirect URI (and register it with Intuit)"
    if exc.errno in _IN_USE:
        return ListenerError(
            f"Port {port} is already in use by another program, so qbdesk can't receive the sign-in "
            f"from your browser. Close that program, or choose another port {register}."
        )
    if exc.errno in _DENIED and sys.platform == "win32":  # Windows' answer to a port held exclusively or reserved
        return ListenerError(
            f"Port {port} is already in use by another program or reserved by Windows, so qbdesk can't "
            f"receive the sign-in from your browser. Close that program, or choose another port {register}."
        )
    if exc.errno in _DENIED:
        return ListenerError(
            f"qbdesk isn't allowed to use port {port} on this computer (ports below 1024 usually need "
            f"administrator rights), so it can't receive the sign-in from your browser. "
            f"Choose a port between 1024 and 65535 {register}."
        )
    if family == socket.AF_INET6 and exc.errno in _NO_IPV6:
        return ListenerError(
            "This computer has no IPv6 loopback, so qbdesk can't listen at [::1]. "
            "Use localhost instead of [::1] in the Redirect URI (and register it with Intuit)."
        )
    return ListenerError(
        f"qbdesk couldn't listen on port {port} ({exc.strerror or exc}), so it can't receive the sign-in "
        f"from your browser. Try again, or choose another port {register}."
    )
