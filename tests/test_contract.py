"""The recognition contract: round trips and label validation."""

from __future__ import annotations

import pytest

from ibga.recognition.contract import SCREEN_IDS, Element, Recognition, label_problems

GOOD = {
    "screen": "login",
    "score": 0.97,
    "window": [117, 79, 790, 610],
    "elements": {
        "username": {"box": [337, 340, 391, 35]},
        "api_type.ib_api": {"box": [535, 243, 193, 31], "selected": True},
        "login_button": {"box": [337, 446, 391, 40], "text": "Paper Log In", "enabled": False},
    },
    "state": {"api_type": "IB API", "trading_mode": "Paper Trading"},
    "also": [],
}


def test_round_trip_keeps_everything():
    r = Recognition.from_dict(GOOD)
    assert r.elements["login_button"].text == "Paper Log In"
    assert r.elements["api_type.ib_api"].selected is True
    assert r.elements["username"].centre == (337 + 195, 340 + 17)
    assert r.to_dict() == {**GOOD, "elements": dict(sorted(GOOD["elements"].items()))}


def test_valid_label_has_no_problems():
    assert label_problems(GOOD, (1024, 768)) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"screen": "tws_main"}, "not a catalog screen id"),
        ({"also": ["bogus"]}, "also: 'bogus'"),
        ({"window": [900, 0, 790, 610]}, "outside the 1024x768 image"),
        ({"window": [0, 0, 0, 10]}, "no area"),
        ({"window": [0, 0, 10.5, 10]}, "four integers"),
        ({"elements": {"ok_button": {"box": [1, 2, 3]}}}, "element ok_button"),
        ({"elements": {"ok_button": {"box": [1, 2, 3, 4], "enabled": "yes"}}}, "enabled must be"),
        ({"state": []}, "state must be an object"),
    ],
)
def test_bad_labels_are_named(change, problem):
    problems = label_problems({**GOOD, **change}, (1024, 768))
    assert any(problem in p for p in problems), problems


def test_unknown_needs_no_window():
    assert label_problems({"screen": "unknown", "elements": {}}, (640, 480)) == []


def test_design_ids_are_catalogued():
    design_ids = {"login", "connecting_progress", "second_factor_push", "second_factor_device_choice",
                  "second_factor_totp", "existing_session_detected", "relogin_required",
                  "token_expired", "login_failed", "too_many_failed_attempts",
                  "paper_trading_warning", "main_window", "settings", "view_logs",
                  "export_filename_chooser", "export_done_message", "exit_session_setting",
                  "login_messages", "unknown"}
    assert design_ids <= SCREEN_IDS


def test_element_without_optional_fields_serialises_minimal():
    assert Element((1, 2, 3, 4)).to_dict() == {"box": [1, 2, 3, 4]}
