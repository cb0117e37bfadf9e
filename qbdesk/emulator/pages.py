"""HTML pages of the emulator: consent, error and index; every echoed value is escaped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from .companies import DemoCompany
from .config import SANDBOX

BRAND = "qbdesk Intuit emulator"

SCOPE_LABELS = {
    "com.intuit.quickbooks.accounting": "Read and write your QuickBooks accounting data",
    "com.intuit.quickbooks.payment": "Process payments for your QuickBooks company",
    "openid": "Confirm who you are",
    "profile": "See your name",
    "email": "See your email address",
    "phone": "See your phone number",
    "address": "See your address",
}

STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; background: #f4f5f8; color: #1d1f24; }
header { background: #2c3e50; color: #fff; padding: .8rem 1.5rem; }
header strong { font-size: 1.1rem; }
header span { display: block; font-size: .85rem; opacity: .85; }
main { max-width: 34rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem;
       border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { font-size: 1.35rem; margin-top: 0; }
.env { display: inline-block; padding: .1rem .5rem; border-radius: 4px; background: #e8f0fe; font-size: .85rem; }
.env.sandbox { background: #fff4d6; }
fieldset { border: 1px solid #c8ccd4; border-radius: 6px; margin: 1rem 0; }
label { display: block; padding: .35rem 0; cursor: pointer; }
code { word-break: break-all; }
.actions { display: flex; gap: .75rem; justify-content: flex-end; margin-top: 1.25rem; }
button { font-size: 1rem; padding: .55rem 1.4rem; border-radius: 6px; border: 1px solid #2c7a3f; cursor: pointer; }
button.connect { background: #2c7a3f; color: #fff; }
button.cancel { background: #fff; color: #1d1f24; border-color: #8a8f99; }
button:focus-visible, input:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
.error { border-left: 4px solid #b3261e; padding-left: 1rem; }
"""


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · {BRAND}</title><style>{STYLE}</style></head><body>"
        f"<header><strong>{BRAND}</strong>"
        "<span>A local test stand-in. This is not Intuit and no real QuickBooks data is shared.</span></header>"
        f"<main>{body}</main></body></html>\n"
    )


def _hidden(name: str, value: str | None) -> str:
    if value is None:
        return ""
    return f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'


def consent_page(
    *,
    action: str,
    client_id: str,
    environment: str,
    scopes: Sequence[str],
    companies: Iterable[DemoCompany],
    carried_fields: Iterable[tuple[str, str | None]],
) -> str:
    """The page where the user picks a company and connects or cancels."""
    env_class = "env sandbox" if environment == SANDBOX else "env"
    permissions = "".join(f"<li>{escape(SCOPE_LABELS.get(scope, scope))}</li>" for scope in scopes)
    choices = []
    for index, company in enumerate(companies):
        checked = " checked" if index == 0 else ""
        choices.append(
            f'<label><input type="radio" name="company" value="{escape(company.realm_id)}"{checked}> '
            f"{escape(company.name)}</label>"
        )
    company_block = f"<fieldset><legend>Choose a company</legend>{''.join(choices)}</fieldset>" if choices else ""
    hidden = "".join(_hidden(name, value) for name, value in carried_fields)
    body = (
        f"<h1>Connect <code>{escape(client_id)}</code> to QuickBooks</h1>"
        f'<p><span class="{env_class}">{escape(environment.capitalize())} keys</span></p>'
        f"<p>This app is asking to:</p><ul>{permissions}</ul>"
        f'<form method="post" action="{escape(action)}">{hidden}{company_block}'
        '<div class="actions">'
        # Connect comes first so pressing Enter in the form connects.
        '<button type="submit" name="decision" value="connect" class="connect" autofocus>Connect</button>'
        '<button type="submit" name="decision" value="cancel" class="cancel">Cancel</button>'
        "</div></form>"
    )
    return _page("Connect an app", body)


def error_page(message: str, detail: str = "") -> str:
    """A dead-end page for requests that must not be redirected back to the app."""
    extra = f"<p>{escape(detail)}</p>" if detail else ""
    body = (
        f'<div class="error" role="alert"><h1>We could not connect this app</h1><p>{escape(message)}</p>{extra}</div>'
    )
    return _page("Error", body)


def index_page(links: Iterable[tuple[str, str]]) -> str:
    """A short landing page listing the discovery documents."""
    items = "".join(f'<li><a href="{escape(url)}">{escape(label)}</a></li>' for label, url in links)
    body = f"<h1>The emulator is running</h1><ul>{items}</ul>"
    return _page("Running", body)
