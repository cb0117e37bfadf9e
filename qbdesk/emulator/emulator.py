"""The Emulator: a local stand-in for Intuit's OAuth server and the QuickBooks API calls qbdesk and scripts make."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from oauthlib.uri_validate import is_absolute_uri

from .api_routes import API_PREFIXES, DISCOVERY_PATHS
from .companies import DEFAULT_COMPANIES, DemoCompany, checked_companies
from .config import ENVIRONMENTS, INTUIT_ROTATION, Lifetimes, Rotation, TokenPolicy
from .faults import Fault, FaultPlan
from .router import EmulatorApp
from .saved_state import SavedRegistry
from .server import EmulatorHTTPServer
from .shapes import check_access_token_length
from .state import Client, Registry

log = logging.getLogger("qbdesk.emulator")

MAX_CREDENTIAL_LENGTH = 256
SHUTDOWN_POLL_SECONDS = 0.05


def _as_epoch_clock(clock: object) -> Callable[[], float]:
    """Accept a callable returning epoch seconds, or an object whose now() returns an aware datetime."""
    if clock is None:
        return time.time
    if callable(clock):
        return clock  # type: ignore[return-value]
    now = getattr(clock, "now", None)
    if callable(now):
        return lambda: now().timestamp()
    raise TypeError("clock must be a callable returning epoch seconds or have a now() method")


def _check_credential(name: str, value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_CREDENTIAL_LENGTH:
        raise ValueError(f"{name} must be a non-empty string of at most {MAX_CREDENTIAL_LENGTH} characters")
    if not value.isprintable() or ":" in value or any(char.isspace() for char in value):
        raise ValueError(f"{name} must be printable, without spaces or colons")
    return value


def _check_redirect_uri(uri: object) -> str:
    if not isinstance(uri, str) or not uri.startswith(("http://", "https://")) or not is_absolute_uri(uri):
        raise ValueError("redirect URIs must be absolute http or https URLs")
    if "#" in uri:
        raise ValueError("redirect URIs must not contain a fragment")
    return uri


class Emulator:
    """Serves Intuit-like OAuth and CompanyInfo endpoints on a loopback port, in a daemon thread.

    clock returns epoch seconds (default time.time); an object whose now() returns an aware
    datetime is accepted too. Lifetimes are in seconds. With state_file, codes and tokens are kept in that
    file and outlive the emulator (demo mode); without it, everything is forgotten at exit.

    Tokens are shaped like Intuit's: access tokens are JWE compact strings of 900-1,300 characters, or
    exactly access_token_length; refresh tokens and codes are 50 characters starting AB11. rotation says
    when a refresh hands back a new refresh token (Intuit's rule by default; STRICT_ROTATION retires the
    previous one at once).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] | None = None,
        *,
        companies: Iterable[DemoCompany] = DEFAULT_COMPANIES,
        access_token_ttl: int = 3600,
        refresh_token_ttl: int = 8726400,
        hard_expiry_ttl: int = 5 * 365 * 86400,
        code_ttl: int = 600,
        state_file: Path | None = None,
        access_token_length: int | None = None,
        rotation: Rotation = INTUIT_ROTATION,
    ) -> None:
        self._host = host
        self._port = port
        self._lifetimes = Lifetimes(access_token_ttl, refresh_token_ttl, hard_expiry_ttl, code_ttl)
        epoch_clock = _as_epoch_clock(clock)
        self._registry = Registry(epoch_clock) if state_file is None else SavedRegistry(epoch_clock, state_file)
        policy = TokenPolicy(check_access_token_length(access_token_length))
        self._app = EmulatorApp(self._registry, self._lifetimes, checked_companies(companies), policy)
        self.rotation = rotation  # checked by the setter
        self._faults = FaultPlan()
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # setup

    def register_client(self, client_id: str, client_secret: str, redirect_uris: list[str], environment: str) -> None:
        """Register an app's keys; codes and tokens it gets are tied to its environment."""
        if environment not in ENVIRONMENTS:
            raise ValueError(f"environment must be one of {ENVIRONMENTS}")
        if isinstance(redirect_uris, str):
            raise TypeError("redirect_uris must be a list of URLs, not a single string")
        uris = tuple(_check_redirect_uri(uri) for uri in redirect_uris)
        if not uris:
            raise ValueError("at least one redirect URI is required")
        client = Client(
            client_id=_check_credential("client_id", client_id),
            client_secret=_check_credential("client_secret", client_secret),
            redirect_uris=uris,
            environment=environment,
        )
        self._registry.register_client(client)
        log.info("registered %s client %s", environment, client_id)

    # token rules

    @property
    def rotation(self) -> Rotation:
        """When refreshes hand back a new refresh token and how long the previous one keeps working."""
        return self._app.policy.rotation

    @rotation.setter
    def rotation(self, rotation: Rotation) -> None:
        if not isinstance(rotation, Rotation):
            raise TypeError("rotation must be a Rotation")
        self._app.policy.rotation = rotation

    @property
    def access_token_length(self) -> int | None:
        """The length of every access token issued, or None when it varies like Intuit's (900-1,300)."""
        return self._app.policy.access_token_length

    # faults

    def inject_fault(self, endpoint: str, fault: Fault, times: int = 1, delay: float | None = None) -> None:
        """Make the next `times` requests to an endpoint misbehave.

        endpoint is "token", "discovery", "companyinfo", "revoke" or "query". delay is how long SLOW waits before
        answering (default 2 s), TIMEOUT holds the connection before closing it (default 60 s), or HTTP_429
        asks the client to wait in its Retry-After header (default 1 s).
        Faults for one endpoint are served in the order they were injected.
        """
        self._faults.inject(endpoint, fault, times, delay)

    def clear_faults(self) -> None:
        """Forget every queued fault and release connections being held."""
        self._faults.clear()

    def served_faults(self) -> list[tuple[str, Fault]]:
        """(endpoint, fault) for every fault served so far, in order."""
        return self._faults.served()

    # lifecycle

    def start(self) -> Emulator:
        """Bind the port and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("emulator already started")
        server = EmulatorHTTPServer((self._host, self._port), self._app.handle, self._faults)
        port = server.server_address[1]
        host = f"[{self._host}]" if ":" in self._host else self._host
        self._app.base_url = f"http://{host}:{port}"
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name="qbdesk-intuit-emulator",
            daemon=True,
        )
        self._thread.start()
        log.info("Intuit emulator listening on %s", self._app.base_url)
        return self

    def stop(self) -> None:
        """Stop serving and release the port; safe to call twice."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        self._faults.release()  # held and slowed requests must not keep the server from closing
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        log.info("Intuit emulator stopped")

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # addresses

    @property
    def base_url(self) -> str:
        """Root URL of the running emulator, e.g. http://127.0.0.1:8700."""
        if not self._app.base_url:
            raise RuntimeError("emulator not started")
        return self._app.base_url

    def discovery_url(self, environment: str) -> str:
        """URL of the OpenID discovery document for "production" or "sandbox"."""
        return self.base_url + DISCOVERY_PATHS[_checked_environment(environment)]

    def api_base_url(self, environment: str) -> str:
        """QuickBooks Online API base for an environment (…/v3 or …/sandbox/v3)."""
        return self.base_url + API_PREFIXES[_checked_environment(environment)]

    # inspection

    @property
    def companies(self) -> list[DemoCompany]:
        """The demo companies offered on the consent page."""
        return list(self._app.companies)

    @property
    def token_calls(self) -> int:
        """How many requests reached the token endpoint."""
        return self._registry.token_calls

    def issued_secrets(self) -> set[str]:
        """Every authorization code, access token and refresh token issued so far."""
        return self._registry.issued_secrets()


def _checked_environment(environment: str) -> str:
    if environment not in ENVIRONMENTS:
        raise ValueError(f"environment must be one of {ENVIRONMENTS}")
    return environment
