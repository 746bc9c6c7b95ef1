"""Locust journeys against a seeded Sinau (python -m bench.seed), driven by `python -m bench.run`.

    locust -f bench/locustfile.py --headless -u 50 -r 50 -t 30s --host http://127.0.0.1:PORT

The plan (logins, lesson paths, quiz modules, trainer pages) comes from the
JSON file named by SINAU_BENCH_PLAN, written by bench.run. Every simulated
phone has its own X-Forwarded-For address: the server runs with
LMS_PROXY_HOPS=1, as behind nginx, so the per-IP login limit counts each
phone apart, as in production.

- Trainee: log in (once), home, a lesson, and a whole quiz (intro → start →
  attempt page → submit → result), answering from the page's own form.
- Trainer: progress grid of a wave of 50 and of the city-wide wave of 500,
  the exercise review queue and a certificate PDF (when those pages exist).
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["SINAU_BENCH_PLAN"], encoding="utf-8").read()) if os.environ.get(
    "SINAU_BENCH_PLAN") else {}
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_addresses = itertools.count(1)


def _address() -> str:
    n = next(_addresses)
    return f"10.77.{n // 250}.{n % 250 + 1}"


class QuizForm(HTMLParser):
    """The quiz page's answer fields, filled like a hurried trainee: the first choice, a number, a word."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.seen: set[str] = set()
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name") or ""
        if tag == "input" and name.startswith("q-") and name not in self.seen:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                self.fields.append((name, a.get("value", "")))
            else:
                self.fields.append((name, "2" if a.get("inputmode") == "decimal" else "jawaban"))
            self.seen.add(name)
        elif tag == "select" and name.startswith("q-"):
            self.select = name
        elif tag == "option" and self.select and a.get("value") and self.select not in self.seen:
            self.fields.append((self.select, a["value"]))
            self.seen.add(self.select)

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def token(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


class Phone(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    login = ""

    def on_start(self):
        self.client.headers.update({"X-Forwarded-For": _address(), "User-Agent": "sinau-bench-locust/1.0"})
        page = self.client.get("/masuk", name="GET /masuk")
        with self.client.post("/masuk", name="POST /masuk (login)", allow_redirects=False, catch_response=True, data={
                "csrf_token": token(page.text), "login": self.pick_login(), "password": PLAN.get("password", "")},
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")

    def pick_login(self) -> str:
        raise NotImplementedError


class Trainee(Phone):
    weight = 9

    def pick_login(self) -> str:
        return random.choice(PLAN["trainees"])

    @task(3)
    def home(self):
        self.client.get("/beranda", name="GET /beranda (home)")

    @task(5)
    def lesson(self):
        self.client.get(random.choice(PLAN["lessons"]), name="GET /kursus/<c>/<m> (lesson)")

    @task(2)
    def quiz(self):
        slug = random.choice(PLAN["quiz_modules"])
        intro = self.client.get(f"/kuis/{slug}", name="GET /kuis/<m> (quiz intro)")
        started = self.client.post(f"/kuis/{slug}/mulai", name="POST /kuis/<m>/mulai (start)",
                                   data={"csrf_token": token(intro.text)})
        if "/kuis/percobaan/" not in started.url:
            return
        form = QuizForm()
        form.feed(started.text)
        with self.client.post(started.url, name="POST /kuis/percobaan/<id> (quiz submit)", allow_redirects=False,
                              data=[("csrf_token", token(started.text))] + form.fields,
                              catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"submit answered {response.status_code}")
                return
        self.client.get(started.url + "/hasil", name="GET /kuis/percobaan/<id>/hasil (result)")


class Trainer(Phone):
    weight = 1

    def pick_login(self) -> str:
        return PLAN["trainer"]

    @task(4)
    def grid_small(self):
        self.client.get(PLAN["grid_small"], name="GET /gelombang/<50>/kemajuan (grid 50)")

    @task(1)
    def grid_big(self):
        self.client.get(PLAN["grid_big"], name="GET /gelombang/<500>/kemajuan (grid 500)")

    @task(2)
    def review_queue(self):
        if PLAN.get("review_queue"):
            self.client.get(PLAN["review_queue"], name="GET review queue")

    @task(2)
    def certificate(self):
        if PLAN.get("certificate_pdfs"):
            self.client.get(random.choice(PLAN["certificate_pdfs"]), name="GET /sertifikat/<id>.pdf")
