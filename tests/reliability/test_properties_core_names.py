"""Hostile credential names against check_name (qbdesk/core/names.py): accepted names follow the rules, duplicates
under Unicode caseless matching are refused."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qbdesk.core.names import MAX_NAME_LENGTH, check_name

from hostile_input import HOSTILE, HUGE, INVISIBLE, SELECTOR, SOUP, Picks, assert_plain_reason

pytestmark = pytest.mark.reliability


def caseless(text: str) -> str:
    """Unicode canonical caseless matching (D145): NFD(casefold(NFD(text)))."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())


# Letters whose case mapping changes their length or composition: where duplicate detection goes wrong.
CASE_TRICKY = (
    "\u0390\u03b0\u1fb3\u1fb7\u1fc7\u1fd2\u1fd3\u1fe2\u1fe3\u1ff7\u0345\u0342\u0313\u0301\u0300\u0308\u030c"
    "\u00df\u1e9e\u0130\u0131\u01f0\u0149\ufb00\ufb01\u03a3\u03c3\u03c2\u212a\u212b\u00c5\u00b5\u017f\u2126"
    "\u0399\u03a5\u0391\u0397\u03a9\u00e9\u00c9Aa Ii"
)
NAMES = st.one_of(
    st.text(CASE_TRICKY, min_size=1, max_size=12),
    st.text(st.characters(categories=["Lu", "Ll", "Lt", "Mn", "Nd", "Zs", "So"]), min_size=1, max_size=30),
    st.text(max_size=120),
    SOUP,
    HUGE,
)
TAKEN_NAMES = [[], [], ["Acme Ltd"], ["ACME LTD", "Caf\u00e9"], ["\u00df", "\u0399\u0308\u0301"], ["   "]]
CHANGES = {"u": str.upper, "l": str.lower, "c": str.casefold, "t": str.title, "s": str.swapcase, "=": str}


def vary_case(name: str, changes: str, form: str) -> str:
    """The name with each character's case changed as told, in Unicode form NFC or NFD."""
    changes = changes.ljust(len(name), "=")[: len(name)]
    changed = "".join(CHANGES[change](ch) for ch, change in zip(name, changes, strict=True))
    return unicodedata.normalize(form, changed)


def assert_name_rules(typed: str, taken: list[str], result) -> None:
    if not result.ok:
        assert_plain_reason(result.problem)
        if "already exists" in result.problem:
            assert any(caseless(result.name) == caseless(other) for other in taken), (result, taken)
        return
    name = result.name
    assert name == unicodedata.normalize("NFC", typed.strip())
    assert name == name.strip() and 1 <= len(name) <= MAX_NAME_LENGTH
    assert not any(unicodedata.category(ch) in INVISIBLE for ch in name), ascii(name)
    name.encode("utf-8")  # storable and printable as it is
    assert all(caseless(name) != caseless(other) for other in taken), (name, taken)
    again = check_name(name, taken)
    assert again.ok and again.name == name  # idempotent


def make_name_case(typed: str, number: int, changes: str) -> tuple[str, list[str], str, str]:
    """(typed, names taken, how to change each character's case, Unicode form of the changed name)."""
    pick = Picks(number)
    return typed, pick(TAKEN_NAMES), changes, pick(["NFC", "NFD"])


@HOSTILE
@given(st.builds(make_name_case, NAMES, SELECTOR, st.text("ulcts=", max_size=30)))
@example(("Acme Ltd", ["acme ltd"], "", "NFC"))
@example(("acme LTD", ["Acme Ltd"], "u" * 30, "NFC"))
@example(("Caf\u00e9", [], "", "NFD"))
@example(("\u0390", [], "u", "NFC"))
@example(("\udcff", [], "", "NFC"))
@example(("AError", [], "", "NFC"))  # a name that reads like an exception, quoted in the reason
def test_check_name(case):
    """10,000 names: accepted ones follow the rules and check again the same; a name differing from an accepted one
    only by case or Unicode composition is refused as a duplicate."""
    typed, taken, changes, form = case
    assert_name_rules(typed, taken, check_name(typed, taken))
    first = check_name(typed)
    variant = vary_case(typed, changes, form)
    if not first.ok or caseless(variant) != caseless(typed):
        return  # not the same name under Unicode's caseless matching (dotless i, for one)
    second = check_name(variant, taken=[first.name])
    assert not second.ok, (ascii(typed), ascii(variant))
    # The reason quotes the name the user typed ("AError" is a fine name): judge the words around it.
    assert_plain_reason(second.problem.replace(first.name, "NAME"))
    if check_name(variant).ok:
        assert "already exists" in second.problem
        assert not check_name(typed, taken=[check_name(variant).name]).ok


EXPLICIT_NAMES = [  # (typed, accepted)
    ("Books \U0001f4da", True),  # emoji
    ("\U0001f9fe\U0001f4b0 Ledger \u2764\ufe0f", True),  # emoji with a variation selector
    ("\u0634\u0631\u0643\u0629 \u0627\u0644\u0645\u062d\u0627\u0633\u0628\u0629", True),  # right-to-left (Arabic)
    ("\u05d7\u05e9\u05d1\u05d5\u05e0\u05d5\u05ea \u05d1\u05e2\"\u05de", True),  # right-to-left (Hebrew)
    ("Acme \u05d7\u05e9\u05d1\u05d5\u05df 2024", True),  # mixed directions
    ("\u202eevil\u202c", False),  # a right-to-left override: invisible, reorders what is shown
    ("     ", False),  # only spaces
    ("\u3000\u00a0 \u2003", False),  # only other kinds of space
    ("x" * 10_000, False),  # 10,000 characters
    ("'; DROP TABLE credentials;--", True),  # SQL-looking
    ("Robert'); DELETE FROM credentials WHERE ('1'='1", True),
    ("<script>alert(1)</script>", True),
    ("\udcff", False),  # an undecodable command-line byte, as Python hands it over
]


@pytest.mark.parametrize(("typed", "accepted"), EXPLICIT_NAMES)
def test_check_name_explicit_examples(typed, accepted):
    result = check_name(typed)
    assert_name_rules(typed, [], result)
    assert result.ok is accepted, result


@pytest.mark.parametrize(
    ("typed", "taken"),
    [("acme ltd", "Acme Ltd"), ("ACME LTD", "acme ltd"), ("Cafe\u0301", "CAF\u00c9"), ("STRASSE", "stra\u00dfe"),
     ("\u0399\u0308\u0301", "\u0390")],
)
def test_duplicates_differing_only_by_case_are_refused(typed, taken):
    result = check_name(typed, [taken])
    assert not result.ok and "already exists" in result.problem
