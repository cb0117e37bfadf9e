"""Test all in the window: a button and shortcut, a progress bar while the checks run, a summary by state at the end."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QWidget

from qbdesk.core.health import State
from qbdesk.services.checkup import CheckAll, CheckResult, CheckSummary
from qbdesk.services.context import AppContext
from qbdesk.ui.widgets import Panel, button, label

STOP_WAIT_SECONDS = 15.0  # at most this long for the calls under way when the window closes mid-run
SHOW_EVERY_MS = 100  # progress is shown ten times a second, not once per credential: a repaint each costs time


def _tr(text: str) -> str:
    return QCoreApplication.translate("CheckAllPanel", text)


def state_words(state: State) -> str:
    """A state as the list shows it."""
    return {
        State.CONNECTED: _tr("Connected"),
        State.INCOMPLETE: _tr("Incomplete"),
        State.NEEDS_RECONNECT: _tr("Needs reconnect"),
        State.OFFLINE: _tr("Offline-unknown"),
    }[state]


def summary_text(summary: CheckSummary) -> str:
    """The end of a run in one sentence: how many in each state, and how many need attention."""
    counts = ", ".join(f"{count} {state_words(state)}" for state, count in summary.by_state().items() if count)
    checked = len(summary.results)
    if summary.cancelled:
        head = _tr("Stopped after {done} of {total} credentials").format(done=checked, total=summary.total)
    else:
        head = (_tr("Tested 1 credential") if checked == 1 else _tr("Tested {count} credentials").format(count=checked))
    text = f"{head}: {counts or _tr('none')}."
    failed = len(summary.failed)
    if failed == 1:
        text += " " + _tr("1 needs attention: filter the list by state to find it.")
    elif failed:
        text += " " + _tr("{count} need attention: filter the list by state to find them.").format(count=failed)
    if summary.throttled_calls == 1:
        text += " " + _tr("Intuit asked qbdesk to slow down once.")
    elif summary.throttled_calls:
        text += " " + _tr("Intuit asked qbdesk to slow down {count} times.").format(count=summary.throttled_calls)
    return text


class CheckAllPanel(Panel):
    """Runs Test all off the GUI thread and shows how far it got; Cancel starts no more checks."""

    counted = Signal(int)  # how many credentials the run will test (emitted on a worker thread, queued here)
    progressed = Signal()  # a check ended and none was waiting to be shown (likewise; the newest waits in _newest)
    finished = Signal(object)  # CheckSummary

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("info", parent)
        self._context = context
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._cancelled_by_key = False
        self.last_summary: CheckSummary | None = None
        self.status = label()
        self.status.setAccessibleName(_tr("Test all progress"))
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_tr("Credentials tested"))
        self.progress.setTextVisible(True)
        self.progress.setFormat(_tr("%v of %m"))
        self.cancel_button = button(_tr("Canc&el"))
        self.cancel_button.setToolTip(_tr("Let the tests under way finish and start no more"))
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = button(_tr("Cl&ose"))
        self.close_button.clicked.connect(self.hide)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.close_button)
        self.body.addWidget(self.status)
        self.body.addLayout(row)
        self.start_button = button(_tr("Test a&ll"))
        self.start_button.setToolTip(_tr("Test every credential with Intuit, a few at a time (Ctrl+Shift+T)"))
        self.start_button.clicked.connect(self.start)
        self.action = QAction(_tr("Test a&ll"), self)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self.start)
        self._latest: tuple[CheckResult, int, int] | None = None
        # The newest result from the workers, kept until the GUI thread takes it: a burst of results wakes the
        # GUI thread once, not once per credential (each wake-up waits for the interpreter the workers hold).
        self._newest_lock = threading.Lock()
        self._newest: tuple[CheckResult, int, int] | None = None
        self._show_timer = QTimer(self)
        self._show_timer.setInterval(SHOW_EVERY_MS)
        self._show_timer.timeout.connect(self._show_progress)
        self.counted.connect(self._show_count)
        self.progressed.connect(self._note_progress)
        self.finished.connect(self._show_summary)
        self.hide()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Test every credential; a second press while running does nothing."""
        if self.running:
            return
        self._cancel = threading.Event()
        self._cancelled_by_key = False
        self.last_summary = None
        self._newest = None  # no worker is running yet
        self.progress.setRange(0, 0)  # busy until the run has read the list (not on this thread: it can be long)
        self.status.setText(_tr("Testing your credentials with Intuit\u2026"))
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.close_button.hide()
        self.start_button.setEnabled(False)
        self.action.setEnabled(False)
        self.show()
        checker = CheckAll(self._context.tokens, self._context.credentials, self._context.clock)
        cancel = self._cancel
        self._thread = threading.Thread(
            target=lambda: self._emit(self.finished, checker.run(self._report, cancel, self._count)),
            name="qbdesk-test-all",
            daemon=True,
        )
        self._thread.start()
        self.cancel_button.setFocus()

    def _count(self, total: int) -> None:
        self._emit(self.counted, total)

    def _show_count(self, total: int) -> None:
        if self.last_summary is None:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(0)
            self.status.setText(_tr("Testing {total} credentials with Intuit\u2026").format(total=total))

    def _report(self, result: CheckResult, done: int, total: int) -> None:
        with self._newest_lock:
            waiting = self._newest is not None
            if not waiting or done > self._newest[1]:
                self._newest = (result, done, total)
        if not waiting:
            self._emit(self.progressed)

    @staticmethod
    def _emit(signal, *values) -> None:
        try:
            signal.emit(*values)
        except RuntimeError:  # the window closed while the checks ran
            pass

    def _note_progress(self) -> None:
        with self._newest_lock:
            newest, self._newest = self._newest, None
        if newest is None:
            return
        self._latest = newest
        if not self._show_timer.isActive():
            self._show_progress()  # the first at once; later ones at most every SHOW_EVERY_MS
            self._show_timer.start()

    def _show_progress(self) -> None:
        if self._latest is None:
            self._show_timer.stop()
            return
        (result, done, total), self._latest = self._latest, None
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        if not self._cancel.is_set():
            self.status.setText(_tr("Tested {done} of {total}. Last: \u201c{name}\u201d, {state}.").format(
                done=done, total=total, name=result.name, state=state_words(result.state)))

    def _show_summary(self, summary: CheckSummary) -> None:
        self.progress.setRange(0, max(summary.total, 1))
        self._show_timer.stop()
        self._latest = None
        with self._newest_lock:
            self._newest = None
        self.last_summary = summary
        self.progress.setValue(len(summary.results))
        self.status.setText(summary_text(summary))
        self.set_role("warning" if summary.failed or summary.cancelled else "success")
        # Back to the panel only when the keyboard was on Cancel; else the user is elsewhere (typing a search).
        focus_here = self.cancel_button.hasFocus() or self._cancelled_by_key
        self.cancel_button.hide()
        self.close_button.show()
        if focus_here:
            self.close_button.setFocus()
        self.start_button.setEnabled(True)
        self.action.setEnabled(True)

    def cancel(self) -> None:
        """Start no more checks; those under way finish and the summary says where it stopped."""
        if self.running:
            self._cancel.set()
            self._cancelled_by_key = self.cancel_button.hasFocus()  # disabling it sends the focus elsewhere
            self.cancel_button.setEnabled(False)
            self.status.setText(_tr("Stopping after the tests under way\u2026"))

    def stop(self) -> None:
        """Cancel and wait briefly for the calls under way (the window is closing)."""
        self._cancel.set()
        if self._thread is not None:
            self._thread.join(STOP_WAIT_SECONDS)

    def hide(self) -> None:
        super().hide()
        self.set_role("info")
