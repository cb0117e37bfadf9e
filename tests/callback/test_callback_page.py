"""The callback page: its data type and the HTML template the browser is shown."""

from __future__ import annotations

import importlib.resources
import re
from pathlib import Path

import pytest

from qbdesk.callback.listener import CallbackPage

TEMPLATE = Path(__file__).resolve().parents[2] / "resources" / "pages" / "callback.html"


def test_page_defaults_to_200() -> None:
    assert CallbackPage(True, "Connected", "All set.").status == 200


@pytest.mark.parametrize("status", [0, 99, 199, 600, "200", 200.0])
def test_page_refuses_statuses_that_are_not_http_answers(status: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        CallbackPage(True, "t", "m", status)  # type: ignore[arg-type]


def test_page_refuses_non_text() -> None:
    with pytest.raises(TypeError):
        CallbackPage(True, None, "m")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CallbackPage(True, "t", b"m")  # type: ignore[arg-type]


def test_template_is_self_contained_and_script_free() -> None:
    text = TEMPLATE.read_text("utf-8")
    assert "<script" not in text.lower()
    assert not re.search(r"(src|href)\s*=", text, re.IGNORECASE)
    assert "url(" not in text and "@import" not in text
    assert not re.search(r"https?:|//[a-z]", text, re.IGNORECASE)
    assert set(re.findall(r"\{\{\s*(\w+)\s*\}\}", text)) == {"outcome", "title", "message"}
    assert "You can close this tab and return to qbdesk." in text
    assert len(re.findall(r"<style>", text)) == 1


def test_template_is_packaged_as_qbdesk_resources() -> None:
    resource = importlib.resources.files("qbdesk.resources") / "pages" / "callback.html"
    assert resource.read_text("utf-8") == TEMPLATE.read_text("utf-8")
