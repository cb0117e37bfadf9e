"""The credentials list's search, filters and sort orders, without Qt."""

from dataclasses import replace
from datetime import timedelta
from functools import cmp_to_key

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbdesk.core.clock import FakeClock
from qbdesk.core.credential import Credential, Health, Status
from qbdesk.core.destinations import Destination
from qbdesk.core.health import State, state_of
from qbdesk.core.listing import Column, Entry, Filter, Listing, Order, cell_text, needle, status_text
from qbdesk.core.names import name_key


def listed(credentials, now, shown: Filter = Filter(), order: Order = Order()) -> list[Credential]:
    """The whole list worked out from scratch: what a Listing kept up to date must always equal."""
    return [entry.credential for entry in shown.select(order.arrange(map(Entry, credentials), now), now)]


NOW = FakeClock().now()
SANDBOX, PRODUCTION = Destination.SANDBOX, Destination.PRODUCTION


def credential(name, created_days_ago=1, destination=SANDBOX, **fields):
    """A connected, healthy credential whose tokens last long past NOW unless `fields` say otherwise."""
    values = {
        "id": f"id-{name}",
        "status": Status.CONNECTED,
        "realm_id": None,
        "refresh_token_expires_at": NOW + timedelta(days=100),
        "hard_expires_at": NOW + timedelta(days=1800),
    } | fields
    return Credential(name=name, destination=destination, created_at=NOW - timedelta(days=created_days_ago), **values)


ACME = credential("Acme Books", 3, realm_id="9130001", company_name="Acme Holdings LLC")
BLUE = credential("Blue Heron", 2, PRODUCTION, realm_id="4620815", company_name="Heron Trading")
NORTH = credential("Northwind", 1, PRODUCTION, status=Status.PENDING, pending_expires_at=NOW + timedelta(minutes=9))
STRASSE = credential("Straße Café", 4, realm_id="5550001", company_name="Ünïcode GmbH", health=Health.OFFLINE)
EVERYONE = [ACME, BLUE, NORTH, STRASSE]


def names(credentials):
    return [c.name for c in credentials]


def found(typed, credentials=EVERYONE, **filters):
    return set(names(listed(credentials, NOW, Filter(needle(typed), **filters))))


# --- search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("heron", {"Blue Heron"}),  # name and company
        ("holdings", {"Acme Books"}),  # company only
        ("0815", {"Blue Heron"}),  # realm id
        ("", {"Acme Books", "Blue Heron", "Northwind", "Straße Café"}),
        ("ACME BOOKS", {"Acme Books"}),
        ("  acme  ", {"Acme Books"}),  # the needle is trimmed
        ("   ", {"Acme Books", "Blue Heron", "Northwind", "Straße Café"}),
        ("STRASSE", {"Straße Café"}),  # ß folds to ss
        ("CAFE\u0301", {"Straße Café"}),  # a decomposed é finds a composed one
        ("ÜNÏ", {"Straße Café"}),
        ("incomplete", set()),  # the "(Incomplete)" suffix is not part of the name
        ("books\nacme", set()),
        ("zzz", set()),
    ],
)
def test_search_looks_in_names_companies_and_realm_ids_ignoring_case(typed, expected):
    assert found(typed) == expected


def test_state_and_destination_filters_combine_with_the_search():
    assert found("", state=State.CONNECTED) == {"Acme Books", "Blue Heron"}
    assert found("", destination=PRODUCTION) == {"Blue Heron", "Northwind"}
    assert found("", state=State.CONNECTED, destination=PRODUCTION) == {"Blue Heron"}
    assert found("acme", state=State.CONNECTED, destination=PRODUCTION) == set()
    assert found("n", state=State.INCOMPLETE) == {"Northwind"}
    assert found("", state=State.OFFLINE, destination=SANDBOX) == {"Straße Café"}


def test_the_state_filter_reads_the_state_at_the_time_it_runs():
    expiring = credential("Expiring", refresh_token_expires_at=NOW + timedelta(hours=1))
    clock = FakeClock(NOW)
    listing = Listing([expiring, ACME], clock.now)
    listing.refilter(Filter(state=State.NEEDS_RECONNECT))
    assert listing.rows == []
    clock.advance(3600)
    listing.refilter(Filter(needle="e", state=State.NEEDS_RECONNECT))  # narrower, yet the state has changed
    assert [entry.credential for entry in listing.rows] == [expiring]


def test_an_entrys_state_follows_time_across_expiry_moments_both_ways():
    entry = Entry(credential("Acme", refresh_token_expires_at=NOW + timedelta(days=1)))
    assert entry.state(NOW) is State.CONNECTED
    assert entry.state(NOW + timedelta(days=1)) is State.NEEDS_RECONNECT
    assert entry.state(NOW + timedelta(days=3000)) is State.NEEDS_RECONNECT
    assert entry.state(NOW) is State.CONNECTED


def test_a_filter_knows_when_another_lets_through_at_least_as_much():
    narrow = Filter("acme b", State.CONNECTED, SANDBOX)
    assert narrow.within(Filter("acme"))
    assert narrow.within(Filter("me b", State.CONNECTED))
    assert not narrow.within(Filter("books"))
    assert not narrow.within(Filter("", State.OFFLINE))
    assert not narrow.within(Filter("", None, PRODUCTION))
    assert not Filter("acme").within(narrow)


# --- sort orders ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "ascending", "descending"),
    [
        (Column.NAME, ["Acme Books", "Blue Heron", "Northwind", "Straße Café"],
         ["Straße Café", "Northwind", "Blue Heron", "Acme Books"]),
        # Equal keys stay in name order both ways: "QuickBooks" before "QuickBooks (Sandbox Mode)", and back.
        (Column.DESTINATION, ["Blue Heron", "Northwind", "Acme Books", "Straße Café"],
         ["Acme Books", "Straße Café", "Blue Heron", "Northwind"]),
        # Company names as shown, each with its realm id; none ("\u2014") sorts after the letters.
        (Column.COMPANY, ["Acme Books", "Blue Heron", "Straße Café", "Northwind"],
         ["Northwind", "Straße Café", "Blue Heron", "Acme Books"]),
        # Connected, Connected, Incomplete · until 09:09, Offline-unknown.
        (Column.STATUS, ["Acme Books", "Blue Heron", "Northwind", "Straße Café"],
         ["Straße Café", "Northwind", "Acme Books", "Blue Heron"]),
        (Column.CREATED, ["Straße Café", "Acme Books", "Blue Heron", "Northwind"],
         ["Northwind", "Blue Heron", "Acme Books", "Straße Café"]),
    ],
)
def test_each_column_sorts_both_ways(column, ascending, descending):
    assert names(listed(EVERYONE, NOW, order=Order(column, descending=False))) == ascending
    assert names(listed(EVERYONE, NOW, order=Order(column, descending=True))) == descending


def test_ties_fall_back_to_the_name_then_the_id_in_either_direction():
    same_time = [
        credential("Delta", 5, id="b"),
        credential("alpha", 5, id="z"),
        credential("Alpha", 5, id="a", destination=PRODUCTION),
        credential("Charlie", 5, id="c"),
    ]
    expected = ["a", "z", "c", "b"]
    for descending in (False, True):
        assert [c.id for c in listed(same_time, NOW, order=Order(Column.CREATED, descending))] == expected
        assert [c.id for c in listed(reversed(same_time), NOW, order=Order(Column.STATUS, descending))] == expected


def test_the_name_column_sorts_the_name_as_shown_ignoring_case():
    pending = credential("acme", status=Status.PENDING)
    plain = credential("ACME", id="other")
    assert names(listed([pending, plain], NOW, order=Order(Column.NAME, False))) == ["ACME", "acme"]


def test_status_sorts_by_the_text_shown_at_the_time():
    soon = credential("Soon", refresh_token_expires_at=NOW + timedelta(days=20))
    steady = credential("Steady", refresh_token_expires_at=NOW + timedelta(days=40))
    by_status = Order(Column.STATUS, descending=False)
    assert [status_text(c, NOW) for c in (soon, steady)] == ["Connected", "Connected"]
    assert names(listed([steady, soon], NOW, order=by_status)) == ["Soon", "Steady"]  # tie: name order
    later = NOW + timedelta(days=10)
    assert status_text(soon, later) == "Connected \u00b7 reconnect soon"
    assert names(listed([soon, steady], later, order=by_status)) == ["Steady", "Soon"]
    much_later = NOW + timedelta(days=30)
    assert status_text(soon, much_later) == "Needs reconnect"
    assert names(listed([soon, steady], much_later, order=by_status)) == ["Steady", "Soon"]


# --- the listing over time ------------------------------------------------------------------------


def shown(listing):
    return [entry.credential.name for entry in listing.rows]


def test_narrowing_and_widening_keep_the_sort_order():
    listing = Listing(EVERYONE, lambda: NOW, Order(Column.NAME, descending=True))
    everything = shown(listing)
    assert everything == ["Straße Café", "Northwind", "Blue Heron", "Acme Books"]
    for typed in ("e", "er", "ero"):
        listing.refilter(replace(listing.filter, needle=needle(typed)))
    assert shown(listing) == ["Blue Heron"]
    listing.refilter(replace(listing.filter, needle=needle("r")))
    assert shown(listing) == ["Straße Café", "Northwind", "Blue Heron"]
    listing.refilter(Filter())
    assert shown(listing) == everything
    assert listing.row_of(BLUE.id) == 2 and listing.row_of("nobody") is None


def test_a_change_puts_the_credential_in_its_place_and_says_where_it_was_and_goes():
    zebra = credential("Zebra")
    listing = Listing([ACME, BLUE, NORTH, zebra], lambda: NOW, Order(Column.NAME, descending=False))
    listing.refilter(Filter(needle("o")))
    assert shown(listing) == ["Acme Books", "Blue Heron", "Northwind"]

    renamed = listing.put(replace(ACME, name="Zoo Books"))
    assert (renamed.before, renamed.after) == (0, 2)
    assert shown(listing) == ["Acme Books", "Blue Heron", "Northwind"]  # nothing changes until it is applied
    renamed.apply()
    assert shown(listing) == ["Blue Heron", "Northwind", "Zoo Books"]

    hidden = listing.put(replace(BLUE, name="Blue Bird", company_name=None))
    assert (hidden.before, hidden.after) == (0, None)
    hidden.apply()
    appears = listing.put(replace(zebra, name="Osprey"))
    assert (appears.before, appears.after) == (None, 1)
    appears.apply()
    unseen = listing.put(credential("Unseen"))
    assert (unseen.before, unseen.after) == (None, None)
    unseen.apply()
    in_place = listing.put(replace(NORTH, company_name="North Co"))
    assert (in_place.before, in_place.after) == (0, 0)
    in_place.apply()
    assert shown(listing) == ["Northwind", "Osprey", "Zoo Books"]
    assert listing.rows[0].credential.company_name == "North Co"

    gone = listing.drop(ACME.id)
    assert (gone.before, gone.after) == (2, None)
    gone.apply()
    assert listing.drop(ACME.id) is None
    assert listing.total() == 4
    assert names(listing.credentials()) == ["Blue Bird", "Northwind", "Osprey", "Unseen"]
    listing.refilter(Filter())
    assert shown(listing) == ["Blue Bird", "Northwind", "Osprey", "Unseen"]


# --- any sequence of changes ends where a fresh listing would ---------------------------------------

NAMES = st.sampled_from(["Acme", "acme co", "Blue", "Ölkännchen", "Zeta", "Straße", "Heron"])
CREDENTIALS = st.builds(
    lambda n, name, days, destination, status, health: credential(
        name, days, destination, id=f"id{n}", status=status, health=health, realm_id=f"9130{n}",
        pending_expires_at=NOW + timedelta(minutes=days) if status is Status.PENDING else None,
    ),
    st.integers(0, 6), NAMES, st.integers(0, 3), st.sampled_from(Destination), st.sampled_from(Status),
    st.sampled_from(Health),
)
FILTERS = st.builds(
    Filter, st.sampled_from(["", "a", "ac", "acme", "e", "9130", "strasse", "öl"]),
    st.none() | st.sampled_from(State), st.none() | st.sampled_from(Destination),
)
ORDERS = st.builds(Order, st.sampled_from(Column), st.booleans())
STEPS = st.lists(st.one_of(
    st.tuples(st.just("put"), CREDENTIALS),
    st.tuples(st.just("drop"), st.integers(0, 6).map(lambda n: f"id{n}")),
    st.tuples(st.just("filter"), FILTERS),
    st.tuples(st.just("sort"), ORDERS),
), max_size=25)


def from_scratch(credentials, shown_by: Filter, order: Order) -> list[Credential]:
    """The rows worked out directly from the rules, without Entry, Filter.select or Order.arrange: a credential
    shows when its name, realm id or company holds the search text and its state and destination match; rows
    run by the column's key (the moment for Created, the shown text ignoring case otherwise), up or down, and
    equal keys by name, then id, always ascending."""

    def passes(c: Credential) -> bool:
        searched = name_key(f"{c.name}\n{c.realm_id or ''}\n{c.company_name or ''}")
        return (
            shown_by.needle in searched
            and shown_by.state in (None, state_of(c, NOW))
            and shown_by.destination in (None, c.destination)
        )

    def key(c: Credential):
        if order.column == Column.CREATED:
            return c.created_at
        if order.column == Column.NAME:
            return name_key(c.display_name)
        return cell_text(c, order.column, NOW).casefold()

    def compare(a: Credential, b: Credential) -> int:
        if key(a) != key(b):
            up = -1 if key(a) < key(b) else 1
            return -up if order.descending else up
        ties = (name_key(a.display_name), a.id), (name_key(b.display_name), b.id)
        return -1 if ties[0] < ties[1] else int(ties[0] > ties[1])

    return sorted((c for c in credentials if passes(c)), key=cmp_to_key(compare))


@settings(max_examples=300, deadline=None)
@given(st.lists(CREDENTIALS, max_size=6, unique_by=lambda c: c.id), STEPS)
def test_after_any_changes_the_rows_are_what_a_fresh_listing_shows(start, steps):
    listing = Listing(start, lambda: NOW)
    stored, shown_by, order = {c.id: c for c in start}, Filter(), Order()  # what the list must reflect, kept apart
    for step, value in steps:
        if step == "put":
            stored[value.id] = value
            move = listing.put(value)
            before = shown(listing)
            move.apply()
            if move.before is not None and move.after is not None:
                assert len(shown(listing)) == len(before)
            elif move.after is not None:
                assert len(shown(listing)) == len(before) + 1
            elif move.before is not None:
                assert len(shown(listing)) == len(before) - 1
            if move.after is not None:
                assert listing.rows[move.after].credential == value
        elif step == "drop":
            stored.pop(value, None)
            move = listing.drop(value)
            if move is not None:
                move.apply()
        elif step == "filter":
            shown_by = value
            listing.refilter(value)
        else:
            order = value
            listing.sort(value)
        assert [entry.credential for entry in listing.rows] == from_scratch(stored.values(), shown_by, order)
        assert listing.credentials() == from_scratch(stored.values(), Filter(), order)
        assert listing.total() == len(stored)
        for row, entry in enumerate(listing.rows):
            assert listing.row_of(entry.credential.id) == row
