"""Typed fields are checked before the click that submits them, with a character lost between the keys
and the field: `Actor.type_into` with `reads_as` on a real Swing field, and the runner against the replica.

The loss is made where it happens, in `Screen.type_text` (a key the program never got): the rest is
real, the Swing fields, the reading of them (OCR, password dots) and, for the runner, the replica's own
account of what reached its login (`login_attempt`, `second_factor`).
"""

from __future__ import annotations

import threading

import pytest
import runner_harness
from runner_harness import LOGIN_TIMEOUT, PASSWORD, TOTP_SECRET
from waiting import wait_for

from ibga.recognition.contract import Element, Recognition
from ibga.runner.actions import PROBE_KEY, ActionFailed, Actor, reads_as
from ibga.runner.display import Screen

pytestmark = pytest.mark.display
start_runner = runner_harness.start_runner  # the fixture

USERNAME = "paperuser"


class Lossy:
    """`Screen.type_text` that loses characters of chosen texts, as a lost key would; it keeps what it was
    asked to type and what it typed, in this test's memory only."""

    def __init__(self, monkeypatch):
        self.asked: list[str] = []
        self.losses: dict[str, list] = {}
        self.lock = threading.Lock()
        original = Screen.type_text

        def type_text(screen, text):
            with self.lock:
                self.asked.append(text)
                plan = self.losses.get(text)
                lose = plan.pop(0) if plan else None
            original(screen, text if lose is None else lose(text))

        monkeypatch.setattr(Screen, "type_text", type_text)

    def lose(self, text: str, *losses) -> None:
        """The next typings of `text` go through these (text -> what reaches the field); later ones not."""
        with self.lock:
            self.losses[text] = list(losses)

    def typings(self, text: str) -> int:
        with self.lock:
            return self.asked.count(text)


def last(n: int):
    return lambda text: text[:-n]


def middle(text: str) -> str:
    return text[:len(text) // 2] + text[len(text) // 2 + 1:]


@pytest.fixture
def lossy(monkeypatch):
    return Lossy(monkeypatch)


FORM = Recognition("login", 1.0, window=(100, 100, 600, 90),
                   elements={"text": Element((100, 100, 600, 40)), "password": Element((100, 150, 600, 40))})
"""tests/programs/EchoForm.java's fields as a recognizer would give them."""


@pytest.fixture
def form(screen, run_java):
    program = run_java("EchoForm")
    return Actor(screen, lambda frame: FORM), program


def _holds(actor: Actor, program, name: str) -> str:
    """What the form's field holds, from the program itself (Return prints it)."""
    actor.click(FORM.elements[name])
    actor.press("enter")
    line = program.next_line(timeout=10)
    tag = "TEXT" if name == "text" else "PASSWORD"
    assert line.startswith(f"{tag}[") and line.endswith("]"), line
    return line[len(tag) + 1:-1]


@pytest.mark.parametrize("text", [USERNAME, "lsmith38", "446109", "Qx4x49lt"])
def test_a_field_that_lost_a_character_is_typed_again(form, lossy, text: str):
    actor, program = form
    lossy.lose(text, last(1))
    assert actor.type_into(FORM, "text", text, verify=reads_as(text), tries=3, alike=True) is not False
    assert lossy.typings(text) >= 2
    assert _holds(actor, program, "text") == text


def at(i: int):
    """Lose the character at `i` (a different key each time, as when keys keep getting lost)."""
    return lambda text: text[:i] + text[i + 1:]


def test_a_field_that_keeps_losing_characters_is_refused(form, lossy):
    actor, program = form
    lossy.lose(USERNAME, at(1), at(4), at(7))
    with pytest.raises(ActionFailed) as failed:
        actor.type_into(FORM, "text", USERNAME, verify=reads_as(USERNAME), tries=3, alike=True)
    assert USERNAME not in str(failed.value) and lossy.typings(USERNAME) == 3


def test_keys_that_reach_no_field_are_refused(form, lossy):
    """Nothing typed shows: the empty field looks the same after every typing, and must not pass for the
    text because of that."""
    actor, program = form
    for text in (USERNAME, PROBE_KEY):
        lossy.lose(text, *[lambda text: ""] * 10)
    with pytest.raises(ActionFailed):
        actor.type_into(FORM, "text", USERNAME, verify=reads_as(USERNAME), tries=3, alike=True)
    assert _holds(actor, program, "text") == ""


def test_two_alike_typings_pass_what_ocr_cannot_read(form, lossy):
    """OCR of a correct text can read it otherwise (``l`` for ``1``, a letter lost, nothing): a second
    typing that looks the same must end the retyping, or that username would never be submitted. Here
    OCR is asked for another text, so it never confirms."""
    actor, program = form
    never = reads_as(USERNAME + "x")
    assert actor.type_into(FORM, "text", USERNAME, verify=never, tries=3, alike=True) is None
    assert lossy.typings(USERNAME) == 2
    assert _holds(actor, program, "text") == USERNAME


def test_a_text_typed_over_itself_is_not_taken_for_lost_keys(form, lossy):
    """A field that holds the text already (the gateway fills in the last username) looks the same after
    it is typed again: the next typing empties the field first, and two alike typings pass."""
    actor, program = form
    actor.type_into(FORM, "text", USERNAME)
    never = reads_as(USERNAME + "x")
    assert actor.type_into(FORM, "text", USERNAME, verify=never, tries=3, alike=True) is None
    assert _holds(actor, program, "text") == USERNAME


def test_a_lost_password_character_shows_in_the_dots(form, lossy):
    from ibga.runner.handlers.login import _shows_dots

    actor, program = form
    lossy.lose(PASSWORD, middle)
    actor.type_into(FORM, "password", PASSWORD, verify=_shows_dots(len(PASSWORD)), tries=3)
    assert lossy.typings(PASSWORD) == 2
    assert _holds(actor, program, "password") == PASSWORD


def test_a_character_lost_from_the_username_or_the_password_is_typed_again(start_runner, lossy):
    lossy.lose(USERNAME, last(1))
    lossy.lose(PASSWORD, middle)
    runner = start_runner({"account": "paper", "username": USERNAME, "password": PASSWORD})
    status = runner.wait_status("logged_in")
    attempts = runner.events("login_attempt")
    assert len(attempts) == 1 and attempts[0]["username_matched"] and attempts[0]["password_matched"]
    assert status["attempts_today"] == 1
    assert lossy.typings(USERNAME) >= 2 and lossy.typings(PASSWORD) >= 2
    runner_harness.assert_no_secret_anywhere(runner, PASSWORD, USERNAME)
    assert runner.stop() == 0


def test_a_username_whose_keys_keep_getting_lost_is_not_submitted(start_runner, lossy):
    """Another character lost at each typing: the login button is not clicked and no attempt is counted;
    the window is tried again later, and once the keys arrive, logged in with one attempt."""
    lossy.lose(USERNAME, *[at(i % len(USERNAME)) for i in range(1000)])
    runner = start_runner({"account": "paper", "username": USERNAME, "password": PASSWORD})
    refused = "username field did not show as expected"
    wait_for(lambda: sum(refused in line for line in list(runner.log.lines)) >= 2, LOGIN_TIMEOUT)
    assert lossy.typings(USERNAME) >= 6  # every turn types it three times, then leaves the window
    assert all(USERNAME not in line for line in runner.log.lines)
    assert not runner.events("login_attempt")
    assert runner.status().get("attempts_today", 0) == 0
    lossy.lose(USERNAME)  # the keys reach the field again
    status = runner.wait_status("logged_in")
    attempts = runner.events("login_attempt")
    assert len(attempts) == 1 and attempts[0]["username_matched"] and status["attempts_today"] == 1
    assert runner.stop() == 0


def test_a_digit_lost_from_the_totp_code_is_typed_again(start_runner, monkeypatch):
    original = Screen.type_text
    lost: list[str] = []

    def type_text(screen, text):  # the first code typed loses a digit
        if len(text) == 6 and text.isdigit() and not lost:
            lost.append(text)
            text = middle(text)
        original(screen, text)

    monkeypatch.setattr(Screen, "type_text", type_text)
    runner = start_runner({"account": "live", "username": USERNAME, "password": PASSWORD,
                           "second_factor": "totp", "totp_secret": TOTP_SECRET}, {"TOTP_KEY": TOTP_SECRET})
    runner.wait_status("logged_in")
    assert lost, "no code was typed"
    results = [e.get("result") for e in runner.events("second_factor") if e.get("kind") == "totp"]
    assert results == ["approved"], results  # the short code never reached OK
    assert runner.stop() == 0
