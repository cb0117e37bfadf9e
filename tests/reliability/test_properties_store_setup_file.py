"""Hostile setup files against the one checker of managed and shared setups (qbdesk/store/setup_file.py): a
file is accepted only when every value it gives passes Settings' own field checks, a shared file never yields
a secret, and anything else is refused with plain reasons, never an exception of another kind."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbdesk.core.destinations import Destination
from qbdesk.store.settings import client_id_problem, discovery_url_problem, redirect_uri_problem
from qbdesk.store.setup_file import SetupFileProblem, SetupKind, check_setup, decode_setup

from hostile_input import HOSTILE, HOSTILE_TEXT, URLS, assert_plain_reason

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(180)]  # nested JSON: slow on a busy machine

KEYS = ["client_id", "client_secret", "redirect_uri", "discovery_url", "api_base_url", "locked", "hidden",
        "production", "sandbox", "destinations", "qbdesk_setup", "Production", "token_url", "\u202e", ""]
FIELD_CHECKS = {"client_id": client_id_problem, "redirect_uri": redirect_uri_problem,
                "discovery_url": discovery_url_problem, "api_base_url": discovery_url_problem}
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), HOSTILE_TEXT, URLS,
                    st.sampled_from(["ABC123", "http://localhost:8765/callback", "https://org.example/cb"]))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(KEYS), HOSTILE_TEXT), inner, max_size=5)),
    max_leaves=12,
)
FIELDS_OBJECT = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=7)
SETUPS = st.fixed_dictionaries(
    {"qbdesk_setup": st.one_of(st.just(1), SCALARS)},
    optional={"destinations": st.dictionaries(st.sampled_from(KEYS[7:9] + KEYS[:2]), FIELDS_OBJECT, max_size=3)},
)


def check_document(data: object, kind: SetupKind) -> None:
    try:
        document = check_setup(data, kind)
    except SetupFileProblem as problem:
        assert problem.problems
        for reason in problem.problems:
            assert_plain_reason(reason)
        return
    assert document.destinations and set(document.destinations) <= set(Destination)
    assert not all(d.hidden for d in document.destinations.values()) or len(document.destinations) < len(Destination)
    for setup in document.destinations.values():
        for name, value in setup.values.items():
            assert value and FIELD_CHECKS[name](value) is None, (name, value)
        if kind is SetupKind.SHARED:
            assert not setup.client_secret and not setup.locked and not setup.hidden


@settings(HOSTILE, max_examples=400)  # nested JSON costs more per case than a string
@given(SETUPS, st.sampled_from(list(SetupKind)))
def test_a_setup_is_accepted_only_with_values_settings_would_accept(data, kind):
    check_document(data, kind)


@settings(HOSTILE, max_examples=150)
@given(st.binary(max_size=300), VALUES)
def test_any_bytes_or_json_are_refused_plainly_or_checked(raw, value):
    for kind in SetupKind:
        check_document(value, kind)
        try:
            decode_setup(raw, kind)
        except SetupFileProblem as problem:
            for reason in problem.problems:
                assert_plain_reason(reason)
        try:
            decode_setup(json.dumps(value, allow_nan=True).encode(), kind)
        except SetupFileProblem as problem:
            for reason in problem.problems:
                assert_plain_reason(reason)
