"""qbdesk: create and keep QuickBooks Online integration credentials."""

__version__ = "0.1.0"

# The reverse-DNS application id: the desktop file's and AppStream's name, the Wayland app id, the X11 window
# class, the macOS bundle id. Files under resources/ and packaging/ carry it in their names.
APP_ID = "org.qbdesk.qbdesk"
