"""The frozen app's entry script: the same as `python -m qbdesk` (packaging/qbdesk.spec builds from it)."""

from qbdesk.app import run

if __name__ == "__main__":
    run()
