"""A grant whose scope changed is kept when it still covers QuickBooks accounting."""

from qbdesk.intuit.oauth import _token_with_changed_scope


def test_a_grant_with_a_wider_scope_that_keeps_accounting_is_accepted():
    changed = Warning("Scope has changed")
    changed.token = {"access_token": "a", "refresh_token": "r", "token_type": "bearer", "expires_in": 3600}
    changed.new_scope = ["com.intuit.quickbooks.accounting", "openid"]
    assert _token_with_changed_scope(changed)["access_token"] == "a"
