"""Icons, callback pages and the desktop entry, installed as qbdesk.resources."""
