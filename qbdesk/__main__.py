"""`python -m qbdesk`."""

from qbdesk.app import run

run()
