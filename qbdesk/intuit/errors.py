"""The one place Intuit's errors become plain words with a next step, for the window and the CLI alike."""

from __future__ import annotations

from enum import Enum

GO_AGAIN = "Press \u201cGo to QuickBooks\u201d to sign in again."
RECONNECT = "Reconnect the credential to sign in at Intuit again."


class Kind(str, Enum):
    """What kind of trouble, so callers can react (mark for reconnect, retry later, fix settings)."""

    RECONNECT = "reconnect"  # Intuit refuses this credential's tokens: only a new sign-in helps
    OFFLINE = "offline"  # Intuit could not be reached; nothing is known about the credential
    SETUP = "setup"  # the app's keys or addresses in Settings are wrong
    SERVICE = "service"  # Intuit is having trouble; try later
    OTHER = "other"


class IntuitError(Exception):
    """Talking to Intuit failed; str(error) is safe to show and says what to do next."""

    def __init__(self, message: str, code: str | None = None, kind: Kind = Kind.OTHER) -> None:
        super().__init__(message)
        self.code = code
        self.kind = kind


def token_refusal(code: str, status: int | None, refreshing: bool) -> IntuitError:
    """Intuit's token endpoint said no (invalid_grant, invalid_client, 5xx, ...)."""
    if code == "invalid_grant" and refreshing:
        return IntuitError(
            "Intuit no longer accepts this credential (it was disconnected at Intuit, replaced by a newer "
            f"sign-in, or unused for more than 100 days). {RECONNECT}",
            code,
            Kind.RECONNECT,
        )
    if code == "invalid_grant":
        return IntuitError(
            "Intuit did not accept the sign-in: the code was already used or has expired, or the Redirect URI "
            f"in Settings does not exactly match the one registered for your app. {GO_AGAIN}",
            code,
            Kind.RECONNECT,
        )
    if code in ("invalid_client", "unauthorized_client"):
        return IntuitError(
            "Intuit did not recognise this app's Client ID and Client Secret. Check them in Settings.", code, Kind.SETUP
        )
    if status is not None and status >= 500:
        return service_trouble(code)
    what = "the refresh" if refreshing else "the sign-in"
    return IntuitError(f"Intuit refused {what} ({code}). {RECONNECT if refreshing else GO_AGAIN}", code)


def service_trouble(code: str | None = None) -> IntuitError:
    return IntuitError(
        "Intuit's service is having trouble right now. Try again in a few minutes.", code or "server_error", Kind.SERVICE
    )


def unreachable(timed_out: bool) -> IntuitError:
    """No answer from Intuit: a timeout, no network, or a refused connection."""
    if timed_out:
        return IntuitError("Intuit took too long to answer. Check your connection and try again.", "timeout", Kind.OFFLINE)
    return IntuitError(
        "qbdesk could not reach Intuit. Check your internet connection and try again.", "network", Kind.OFFLINE
    )


def unreadable_answer() -> IntuitError:
    return IntuitError("Intuit sent an answer qbdesk does not understand. Try again in a few minutes.", "bad_answer")


def api_fault(status: int, fault_code: str | None) -> IntuitError:
    """A QuickBooks API call failed (fault 3200 authentication, 3100 authorization, ...)."""
    if status == 401 or fault_code == "3200":
        return IntuitError(
            f"QuickBooks did not accept this credential's access (error 3200). {RECONNECT}", fault_code or "3200", Kind.RECONNECT
        )
    if status == 403 or fault_code == "3100":
        return IntuitError(
            "QuickBooks refused access to this company (error 3100): the user who signed in may no longer be an "
            f"administrator of it. {RECONNECT}",
            fault_code or "3100",
            Kind.RECONNECT,
        )
    if status >= 500:
        return service_trouble(fault_code)
    return IntuitError(f"QuickBooks answered with an error (HTTP {status}). Try again later.", fault_code or str(status))


def consent_refusal(error: str, description: str | None) -> str:
    """A sentence for an error Intuit put in the redirect (access_denied and others), with what to do next."""
    if error == "access_denied":
        text = "Access was not granted at Intuit (the consent page was cancelled or declined)."
    else:
        text = f"Intuit could not complete the sign-in ({error})."
    if description:
        text += f" Intuit said: \u201c{description.rstrip('.')}.\u201d"
    return f"{text} {GO_AGAIN}"
