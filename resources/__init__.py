"""Icons, callback pages, the desktop entry and AppStream metainfo, installed as qbdesk.resources."""
