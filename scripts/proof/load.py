# ruff: noqa: S311 - load choices, not secrets
"""The load: N signed-in participants, one thread each, doing what participants do.

Each acknowledged write (a redirect after a POST) is kept with its id, to be looked up
in the database afterwards. Every request is recorded: label, status, latency, time.
"""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from .browser import Browser, Reply, post_form

SESSION_URL = re.compile(r"^/pairing/sessions/(\d+)/$")
REFLECTION_URL = re.compile(r"^/feedback/sessions/(\d+)/reflection/$")
ACTIONS = [("pair_page", 40), ("schedule", 15), ("log_past", 15), ("reflect", 15), ("confirm", 15)]


@dataclass
class Record:
    label: str
    status: int  # 0: no answer (connection refused, time-out)
    seconds: float
    at: float  # time.time() when it started


@dataclass
class Participant:
    index: int
    login: dict
    browser: Browser
    reflectable: list[int] = field(default_factory=list)
    signed_in: bool = False


@dataclass
class Run:
    records: list[Record] = field(default_factory=list)
    acks: dict[str, list] = field(
        default_factory=lambda: {"schedule": [], "log_past": [], "reflect": [], "confirm": []}
    )
    touched: dict[int, float] = field(default_factory=dict)  # pair id -> last metric write
    rejected: int = 0  # forms answered with their errors (a refusal, not a failure)

    def note(self, label: str, reply: Reply | None, started: float, seconds: float) -> None:
        self.records.append(Record(label, reply.status if reply else 0, seconds, started))


def make_participants(logins: list[dict], port: int) -> list[Participant]:
    return [
        Participant(i, login, Browser("127.0.0.1", port, f"10.77.{i // 200}.{i % 200 + 1}"))
        for i, login in enumerate(logins)
    ]


def _call(run: Run, label: str, fn, *args) -> Reply | None:
    started = time.time()
    t0 = time.perf_counter()
    try:
        reply = fn(*args)
    except OSError:
        reply = None
    run.note(label, reply, started, time.perf_counter() - t0)
    return reply


def sign_in(p: Participant, run: Run) -> bool:
    page = _call(run, "sign_in_form", p.browser.get, "/accounts/login/")
    form = post_form(page.body, path="/accounts/login/") if page and page.status == 200 else None
    if form is None:
        return False
    form.update({"login": p.login["email"], "password": p.login["password"]})
    reply = _call(run, "sign_in", p.browser.post, "/accounts/login/", form)
    p.signed_in = bool(reply and reply.status == 302 and "login" not in reply.location)
    return p.signed_in


def _submit(p: Participant, run: Run, label: str, path: str, fill) -> Reply | None:
    page = _call(run, f"{label}_form", p.browser.get, path)
    if page is None or page.status != 200:
        return None
    form = post_form(page.body, path=path)
    if form is None:
        return None
    fill(form)
    reply = _call(run, label, p.browser.post, path, form)
    if reply is not None and reply.status == 200:
        run.rejected += 1
    return reply


def _when(rng: random.Random, *, past: bool) -> str:
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    if past:
        day = now - timedelta(days=rng.randint(1, 40))
    else:
        day = now + timedelta(days=rng.randint(2, 80))
    slot = day.replace(hour=rng.randint(8, 16), minute=rng.choice([0, 15, 30, 45]))
    return slot.strftime("%Y-%m-%dT%H:%M")


def act(p: Participant, run: Run, rng: random.Random) -> None:
    pair = p.login["pair_id"]
    action = rng.choices([a for a, _ in ACTIONS], weights=[w for _, w in ACTIONS])[0]
    if action == "reflect" and not p.reflectable:
        action = "log_past"
    if action == "confirm" and not p.login["pending_items"]:
        action = "pair_page"
    if action == "pair_page":
        _call(run, "pair_page", p.browser.get, f"/pairing/pairs/{pair}/")
    elif action == "schedule":

        def fill(form: dict) -> None:
            form.update(
                scheduled_start=_when(rng, past=False),
                planned_minutes="60",
                place=f"Room {rng.randint(1, 99)}",
                confirm_out_of_hours="on",
            )

        reply = _submit(p, run, "schedule", f"/pairing/pairs/{pair}/sessions/new/", fill)
        match = SESSION_URL.match(reply.location) if reply and reply.status == 302 else None
        if match:
            run.acks["schedule"].append(int(match.group(1)))
    elif action == "log_past":

        def fill(form: dict) -> None:
            form.update(scheduled_start=_when(rng, past=True), actual_minutes="60")
            roles = sorted(k for k in form if k.startswith("role_"))
            for key, role in zip(roles, ["mentor", "mentee"], strict=False):
                form[key] = role
            form["shared_notes"] = "Talked through the proof plan."

        path = f"/pairing/pairs/{pair}/sessions/log-past/"
        reply = _submit(p, run, "log_past", path, fill)
        match = REFLECTION_URL.match(reply.location) if reply and reply.status == 302 else None
        if match:
            run.acks["log_past"].append(int(match.group(1)))
            p.reflectable.append(int(match.group(1)))
            run.touched[pair] = time.time()
    elif action == "reflect":
        session = p.reflectable.pop(0)

        def fill(form: dict) -> None:
            form.update(learned="4", challenged="3", listened="5", power_shared="4")
            form["learned_text"] = "Load proof: what I learned."

        reply = _submit(p, run, "reflect", f"/feedback/sessions/{session}/reflection/", fill)
        if reply and reply.status == 302:
            run.acks["reflect"].append([session, p.login["participant_id"]])
            run.touched[pair] = time.time()
    elif action == "confirm":
        item = p.login["pending_items"].pop(0)
        data = {"csrfmiddlewaretoken": p.browser.cookies.get("csrftoken", "")}
        reply = _call(run, "confirm", p.browser.post, f"/feedback/ledger/{item}/confirm/", data)
        if reply and reply.status == 302:
            run.acks["confirm"].append(item)
            run.touched[pair] = time.time()


def run_load(participants: list[Participant], seconds: float, run: Run | None = None) -> Run:
    """Every participant acts in a loop for ``seconds`` (signing in first if needed)."""
    run = run or Run()
    deadline = time.monotonic() + seconds

    def loop(p: Participant) -> None:
        rng = random.Random(p.index * 7919 + int(time.time()))
        while time.monotonic() < deadline:
            if not p.signed_in:
                if not sign_in(p, run):
                    time.sleep(0.5)
                continue
            act(p, run, rng)

    _together(loop, participants)
    return run


def run_trivial(port: int, threads: int, seconds: float, path: str = "/") -> Run:
    """The same number of clients on a trivial view: the ceiling of this gunicorn."""
    run = Run()
    deadline = time.monotonic() + seconds

    def loop(i: int) -> None:
        browser = Browser("127.0.0.1", port, f"10.88.0.{i % 250 + 1}")
        while time.monotonic() < deadline:
            _call(run, "trivial", browser.get, path)

    _together(loop, list(range(threads)))
    return run


def _together(fn, items: list) -> None:
    workers = [threading.Thread(target=fn, args=(item,), daemon=True) for item in items]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
