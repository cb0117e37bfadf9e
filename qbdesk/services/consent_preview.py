"""The address of Intuit's consent page for a destination's app, without starting a sign-in (the self-test)."""

from __future__ import annotations

import base64

from qbdesk.callback.pages import CallbackPage, render
from qbdesk.core.destinations import Destination
from qbdesk.services.context import AppContext


def consent_address(context: AppContext, destination: Destination) -> tuple[str, str]:
    """(consent page address, Redirect URI) for this destination's app. Nothing is stored and no credential
    is made: the address's one-time state is thrown away. Blocks on the network (discovery document)."""
    app, _, attempt = context.signin.authorize(destination)
    return attempt.url, app.redirect_uri


def own_page_address() -> str:
    """qbdesk's own sign-in result page as a data: address, for a self-test on a machine without Intuit keys."""
    page = CallbackPage(ok=True, title="qbdesk self-test", message="The sign-in window works on this computer.")
    return "data:text/html;base64," + base64.b64encode(render(page)).decode("ascii")
