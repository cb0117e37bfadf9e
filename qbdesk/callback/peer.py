"""Who is at the other end of a loopback connection: the user that owns the client's socket.

Any local user can connect to a loopback port, so the listeners accept only connections whose client socket
belongs to the user qbdesk runs as. What each platform offers:
- Linux: the kernel's socket tables (/proc/net/tcp and tcp6) list the owner (uid) of every TCP socket; the
  client's entry is the one whose local end is the connection's peer address. Used here.
- Windows: GetExtendedTcpTable gives the owning process of a socket, and that process's token its user.
- macOS: no socket-to-user table is open to ordinary programs (lsof reads kernel structures as root).
On platforms where the owner cannot be found, owner_of() returns None and the caller decides.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import struct
import sys
from pathlib import Path

__all__ = ["Verdict", "owner_of", "same_user"]

_TABLES = {socket.AF_INET: Path("/proc/net/tcp"), socket.AF_INET6: Path("/proc/net/tcp6")}


def _hex(address: str, port: int) -> str:
    """An endpoint as the kernel's tables write it: the address as native-endian 32-bit words, then the port."""
    packed = ipaddress.ip_address(address).packed
    words = struct.unpack(f"={len(packed) // 4}I", packed)
    return "".join(f"{word:08X}" for word in words) + f":{port:04X}"


def _forms(address: str) -> list[tuple[int, str]]:
    """The tables an address can appear in: IPv4 as itself, and as ::ffff:a.b.c.d for a dual-stack client."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.version == 4:
        return [(socket.AF_INET, str(ip)), (socket.AF_INET6, f"::ffff:{ip}")]
    return [(socket.AF_INET6, str(ip))]


def owner_of(connection: socket.socket) -> int | None:
    """The uid owning the client end of an accepted loopback connection (Linux); None when this platform cannot
    say or the client is gone."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        peer_host, peer_port = connection.getpeername()[:2]
        own_host, own_port = connection.getsockname()[:2]
        pairs = zip(_forms(peer_host), _forms(own_host), strict=True)
    except (OSError, ValueError):
        return None
    for (family, peer), (_, own) in pairs:
        uid = _find(_TABLES[family], _hex(peer, peer_port), _hex(own, own_port))
        if uid is not None:
            return uid
    return None


def _find(table: Path, local: str, remote: str) -> int | None:
    try:
        lines = table.read_text(encoding="ascii", errors="replace").splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) > 7 and fields[1] == local and fields[2] == remote:
            try:
                return int(fields[7])
            except ValueError:
                return None
    return None


class Verdict:
    """What same_user() found."""

    SAME = "same"
    OTHER = "other"
    UNKNOWN = "unknown"


def same_user(connection: socket.socket) -> str:
    """Whether the client end of a connection belongs to the user running qbdesk (a Verdict value)."""
    if not sys.platform.startswith("linux"):
        return Verdict.UNKNOWN
    uid = owner_of(connection)
    if uid is None:
        return Verdict.OTHER  # Linux always lists a live socket: one that is missing is gone or hidden
    return Verdict.SAME if uid == os.geteuid() else Verdict.OTHER
