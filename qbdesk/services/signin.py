"""Signing a credential in at Intuit: start it, take the redirect, and see it through to a stored connection.

The parts each have one job: signin_pending (which sign-ins wait, by state), signin_capture (the loopback
listeners), signin_exchange (code for tokens, stored through the credential service) and signin_hold (a
reconnect that came back with another company). This service puts them together and reports every outcome
as a SignInUpdate with a cause and a next step; the front ends put those into words.
"""

from __future__ import annotations

import logging

from qbdesk.callback.address import query_from_pasted
from qbdesk.callback.listener import CallbackPage, ListenerError
from qbdesk.callback.params import CallbackInvalid, CallbackParams, parse_callback
from qbdesk.callback.plan import Capture, CapturePlan, plan_capture
from qbdesk.core.clock import Clock
from qbdesk.core.credential import Status
from qbdesk.core.destinations import Destination
from qbdesk.core.events import Event
from qbdesk.core.problems import Kind, NextStep
from qbdesk.intuit.discovery import DiscoveryCache, Endpoints
from qbdesk.intuit.errors import IntuitError, consent_refusal
from qbdesk.intuit.oauth import AuthorizationAttempt, start_authorization
from qbdesk.services.audit import AuditTrail
from qbdesk.services.credentials import CredentialRemoved, CredentialService
from qbdesk.services.signin_capture import CallbackCapture, refusal_page
from qbdesk.services.signin_exchange import CodeExchange
from qbdesk.services.signin_hold import CompanyChangeHold, HeldSignIn
from qbdesk.services.signin_outcome import Phase, SignInProblem, SignInStart, SignInUpdate
from qbdesk.services.signin_pending import PendingSignIn, PendingSignIns, Retirement
from qbdesk.store.repository import CredentialNotFound, PendingExpired
from qbdesk.store.settings import IntuitApp, SettingsStore, client_id_problem, redirect_uri_problem
from qbdesk.store.vault import UnavailableVault, Vault, VaultSwitch, VaultUnavailable

__all__ = ["Phase", "SignInProblem", "SignInService", "SignInStart", "SignInUpdate"]

log = logging.getLogger("qbdesk.signin")

REMOVED_MEANWHILE = "This credential was removed meanwhile."
UNKNOWN_SIGN_IN = Retirement(
    "This sign-in was not started by qbdesk, or qbdesk was restarted since.", NextStep.SIGN_IN_AGAIN
)
CANCELLED = Retirement("This sign-in was cancelled in qbdesk.", NextStep.SIGN_IN_AGAIN)
REMOVED = Retirement("The credential for this sign-in was removed in qbdesk.", NextStep.START_OVER)
EXPIRED = Retirement(
    "This sign-in took too long and expired, so its credential was removed.", NextStep.START_OVER
)


def _vault_problem(vault: Vault) -> str | None:
    current = vault.current if isinstance(vault, VaultSwitch) else vault
    return current.reason if isinstance(current, UnavailableVault) else None


class SignInService:
    """Runs sign-ins; one loopback listener per redirect URI stays open while any sign-in waits on it."""

    def __init__(
        self,
        credentials: CredentialService,
        clock: Clock,
        settings: SettingsStore,
        vault: Vault,
        discovery: DiscoveryCache,
        audit: AuditTrail,
    ) -> None:
        self._credentials = credentials
        self._audit = audit
        self._settings = settings
        self._vault = vault
        self._discovery = discovery
        self._pending = PendingSignIns()
        # complete is looked up per redirect, so a wrapper set on the instance (bench/signin.py) is the one used.
        self._capture = CallbackCapture(lambda query: self.complete(query))
        self._exchange = CodeExchange(credentials, settings, clock)
        self._hold = CompanyChangeHold()
        self.updated: Event[SignInUpdate] = Event()
        credentials.removed.subscribe(self._on_removed)

    # --- starting -------------------------------------------------------------------------------

    def setup_problem(self, destination: Destination) -> SignInProblem | None:
        """What stops sign-in for this destination before any network call, or None."""
        app = self._settings.app(destination)
        label = destination.label
        if self._settings.hidden(destination):
            return SignInProblem(f"Your organisation does not offer {label} on this computer.", NextStep.NONE)
        if client_id_problem(app.client_id):
            return SignInProblem(f"{label} has no Client ID yet.", NextStep.ENTER_KEYS)
        if not self._settings.has_client_secret(destination):
            return SignInProblem(f"{label} has no Client Secret yet.", NextStep.ENTER_KEYS)
        problem = redirect_uri_problem(app.redirect_uri)
        if problem:
            return SignInProblem(problem, NextStep.CHECK_SETUP)
        vault_problem = _vault_problem(self._vault)
        return SignInProblem(vault_problem, NextStep.NONE) if vault_problem else None

    def capture_plan(self, destination: Destination) -> CapturePlan:
        """How the redirect for this destination will reach qbdesk, said in one sentence."""
        app = self._settings.app(destination)
        return plan_capture(destination, app.redirect_uri, self._settings.prefer_system_browser)

    def authorize(self, destination: Destination) -> tuple[IntuitApp, Endpoints, AuthorizationAttempt]:
        """The destination's app, Intuit's endpoints and a fresh authorization address (state and PKCE) for it;
        nothing is kept. Raises SignInProblem when the setup is incomplete or Intuit cannot be reached.

        Blocks on the network (discovery document): call it off the GUI thread.
        """
        problem = self.setup_problem(destination)
        if problem:
            raise problem
        app = self._settings.app(destination)
        try:
            endpoints = self._discovery.endpoints(app.effective_discovery_url)
            return app, endpoints, start_authorization(endpoints, app.client_id, app.redirect_uri)
        except IntuitError as exc:
            raise SignInProblem(exc.cause, exc.next_step, exc.kind) from None

    def begin(self, credential_id: str) -> SignInStart:
        """Prepare a sign-in for a pending credential: the Intuit URL to open and how the redirect is caught.

        Blocks on the network (discovery document): call it off the GUI thread.
        """
        credential = self._credentials.get(credential_id)
        if credential is None:
            raise SignInProblem(REMOVED_MEANWHILE, NextStep.START_OVER, Kind.OTHER)
        reconnecting = credential.status is Status.CONNECTED
        app, endpoints, authorization = self.authorize(credential.destination)
        plan = self.capture_plan(credential.destination)
        if plan.capture is Capture.LISTENER:
            try:
                self._capture.ensure_listening(app.redirect_uri)
            except ListenerError as exc:
                raise SignInProblem(str(exc), NextStep.CHECK_SETUP) from None
        self._pending.add(authorization.state, PendingSignIn(
            credential_id, credential.destination, endpoints, authorization,
            credential.realm_id if reconnecting else None,
        ))
        try:
            if not reconnecting:
                self._credentials.revise_pending(
                    credential_id, credential.name, credential.destination, restart_ttl=True
                )
        except CredentialNotFound:
            self._drop(credential_id, REMOVED)
            raise SignInProblem(REMOVED_MEANWHILE, NextStep.START_OVER, Kind.OTHER) from None
        log.info("Sign-in started for %s (%s)", credential_id, plan.capture.value)
        browser_url = "" if plan.capture is Capture.EMBEDDED else self._capture.browser_address(authorization.url)
        return SignInStart(authorization.url, plan, app.redirect_uri, browser_url)

    # --- finishing ------------------------------------------------------------------------------

    def complete_from_address(self, credential_id: str, address: str) -> None:
        """Finish a sign-in from the redirect address the sign-in window caught or the user pasted.

        Blocks on the network (code exchange): call it off the GUI thread. Outcomes arrive as updates; an
        address that belongs to no sign-in raises SignInProblem.
        """
        credential = self._credentials.get(credential_id)
        if credential is None:
            raise SignInProblem(
                "This credential was removed (it expired or was cancelled).", NextStep.START_OVER
            )
        redirect_uri = self._settings.app(credential.destination).redirect_uri
        try:
            query = query_from_pasted(address, redirect_uri)
        except CallbackInvalid as exc:
            raise SignInProblem(str(exc), NextStep.NONE) from None
        self._complete(query, told_by_user=True)

    def complete(self, query: dict[str, str]) -> CallbackPage:
        """Handle a redirect from Intuit (on the listener's thread) and say what to show in the browser."""
        return self._complete(query, told_by_user=False)

    def _complete(self, query: dict[str, str], told_by_user: bool) -> CallbackPage:
        """Redirects that belong to no sign-in qbdesk started are answered in the browser only: any web page can
        send a browser to the listener, and its refusal must not make a waiting sign-in look failed."""
        try:
            params = parse_callback(query)
        except CallbackInvalid as exc:
            return self._refuse_stranger(str(exc), NextStep.SIGN_IN_AGAIN, told_by_user)
        # A state works once: claiming it retires it before anything slow happens.
        pending, retired = self._pending.claim(params.state)
        if retired is not None:
            return self._refuse(None, retired.cause, retired.next_step)
        if pending is None:
            return self._refuse_stranger(UNKNOWN_SIGN_IN.cause, UNKNOWN_SIGN_IN.next_step, told_by_user)
        return self._finish(pending, params)

    def _refuse_stranger(self, cause: str, next_step: NextStep, told_by_user: bool) -> CallbackPage:
        if told_by_user:
            raise SignInProblem(cause, next_step)
        log.info("Refused a redirect that belongs to no sign-in qbdesk started")
        return refusal_page(cause, next_step)

    def _finish(self, pending: PendingSignIn, params: CallbackParams) -> CallbackPage:
        # Before any outcome is announced: a new attempt started on hearing it must get a listener that stays open.
        self._close_idle_listeners()
        # The stored expiry is the rule, by the wall clock: a computer that slept past it has no time left.
        if self._credentials.remove_if_expired(pending.credential_id):
            return self._refuse(pending.credential_id, EXPIRED.cause, EXPIRED.next_step)
        if params.error:
            return self._refuse(
                pending.credential_id, consent_refusal(params.error, params.error_description), NextStep.SIGN_IN_AGAIN
            )
        self.updated.emit(SignInUpdate(Phase.EXCHANGING, pending.credential_id, "Finishing sign-in with Intuit\u2026"))
        event = "reconnected" if pending.previous_realm else "signed_in"
        try:
            tokens = self._exchange.exchange(pending, params.code or "")
            realm_id = params.realm_id or ""
            if pending.previous_realm and realm_id != pending.previous_realm:
                return self._hold_company_change(pending, HeldSignIn(realm_id, pending.previous_realm, tokens))
            credential = self._exchange.store(pending.credential_id, realm_id, tokens, event)
            credential = self._exchange.name_company(credential, tokens.access_token)
        except (IntuitError, SignInProblem) as exc:
            return self._refuse(pending.credential_id, exc.cause, exc.next_step, exc.kind)
        except PendingExpired:
            return self._refuse(pending.credential_id, EXPIRED.cause, EXPIRED.next_step)
        except VaultUnavailable as exc:
            return self._refuse(pending.credential_id, str(exc), NextStep.NONE, Kind.SETUP)
        except Exception:  # never leave the user waiting on an answer that will not come
            log.exception("Finishing sign-in for %s failed unexpectedly", pending.credential_id)
            return self._refuse(
                pending.credential_id, "Something went wrong while finishing sign-in.", NextStep.SEE_LOG, Kind.OTHER
            )
        self.updated.emit(SignInUpdate(Phase.CONNECTED, credential.id, "Connected", credential=credential))
        return CallbackPage(
            ok=True,
            title="Connected to QuickBooks",
            message=f"The credential \u201c{credential.name}\u201d is connected to {credential.company_label}.",
        )

    def _hold_company_change(self, pending: PendingSignIn, held: HeldSignIn) -> CallbackPage:
        """A reconnect chose another company: keep the tokens aside until the user decides."""
        self._hold.hold(pending.credential_id, held)
        self.updated.emit(SignInUpdate(Phase.REALM_CHANGED, pending.credential_id, held.cause))
        return CallbackPage(
            ok=False, title="Confirm the company in qbdesk",
            message="You chose a different QuickBooks company than before. Return to qbdesk to confirm or undo it.",
        )

    def resolve_realm_change(self, credential_id: str, replace: bool) -> None:
        """The user's answer to a changed company: store the new tokens, or keep the old connection."""
        held = self._hold.release(credential_id)
        if held is None:
            return
        if not replace:
            credential = self._credentials.get(credential_id)
            if credential is not None:
                self._audit.record(credential, "reconnect_undone", f"kept company {credential.realm_id}")
            self.updated.emit(SignInUpdate(
                Phase.FAILED, credential_id, "Kept the previous company. The new sign-in was not stored.",
            ))
            return
        try:
            credential = self._exchange.store(
                credential_id, held.realm_id, held.tokens, "reconnected", replaced_realm=held.previous_realm
            )
        except VaultUnavailable as exc:
            self._refuse(credential_id, str(exc), NextStep.NONE, Kind.SETUP)
            return
        except SignInProblem as exc:
            self._refuse(credential_id, exc.cause, exc.next_step, exc.kind)
            return
        credential = self._exchange.name_company(credential, held.tokens.access_token)
        self.updated.emit(SignInUpdate(Phase.CONNECTED, credential.id, "Connected", credential=credential))

    def _refuse(
        self, credential_id: str | None, cause: str, next_step: NextStep, kind: Kind | None = None
    ) -> CallbackPage:
        log.info("Sign-in refused for %s", credential_id or "an unknown attempt")
        self.updated.emit(SignInUpdate(Phase.FAILED, credential_id, cause, next_step, kind=kind))
        return refusal_page(cause, next_step)

    # --- waiting and stopping -------------------------------------------------------------------

    def cancel(self, credential_id: str) -> None:
        """Stop waiting for a credential's sign-in."""
        self._drop(credential_id, CANCELLED)

    def _drop(self, credential_id: str, why: Retirement) -> None:
        self._pending.drop(credential_id, why)
        self._close_idle_listeners()

    def _on_removed(self, removal: CredentialRemoved) -> None:
        self._drop(removal.credential.id, EXPIRED if removal.expired else REMOVED)

    def _close_idle_listeners(self) -> None:
        self._capture.close_idle(self._pending.redirect_uris)

    def waiting_on(self, credential_id: str) -> bool:
        """True while a sign-in for this credential can still be completed."""
        return self._pending.waiting_on(credential_id)

    def listening(self) -> list[str]:
        """Redirect URIs with an open listener."""
        return self._capture.listening()

    @property
    def answer_delivered(self) -> Event[str]:
        """A browser that came back to a listener has its answer page (payload: the redirect URI)."""
        return self._capture.answer_delivered

    def wait_answers_delivered(self, timeout: float) -> bool:
        """Block until every browser that came back to a listener has its answer page, or timeout seconds pass."""
        return self._capture.wait_answers_delivered(timeout)

    def shutdown(self) -> None:
        """Close every listener (at exit)."""
        self._pending.clear()
        self._capture.shutdown()
