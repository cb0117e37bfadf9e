"""Window figures at 10,000 credentials: opening the QuickBooks page, and one search keystroke.

    python bench/window_rows.py qbdesk|baseline --data-dir DIR [--rounds N] [--profile FILE]

One window per process, so the opening measured is the first one of the process, as for a user.
qbdesk: MainWindow on the data folder, shown on Integrations until the start-up keep-alive is done, then
the QuickBooks page is opened, reopened, and the search box typed into. baseline: the same steps on a
plain QTableView over a QStandardItemModel holding the same text (no Python in the data path).
Prints one `BENCH {json}` line with times in ms.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchlib import KeepAliveWatch, TokenVault, emit, ms, offscreen, process_events_until

offscreen()

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt  # noqa: E402
from PySide6.QtGui import QStandardItem, QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QStackedWidget, QTableView, QVBoxLayout, QWidget  # noqa: E402

QUERY = "Acme Sales 0"  # typed one character at a time, then erased one at a time
QUIET_SECONDS = 0.1


class PaintWatch(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def settle(seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    process_events_until(lambda: time.monotonic() > end, timeout=seconds + 1)


def time_until_painted(action, watch: PaintWatch, quiet: float = QUIET_SECONDS) -> float:
    """Seconds from calling action() until the events it posted are handled and `watch`'s widget repainted.

    The end is the later of: the first full pass over the posted events, and the last event-loop pass in
    which the watched widget painted (watched until it has been quiet for `quiet` seconds).
    """
    started = time.perf_counter()
    action()
    QApplication.processEvents()
    end = time.perf_counter()
    last = end
    while time.perf_counter() - last < quiet:
        before = watch.count
        QApplication.processEvents()
        if watch.count != before:
            end = last = time.perf_counter()
    return end - started


def keystrokes(line_edit: QLineEdit, watch: PaintWatch, rounds: int) -> list[float]:
    """Type QUERY and erase it again, `rounds` times; seconds per keystroke until the table repainted."""
    times = []
    for _ in range(rounds):
        texts = [QUERY[:i] for i in range(1, len(QUERY) + 1)] + [QUERY[:i] for i in range(len(QUERY) - 1, -1, -1)]
        for text in texts:
            times.append(time_until_painted(lambda t=text: line_edit.setText(t), watch))
    return times


# --- the baseline: plain Qt, the same rows ----------------------------------------------------------


class BareList(QWidget):
    """A search box over a sorted QSortFilterProxyModel on a QStandardItemModel, in a stack behind a label."""

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.resize(1100, 680)
        self.model = QStandardItemModel(0, 5, self)
        for row in rows:
            items = [QStandardItem(text) for text in row[:5]]
            items[0].setData(row[5], Qt.ItemDataRole.UserRole)
            self.model.appendRow(items)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(Qt.ItemDataRole.UserRole)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search = QLineEdit()
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        self.page = QWidget()
        page_layout = QVBoxLayout(self.page)
        page_layout.addWidget(self.search)
        page_layout.addWidget(self.table)
        self.stack = QStackedWidget()
        self.stack.addWidget(QLabel("Integrations"))
        self.stack.addWidget(self.page)
        QVBoxLayout(self).addWidget(self.stack)


def baseline_rows(context) -> list[tuple[str, ...]]:
    """The table's text row by row, with the text the search box looks in (name, realm id, company) last."""
    from qbdesk.ui.credential_model import COLUMNS, CREDENTIAL_ROLE, CredentialTableModel

    model = CredentialTableModel(context.credentials.list(), context.clock.now)
    rows = []
    for row in range(model.rowCount()):
        texts = [model.index(row, column).data() or "" for column in range(len(COLUMNS))]
        credential = model.index(row, 0).data(CREDENTIAL_ROLE)
        rows.append((*texts, f"{credential.name}\n{credential.realm_id or ''}\n{credential.company_name or ''}"))
    return rows


def measure_baseline(context, rounds: int) -> dict:
    bare = BareList(baseline_rows(context))
    bare.show()
    settle()
    watch = PaintWatch(bare.table.viewport())
    opening = time_until_painted(lambda: bare.stack.setCurrentIndex(1), watch)
    settle(0.1)
    bare.stack.setCurrentIndex(0)
    settle(0.1)
    again = time_until_painted(lambda: bare.stack.setCurrentIndex(1), watch)
    settle(0.1)
    strokes = keystrokes(bare.search, watch, rounds)
    return {"open": opening, "open_again": again, "keystrokes": strokes}


def measure_qbdesk(context, rounds: int, profile) -> dict:
    from qbdesk.ui.main_window import MainWindow

    keep_alive = KeepAliveWatch(context)
    started = time.perf_counter()
    window = MainWindow.opened(context)
    built = time.perf_counter() - started
    window.show()
    keep_alive.wait()
    page = window.quickbooks_page
    watch = PaintWatch(page.table.viewport())
    if profile is not None:
        profile.enable()
    opening = time_until_painted(window.show_quickbooks, watch)
    if profile is not None:
        profile.disable()
    settle(0.1)
    window.show_integrations()
    settle(0.1)
    again = time_until_painted(window.show_quickbooks, watch)
    settle(0.1)
    page.search.setFocus()
    if profile is not None:
        profile.enable()
    strokes = keystrokes(page.search, watch, rounds)
    if profile is not None:
        profile.disable()
    window.close()
    return {"build": ms(built), "open": opening, "open_again": again, "keystrokes": strokes}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=("qbdesk", "baseline"))
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--rounds", type=int, default=1, help="times the query is typed and erased")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the opening and the typing here")
    args = parser.parse_args(argv)

    from qbdesk.services.context import AppContext
    from qbdesk.ui.style import apply_style

    app = QApplication(["bench"])
    apply_style(app)
    context = AppContext.open(args.data_dir, {}, vault=TokenVault())
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile()
    try:
        if args.which == "baseline":
            result = measure_baseline(context, args.rounds)
        else:
            result = measure_qbdesk(context, args.rounds, profile)
    finally:
        context.close()
    if profile is not None:
        profile.dump_stats(str(args.profile))
    result["open"], result["open_again"] = ms(result["open"]), ms(result["open_again"])
    result["keystrokes"] = [ms(value) for value in result["keystrokes"]]
    emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
