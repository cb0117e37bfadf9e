"""How long qbdesk waits for Intuit, in one place; read at each call, so a test can shorten them all here."""

CALL_TIMEOUT_SECONDS = 30  # the token exchange, refresh, revocation and QuickBooks API calls
DISCOVERY_TIMEOUT_SECONDS = 15  # the discovery document: small, and fetched before a sign-in can start
