"""The credentials list as shown: each column's text, the search and filters, the sort order.

Search text and sort names are worked out once per credential, so narrowing or widening 10,000 rows is a
few list comprehensions, and the full list stays sorted between keystrokes.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from functools import partial
from operator import attrgetter

from qbdesk.core.credential import Credential
from qbdesk.core.destinations import Destination
from qbdesk.core.health import State, expiry_warning, state_of
from qbdesk.core.names import name_key

NO_VALUE = "\u2014"
EARLIEST, LATEST = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)


class Column(IntEnum):
    """The list's columns, in the order shown."""

    NAME = 0
    DESTINATION = 1
    COMPANY = 2
    STATUS = 3
    CREATED = 4


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def status_text(credential: Credential, now: datetime) -> str:
    """The Status column: the state in words, with a nudge when trouble is near."""
    state = state_of(credential, now)
    if state is State.INCOMPLETE and credential.pending_expires_at is not None:
        return f"Incomplete \u00b7 until {credential.pending_expires_at.astimezone().strftime('%H:%M')}"
    if state is State.CONNECTED and expiry_warning(credential, now):
        return "Connected \u00b7 reconnect soon"
    return state.value


def cell_text(credential: Credential, column: Column, now: datetime) -> str:
    """The text a column shows for a credential."""
    if column == Column.NAME:
        return credential.display_name
    if column == Column.DESTINATION:
        return credential.destination.label
    if column == Column.COMPANY:
        return credential.company_label or NO_VALUE
    if column == Column.STATUS:
        return status_text(credential, now)
    return local_time(credential.created_at)


def needle(typed: str) -> str:
    """A search box's text in the form search texts are kept in: trimmed, case and composition ignored."""
    return name_key(typed.strip())


class Entry:
    """One credential with what the list searches and sorts it by, worked out once."""

    __slots__ = ("credential", "search_text", "sort_name", "_state", "_state_since", "_state_until")

    def __init__(self, credential: Credential) -> None:
        self.credential = credential
        self.search_text = needle(f"{credential.name}\n{credential.realm_id or ''}\n{credential.company_name or ''}")
        self.sort_name = name_key(credential.display_name)
        self._state_since, self._state_until = LATEST, EARLIEST  # nothing known yet

    @property
    def tie(self) -> tuple[str, str]:
        """What decides between equal sort keys: the name, then the id."""
        return self.sort_name, self.credential.id

    def state(self, now: datetime) -> State:
        """The credential's state at `now`, worked out again only once `now` passes one of its expiry moments."""
        if not self._state_since <= now < self._state_until:
            moments = [m for m in (self.credential.refresh_token_expires_at, self.credential.hard_expires_at) if m]
            self._state = state_of(self.credential, now)
            self._state_since = max((m for m in moments if m <= now), default=EARLIEST)
            self._state_until = min((m for m in moments if m > now), default=LATEST)
        return self._state


@dataclass(frozen=True)
class Filter:
    """What the search box and the two filters let through; empty or None lets everything through."""

    needle: str = ""  # as needle() makes it
    state: State | None = None
    destination: Destination | None = None

    def select(self, entries: Iterable[Entry], now: datetime) -> list[Entry]:
        """The entries this filter lets through, in their order; the cheap tests run first."""
        rows = list(entries)
        if self.needle:
            rows = [entry for entry in rows if self.needle in entry.search_text]
        if self.destination is not None:
            rows = [entry for entry in rows if entry.credential.destination is self.destination]
        if self.state is not None:
            rows = [entry for entry in rows if entry.state(now) is self.state]
        return rows

    def passes(self, entry: Entry, now: datetime) -> bool:
        return bool(self.select((entry,), now))

    def within(self, wider: Filter) -> bool:
        """True when everything this filter lets through, `wider` lets through too."""
        return (
            wider.needle in self.needle
            and wider.state in (None, self.state)
            and wider.destination in (None, self.destination)
        )


class _Rank:
    """An entry's place in an order: the column's key first, then ties by name and id (both always ascending)."""

    __slots__ = ("key", "tie", "descending")

    def __init__(self, order: Order, now: datetime, entry: Entry) -> None:
        self.key, self.tie, self.descending = order.key(entry, now), entry.tie, order.descending

    def __lt__(self, other: _Rank) -> bool:
        if self.key != other.key:
            return self.key > other.key if self.descending else self.key < other.key
        return self.tie < other.tie


@dataclass(frozen=True)
class Order:
    """A sort order: one column, up or down; equal keys stay in name order, then id order."""

    column: Column = Column.CREATED
    descending: bool = True

    def key(self, entry: Entry, now: datetime) -> float | str:
        """What the column sorts by: the moment for Created, the text shown (case ignored) for the others."""
        if self.column == Column.CREATED:
            return entry.credential.created_at.timestamp()
        if self.column == Column.NAME:
            return entry.sort_name
        return cell_text(entry.credential, self.column, now).casefold()

    def arrange(self, entries: Iterable[Entry], now: datetime) -> list[Entry]:
        """The entries in this order: sorted by the ties, then stably by the column's key."""
        by_tie = sorted(entries, key=attrgetter("tie"))
        return sorted(by_tie, key=partial(self.key, now=now), reverse=self.descending)

    def position(self, rows: list[Entry], entry: Entry, now: datetime) -> int:
        """Where `entry` belongs in `rows`, which are in this order."""
        rank = partial(_Rank, self, now)
        return bisect_left(rows, rank(entry), key=rank)

    def fits(self, rows: list[Entry], row: int, entry: Entry, now: datetime) -> bool:
        """True when `entry` may take the place of rows[row] without breaking the order."""
        rank = partial(_Rank, self, now)
        own = rank(entry)
        return (row == 0 or not own < rank(rows[row - 1])) and (row + 1 == len(rows) or not rank(rows[row + 1]) < own)


@dataclass(frozen=True)
class Move:
    """One credential's row before and after a change (None: not shown), and the change itself, not yet made."""

    before: int | None
    after: int | None
    apply: Callable[[], None]


class Listing:
    """All credentials in the current order, and the rows the current filter shows.

    Changing the filter only filters: a narrower one filters the rows shown, a wider one the full list, which
    is kept in order. Adding or changing one credential puts it in its place (see Move).
    """

    def __init__(self, credentials: Iterable[Credential], now: Callable[[], datetime], order: Order = Order()) -> None:
        self._now = now
        self.order = order
        self.filter = Filter()
        self._all = order.arrange(map(Entry, credentials), now())
        self.rows = list(self._all)  # the entries shown, in order
        self._place_in_all: dict[str, int] | None = None
        self._row_of: dict[str, int] | None = None

    # --- reading --------------------------------------------------------------------------------

    def total(self) -> int:
        return len(self._all)

    def credentials(self) -> list[Credential]:
        """Every credential, shown or not, in the current order."""
        return [entry.credential for entry in self._all]

    def row_of(self, credential_id: str) -> int | None:
        """The row showing a credential, or None when it is filtered out or unknown."""
        if self._row_of is None:
            self._row_of = {entry.credential.id: row for row, entry in enumerate(self.rows)}
        return self._row_of.get(credential_id)

    def _index_in_all(self, credential_id: str) -> int | None:
        if self._place_in_all is None:
            self._place_in_all = {entry.credential.id: i for i, entry in enumerate(self._all)}
        return self._place_in_all.get(credential_id)

    # --- filtering and sorting ------------------------------------------------------------------

    def refilter(self, shown: Filter) -> None:
        """Show what `shown` lets through; from the rows shown when it only narrows the current filter.

        States change with time, so a state filter always looks at every credential.
        """
        source = self.rows if shown.state is None and shown.within(self.filter) else self._all
        self.filter = shown
        self.rows = shown.select(source, self._now())
        self._row_of = None

    def sort(self, order: Order) -> None:
        now = self._now()
        self.order = order
        self._all = order.arrange(self._all, now)
        self.rows = self.filter.select(self._all, now)
        self._place_in_all = self._row_of = None

    # --- one credential at a time ---------------------------------------------------------------

    def put(self, credential: Credential) -> Move:
        """Add a credential or replace the one with its id; a change of name or state may move or hide it."""
        now = self._now()
        entry = Entry(credential)
        shows = self.filter.passes(entry, now)
        index = self._index_in_all(credential.id)
        before = self.row_of(credential.id)
        if index is not None and (before is not None) == shows and self.order.fits(self._all, index, entry, now):
            return Move(before, before, partial(self._replace, index, before, entry))
        everything = list(self._all)
        rows = list(self.rows)
        if index is not None:
            del everything[index]
        if before is not None:
            del rows[before]
        everything.insert(self.order.position(everything, entry, now), entry)
        after = self.order.position(rows, entry, now) if shows else None
        if after is not None:
            rows.insert(after, entry)
        return Move(before, after, partial(self._adopt, everything, rows))

    def drop(self, credential_id: str) -> Move | None:
        """Remove a credential; None when there is none with this id."""
        index = self._index_in_all(credential_id)
        if index is None:
            return None
        before = self.row_of(credential_id)
        everything = self._all[:index] + self._all[index + 1:]
        rows = self.rows if before is None else self.rows[:before] + self.rows[before + 1:]
        return Move(before, None, partial(self._adopt, everything, rows))

    def _replace(self, index: int, row: int | None, entry: Entry) -> None:
        self._all[index] = entry
        if row is not None:
            self.rows[row] = entry

    def _adopt(self, everything: list[Entry], rows: list[Entry]) -> None:
        self._all, self.rows = everything, rows
        self._place_in_all = self._row_of = None
