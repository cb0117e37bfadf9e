"""Signing a credential in at Intuit: open the consent page, take the redirect, store the tokens."""

from __future__ import annotations

import hmac
import logging
import threading
from dataclasses import dataclass
from enum import Enum

from qbdesk.callback.address import query_from_pasted
from qbdesk.callback.listener import CallbackListener, CallbackPage, ListenerError
from qbdesk.callback.params import CallbackInvalid, CallbackParams, parse_callback
from qbdesk.callback.plan import Capture, CapturePlan, plan_capture
from qbdesk.core.credential import Credential, Status
from qbdesk.core.destinations import Destination
from qbdesk.core.events import Event
from qbdesk.intuit.discovery import DiscoveryCache, Endpoints
from qbdesk.intuit.errors import IntuitError, Kind, consent_refusal
from qbdesk.intuit.oauth import AuthorizationAttempt, TokenSet, exchange_code, start_authorization
from qbdesk.services.audit import AuditTrail
from qbdesk.services.credentials import CredentialRemoved, CredentialService
from qbdesk.store.repository import CredentialNotFound, CredentialRepository
from qbdesk.store.settings import SettingsStore, client_id_problem, redirect_uri_problem
from qbdesk.store.vault import UnavailableVault, Vault, VaultSwitch, VaultUnavailable, save_tokens, tokens_key

log = logging.getLogger("qbdesk.signin")


class SignInProblem(Exception):
    """Sign-in cannot start or finish; the message says what to fix, the kind what sort of trouble it is."""

    def __init__(self, message: str, kind: Kind = Kind.SETUP) -> None:
        super().__init__(message)
        self.kind = kind


class Phase(str, Enum):
    """How far a sign-in has come, as the Create page shows it."""

    EXCHANGING = "exchanging"
    CONNECTED = "connected"
    FAILED = "failed"
    REALM_CHANGED = "realm_changed"  # a reconnect came back with another company: the user decides


@dataclass(frozen=True)
class SignInUpdate:
    """News about a sign-in. credential_id is None when a redirect matched no sign-in at all."""

    phase: Phase
    credential_id: str | None
    message: str = ""
    credential: Credential | None = None
    kind: Kind | None = None  # for FAILED: what went wrong, when it came from Intuit or the setup


@dataclass(frozen=True)
class SignInStart:
    """What the GUI needs to send the user to Intuit."""

    url: str
    plan: CapturePlan
    redirect_uri: str


@dataclass
class _Pending:
    credential_id: str
    destination: Destination
    endpoints: Endpoints
    authorization: AuthorizationAttempt
    previous_realm: str | None = None  # set when reconnecting a connected credential


@dataclass
class _Held:
    """Tokens from a reconnect that chose another company, waiting for the user's decision."""

    realm_id: str
    tokens: TokenSet
    pending: _Pending


def _vault_problem(vault: Vault) -> str | None:
    current = vault.current if isinstance(vault, VaultSwitch) else vault
    return current.reason if isinstance(current, UnavailableVault) else None


class SignInService:
    """Runs sign-ins; one loopback listener per redirect URI stays open while any sign-in waits on it."""

    def __init__(
        self,
        credentials: CredentialService,
        repository: CredentialRepository,
        settings: SettingsStore,
        vault: Vault,
        discovery: DiscoveryCache,
        audit: AuditTrail,
    ) -> None:
        self._credentials = credentials
        self._audit = audit
        self._repository = repository
        self._settings = settings
        self._vault = vault
        self._discovery = discovery
        self._lock = threading.Lock()
        self._pending: dict[str, _Pending] = {}  # by state
        self._retired: dict[str, str] = {}  # state -> why it no longer works
        self._listeners: dict[str, CallbackListener] = {}  # by redirect URI
        self._stopping: dict[str, threading.Thread] = {}  # by redirect URI: a listener still letting go of its port
        self._held: dict[str, _Held] = {}  # by credential id
        self.updated: Event[SignInUpdate] = Event()
        credentials.removed.subscribe(self._on_removed)

    # --- starting -------------------------------------------------------------------------------

    def setup_problem(self, destination: Destination) -> str | None:
        """What stops sign-in for this destination before any network call, or None."""
        app = self._settings.app(destination)
        label = destination.label
        if client_id_problem(app.client_id):
            return f"{label} has no Client ID yet. Open Settings and enter your Intuit app's keys."
        if not self._settings.has_client_secret(destination):
            return f"{label} has no Client Secret yet. Open Settings and enter your Intuit app's keys."
        problem = redirect_uri_problem(app.redirect_uri)
        if problem:
            return f"{problem} Open Settings to correct it."
        return _vault_problem(self._vault)

    def capture_plan(self, destination: Destination) -> CapturePlan:
        """How the redirect for this destination will reach qbdesk, said in one sentence."""
        app = self._settings.app(destination)
        return plan_capture(destination, app.redirect_uri, self._settings.prefer_system_browser)

    def begin(self, credential_id: str) -> SignInStart:
        """Prepare a sign-in for a pending credential: the Intuit URL to open and how the redirect is caught.

        Blocks on the network (discovery document): call it off the GUI thread.
        """
        credential = self._repository.get(credential_id)
        if credential is None:
            raise SignInProblem("This credential was removed meanwhile. Configure a new credential.", Kind.OTHER)
        reconnecting = credential.status is Status.CONNECTED
        problem = self.setup_problem(credential.destination)
        if problem:
            raise SignInProblem(problem)
        app = self._settings.app(credential.destination)
        try:
            endpoints = self._discovery.endpoints(app.effective_discovery_url)
            authorization = start_authorization(endpoints, app.client_id, app.redirect_uri)
        except IntuitError as exc:
            raise SignInProblem(str(exc), exc.kind) from None
        plan = self.capture_plan(credential.destination)
        if plan.capture is Capture.LISTENER:
            self._ensure_listener(app.redirect_uri)
        with self._lock:
            for state, pending in list(self._pending.items()):
                if pending.credential_id == credential_id:
                    self._retire(state, "This sign-in link belongs to an earlier attempt.")
            self._pending[authorization.state] = _Pending(
                credential_id, credential.destination, endpoints, authorization,
                credential.realm_id if reconnecting else None,
            )
        try:
            if not reconnecting:
                self._credentials.revise_pending(
                    credential_id, credential.name, credential.destination, restart_ttl=True
                )
        except CredentialNotFound:
            self._drop(credential_id, "The credential for this sign-in was removed in qbdesk.")
            raise SignInProblem("This credential was removed meanwhile. Configure a new credential.", Kind.OTHER) from None
        log.info("Sign-in started for %s (%s)", credential_id, plan.capture.value)
        return SignInStart(authorization.url, plan, app.redirect_uri)

    def _ensure_listener(self, redirect_uri: str) -> None:
        with self._lock:
            listener = self._listeners.get(redirect_uri)
            if listener is not None and listener.running:
                return
            stopping = self._stopping.pop(redirect_uri, None)
            if stopping is not None:
                stopping.join(timeout=5)  # its port is free only once it has stopped
            listener = CallbackListener(redirect_uri, self.complete)
            try:
                listener.start()
            except ListenerError as exc:
                raise SignInProblem(str(exc)) from None
            self._listeners[redirect_uri] = listener

    # --- finishing ------------------------------------------------------------------------------

    def complete_from_address(self, credential_id: str, address: str) -> None:
        """Finish a sign-in from the redirect address the sign-in window caught or the user pasted.

        Blocks on the network (code exchange): call it off the GUI thread. Outcomes arrive as updates.
        """
        credential = self._repository.get(credential_id)
        if credential is None:
            raise SignInProblem("This credential was removed (it expired or was cancelled). Configure a new one.")
        redirect_uri = self._settings.app(credential.destination).redirect_uri
        try:
            query = query_from_pasted(address, redirect_uri)
        except CallbackInvalid as exc:
            raise SignInProblem(str(exc)) from None
        self.complete(query)

    def complete(self, query: dict[str, str]) -> CallbackPage:
        """Handle a redirect from Intuit (on the listener's thread) and say what to show in the browser."""
        try:
            params = parse_callback(query)
        except CallbackInvalid as exc:
            return self._refuse(None, str(exc) + " Return to qbdesk and press \u201cGo to QuickBooks\u201d again.")
        with self._lock:
            state, pending = self._match(params.state)
            if pending is None:
                reason = self._retired_reason(params.state) or (
                    "This sign-in was not started by qbdesk, or qbdesk was restarted since."
                )
                return self._refuse(None, reason + " Return to qbdesk and press \u201cGo to QuickBooks\u201d again.")
            # A state works once: remove it before anything slow happens.
            self._retire(state, "This sign-in link was already used.")
        return self._finish(pending, params)

    def _finish(self, pending: _Pending, params: CallbackParams) -> CallbackPage:
        # Before any outcome is announced: a new attempt started on hearing it must get a listener that stays open.
        self._close_idle_listeners()
        if params.error:
            return self._refuse(pending.credential_id, consent_refusal(params.error, params.error_description))
        self.updated.emit(SignInUpdate(Phase.EXCHANGING, pending.credential_id, "Finishing sign-in with Intuit\u2026"))
        try:
            secret = self._settings.client_secret(pending.destination) or ""
            tokens = exchange_code(
                pending.authorization, pending.endpoints, secret, params.code or "", self._credentials.clock.now()
            )
            realm_id = params.realm_id or ""
            if pending.previous_realm and realm_id != pending.previous_realm:
                return self._hold(pending, realm_id, tokens)
            credential = self._store(pending.credential_id, realm_id, tokens)
        except (IntuitError, SignInProblem) as exc:
            return self._refuse(pending.credential_id, str(exc), exc.kind)
        except VaultUnavailable as exc:
            return self._refuse(pending.credential_id, str(exc), Kind.SETUP)
        except Exception:  # never leave the user waiting on an answer that will not come
            log.exception("Finishing sign-in for %s failed unexpectedly", pending.credential_id)
            return self._refuse(
                pending.credential_id,
                "Something went wrong while finishing sign-in. Press \u201cGo to QuickBooks\u201d to try again; "
                "if it keeps happening, the log file in the data folder has details.",
                Kind.OTHER,
            )
        self._announce_connected(credential, "reconnected" if pending.previous_realm else "signed_in")
        return CallbackPage(
            ok=True,
            title="Connected to QuickBooks",
            message=f"The credential \u201c{credential.name}\u201d is connected to company {credential.realm_id}.",
        )

    def _announce_connected(self, credential: Credential, event: str) -> None:
        """The list hears of the connected credential first, then whoever waits on the sign-in."""
        self._audit.record(credential, event, f"company {credential.realm_id}")
        self._credentials.changed.emit(credential)
        self.updated.emit(SignInUpdate(Phase.CONNECTED, credential.id, "Connected", credential))

    def _hold(self, pending: _Pending, realm_id: str, tokens: TokenSet) -> CallbackPage:
        """A reconnect chose another company: keep the tokens aside until the user decides."""
        with self._lock:
            self._held[pending.credential_id] = _Held(realm_id, tokens, pending)
        message = (
            f"Intuit connected company {realm_id}, but this credential was for company {pending.previous_realm}."
        )
        self.updated.emit(SignInUpdate(Phase.REALM_CHANGED, pending.credential_id, message))
        return CallbackPage(
            ok=False, title="Confirm the company in qbdesk",
            message="You chose a different QuickBooks company than before. Return to qbdesk to confirm or undo it.",
        )

    def resolve_realm_change(self, credential_id: str, replace: bool) -> None:
        """The user's answer to a changed company: store the new tokens, or keep the old connection."""
        with self._lock:
            held = self._held.pop(credential_id, None)
        if held is None:
            return
        if not replace:
            credential = self._repository.get(credential_id)
            if credential is not None:
                self._audit.record(credential, "reconnect_undone", f"kept company {credential.realm_id}")
            self.updated.emit(SignInUpdate(
                Phase.FAILED, credential_id,
                "Kept the previous company. The new sign-in was not stored.",
            ))
            return
        try:
            credential = self._store(credential_id, held.realm_id, held.tokens)
        except VaultUnavailable as exc:
            self._refuse(credential_id, str(exc), Kind.SETUP)
            return
        except SignInProblem as exc:
            self._refuse(credential_id, str(exc), exc.kind)
            return
        self._audit.record(credential, "company_replaced", f"from {held.pending.previous_realm} to {held.realm_id}")
        self._announce_connected(credential, "reconnected")

    def _store(self, credential_id: str, realm_id: str, tokens: TokenSet) -> Credential:
        """Secrets to the vault first, then the metadata; undo the vault write if the row is gone."""
        save_tokens(self._vault, credential_id, tokens.access_token, tokens.refresh_token)
        try:
            return self._repository.mark_connected(
                credential_id,
                realm_id,
                self._credentials.clock.now(),
                tokens.access_expires_at,
                tokens.refresh_expires_at,
                tokens.hard_expires_at,
            )
        except CredentialNotFound:
            self._vault.delete(tokens_key(credential_id))
            raise SignInProblem(
                "This credential was removed (it expired or was cancelled) before sign-in finished. "
                "Configure a new credential to try again."
            ) from None

    def _refuse(self, credential_id: str | None, message: str, kind: Kind | None = None) -> CallbackPage:
        log.info("Sign-in refused for %s", credential_id or "an unknown attempt")
        self.updated.emit(SignInUpdate(Phase.FAILED, credential_id, message, kind=kind))
        return CallbackPage(ok=False, title="Sign-in did not complete", message=message, status=400)

    # --- bookkeeping ----------------------------------------------------------------------------

    def _match(self, state: str) -> tuple[str, _Pending | None]:
        """Find the pending sign-in for a state, comparing in constant time."""
        found: tuple[str, _Pending | None] = (state, None)
        for known, pending in self._pending.items():
            if hmac.compare_digest(known.encode(), state.encode()):
                found = (known, pending)
        return found

    def _retired_reason(self, state: str) -> str | None:
        for known, reason in self._retired.items():
            if hmac.compare_digest(known.encode(), state.encode()):
                return reason
        return None

    def _retire(self, state: str, reason: str) -> None:
        self._pending.pop(state, None)
        self._retired[state] = reason

    def cancel(self, credential_id: str) -> None:
        """Stop waiting for a credential's sign-in."""
        self._drop(credential_id, "This sign-in was cancelled in qbdesk.")

    def _drop(self, credential_id: str, reason: str) -> None:
        with self._lock:
            for state, pending in list(self._pending.items()):
                if pending.credential_id == credential_id:
                    self._retire(state, reason)
        self._close_idle_listeners()

    def _on_removed(self, removal: CredentialRemoved) -> None:
        reason = (
            "This sign-in took too long and expired, so its credential was removed. Configure a new credential."
            if removal.expired
            else "The credential for this sign-in was removed in qbdesk."
        )
        self._drop(removal.credential.id, reason)

    def _close_idle_listeners(self) -> None:
        with self._lock:
            busy = {p.authorization.redirect_uri for p in self._pending.values()}
            for uri in [uri for uri in self._listeners if uri not in busy]:
                # The listener may be answering this very request: stop it from another thread.
                stopper = threading.Thread(target=self._listeners.pop(uri).stop, name="listener-stop", daemon=True)
                self._stopping[uri] = stopper
                stopper.start()

    def waiting_on(self, credential_id: str) -> bool:
        """True while a sign-in for this credential can still be completed."""
        with self._lock:
            return any(p.credential_id == credential_id for p in self._pending.values())

    def listening(self) -> list[str]:
        """Redirect URIs with an open listener."""
        with self._lock:
            return [uri for uri, listener in self._listeners.items() if listener.running]

    def shutdown(self) -> None:
        """Close every listener (at exit)."""
        with self._lock:
            listeners = list(self._listeners.values())
            self._listeners.clear()
            self._pending.clear()
        for listener in listeners:
            listener.stop()
