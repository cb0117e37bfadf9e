"""The one place Intuit's errors become a plain cause with a next step, for the window and the CLI alike."""

from __future__ import annotations

from qbdesk.core.problems import Kind, NextStep, Problem

__all__ = [
    "IntuitError", "Kind", "NextStep", "api_fault", "consent_refusal", "service_trouble", "throttled", "token_refusal",
]


class IntuitError(Problem):
    """Talking to Intuit failed; str(error) is safe to show and says what happened, next_step what to do."""

    def __init__(
        self, cause: str, code: str | None = None, kind: Kind = Kind.OTHER, next_step: NextStep = NextStep.TRY_LATER
    ) -> None:
        super().__init__(cause, next_step, kind)
        self.code = code
        self.retry_after: float | None = None  # seconds Intuit asked to wait before the next call (throttling)


def retry_step(refreshing: bool) -> NextStep:
    """After an answer that cannot be used: a refresh is retried later, a sign-in is started over."""
    return NextStep.TRY_LATER if refreshing else NextStep.SIGN_IN_AGAIN


def token_refusal(code: str, status: int | None, refreshing: bool) -> IntuitError:
    """Intuit's token endpoint said no (invalid_grant, invalid_client, 5xx, ...)."""
    if code == "invalid_grant" and refreshing:
        return IntuitError(
            "Intuit no longer accepts this credential (it was disconnected at Intuit, replaced by a newer "
            "sign-in, or unused for more than 100 days).",
            code,
            Kind.RECONNECT,
            NextStep.RECONNECT,
        )
    if code == "invalid_grant":
        return IntuitError(
            "Intuit did not accept the sign-in: the code was already used or has expired, or the Redirect URI "
            "in the settings does not exactly match the one registered for your app.",
            code,
            Kind.RECONNECT,
            NextStep.SIGN_IN_AGAIN,
        )
    if code in ("invalid_client", "unauthorized_client"):
        return IntuitError(
            "Intuit did not recognise this app's Client ID and Client Secret.", code, Kind.SETUP, NextStep.CHECK_SETUP
        )
    if status is not None and status >= 500:
        return service_trouble(code)
    what = "the refresh" if refreshing else "the sign-in"
    step = NextStep.RECONNECT if refreshing else NextStep.SIGN_IN_AGAIN
    return IntuitError(f"Intuit refused {what} ({code}).", code, next_step=step)


def service_trouble(code: str | None = None) -> IntuitError:
    return IntuitError("Intuit's service is having trouble right now.", code or "server_error", Kind.SERVICE)


THROTTLED = "throttled"
MAX_RETRY_AFTER_SECONDS = 120.0


def throttled(retry_after_header: str | None) -> IntuitError:
    """Intuit answered 429: too many calls for now. Retry-After (whole seconds, capped) says how long to wait."""
    error = IntuitError(
        "Intuit is limiting how many requests qbdesk may make right now (too many requests).",
        THROTTLED, Kind.SERVICE, NextStep.TRY_LATER,
    )
    text = (retry_after_header or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 6:
        error.retry_after = min(float(text), MAX_RETRY_AFTER_SECONDS)
    return error


def unreachable(timed_out: bool) -> IntuitError:
    """No answer from Intuit: a timeout, no network, or a refused connection."""
    if timed_out:
        return IntuitError("Intuit took too long to answer.", "timeout", Kind.OFFLINE, NextStep.CHECK_CONNECTION)
    return IntuitError("qbdesk could not reach Intuit.", "network", Kind.OFFLINE, NextStep.CHECK_CONNECTION)


def unreadable_answer() -> IntuitError:
    return IntuitError("Intuit sent an answer qbdesk does not understand.", "bad_answer")


def api_fault(status: int, fault_code: str | None) -> IntuitError:
    """A QuickBooks API call failed (fault 3200 authentication, 3100 authorization, ...)."""
    if status == 401 or fault_code == "3200":
        return IntuitError(
            "QuickBooks did not accept this credential's access (error 3200).",
            fault_code or "3200", Kind.RECONNECT, NextStep.RECONNECT,
        )
    if status == 403 or fault_code == "3100":
        return IntuitError(
            "QuickBooks refused access to this company (error 3100): the user who signed in may no longer be an "
            "administrator of it.",
            fault_code or "3100",
            Kind.RECONNECT,
            NextStep.RECONNECT,
        )
    if status >= 500:
        return service_trouble(fault_code)
    return IntuitError(f"QuickBooks answered with an error (HTTP {status}).", fault_code or str(status))


def consent_refusal(error: str, description: str | None) -> str:
    """What Intuit put in the redirect (access_denied and others), as a cause; the next step is to sign in again."""
    if error == "access_denied":
        text = "Access was not granted at Intuit (the consent page was cancelled or declined)."
    else:
        text = f"Intuit could not complete the sign-in ({error})."
    if description:
        text += f" Intuit said: \u201c{description.rstrip('.')}.\u201d"
    return text
