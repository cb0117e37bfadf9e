"""qbdesk: create and keep QuickBooks Online integration credentials."""

__version__ = "0.1.0"
