"""A small HTTP load generator (threads + http.client keep-alive) and the statistics of a run.

Used for what wrk cannot do well: POSTs that each need their own prepared
quiz attempt, bursts released together by a barrier, logins. Every loop is
bounded by a count and by a deadline.
"""
from __future__ import annotations

import http.client
import http.cookies
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

COOKIE_NAME = "sinau_session"
USER_AGENT = "sinau-bench/1.0"


@dataclass
class Job:
    """One request: who sends it (cookie, client address) and what."""

    method: str
    path: str
    cookie: str | None = None
    address: str = "127.0.0.1"
    fields: Sequence[tuple[str, str]] | None = None


@dataclass
class Result:
    status: int
    seconds: float
    location: str = ""


@dataclass
class Stats:
    name: str
    results: list[Result]
    wall: float
    concurrency: int
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.results)

    @property
    def errors(self) -> int:
        return sum(1 for r in self.results if not 200 <= r.status < 400)

    @property
    def rps(self) -> float:
        return self.count / self.wall if self.wall else 0.0

    def percentile(self, p: float) -> float:
        """Latency percentile in milliseconds (nearest rank)."""
        values = sorted(r.seconds for r in self.results)
        if not values:
            return float("nan")
        rank = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
        return values[rank] * 1000

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(r.seconds for r in self.results) * 1000 if self.results else float("nan")


class Connection:
    """One keep-alive connection; cookies are sent per request, Set-Cookie is read back."""

    def __init__(self, host: str, port: int, timeout: float = 60):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def send(self, job: Job) -> tuple[int, dict[str, str], bytes, float, str | None]:
        """(status, headers, body, seconds, new session cookie or None)."""
        headers = {"User-Agent": USER_AGENT, "X-Forwarded-For": job.address, "Connection": "keep-alive"}
        if job.cookie:
            headers["Cookie"] = f"{COOKIE_NAME}={job.cookie}"
        body = None
        if job.fields is not None:
            body = urllib.parse.urlencode(list(job.fields)).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for retry in (0, 1):
            conn = self._connect()
            began = time.perf_counter()
            try:
                conn.request(job.method, job.path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, ConnectionError, TimeoutError, OSError):
                self.close()
                if retry:
                    return 599, {}, b"", time.perf_counter() - began, None
                continue
            seconds = time.perf_counter() - began
            cookie = None
            for value in response.headers.get_all("Set-Cookie") or []:
                parsed = http.cookies.SimpleCookie(value)
                if COOKIE_NAME in parsed:
                    cookie = parsed[COOKIE_NAME].value
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, dict(response.getheaders()), data, seconds, cookie
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run_jobs(name: str, host: str, port: int, jobs: Sequence[Job], concurrency: int, *, deadline: float = 120,
             barrier: bool = False) -> Stats:
    """Send every job once from `concurrency` threads (keep-alive connection each).

    With `barrier` there must be exactly one job per thread: all threads send
    together once every one of them is connected and ready."""
    results: list[Result | None] = [None] * len(jobs)
    index = iter(range(len(jobs)))
    lock = threading.Lock()
    stop_at = time.monotonic() + deadline
    gate = threading.Barrier(concurrency + 1) if barrier else None
    if barrier:
        assert len(jobs) == concurrency, "a barrier burst sends one job per thread"

    def worker() -> None:
        conn = Connection(host, port)
        try:
            if gate is not None:
                conn._connect().connect()
                gate.wait(timeout=60)
            while time.monotonic() < stop_at:
                with lock:
                    i = next(index, None)
                if i is None:
                    return
                status, headers, _body, seconds, _cookie = conn.send(jobs[i])
                results[i] = Result(status, seconds, headers.get("Location", ""))
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    if gate is not None:
        gate.wait(timeout=60)
    began = time.perf_counter()
    for thread in threads:
        thread.join(max(0.1, stop_at - time.monotonic() + 5))
    wall = time.perf_counter() - began
    done = [r for r in results if r is not None]
    missing = len(jobs) - len(done)
    return Stats(name, done + [Result(598, deadline)] * missing, wall, concurrency)


def run_for(name: str, host: str, port: int, make_job: Callable[[int], Job], concurrency: int,
            seconds: float, max_requests: int = 200_000) -> Stats:
    """Closed loop for `seconds` (and at most `max_requests`): each thread sends its next job when the last returns."""
    results: list[Result] = []
    lock = threading.Lock()
    counter = iter(range(max_requests))
    began = time.perf_counter()
    stop_at = began + seconds

    def worker() -> None:
        conn = Connection(host, port)
        local = []
        try:
            while time.perf_counter() < stop_at:
                with lock:
                    i = next(counter, None)
                if i is None:
                    break
                status, _headers, _body, elapsed, _cookie = conn.send(make_job(i))
                local.append(Result(status, elapsed))
        finally:
            conn.close()
            with lock:
                results.extend(local)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return Stats(name, results, time.perf_counter() - began, concurrency)


def sequential(name: str, host: str, port: int, job: Job, count: int, warmup: int = 2) -> Stats:
    """One connection, one request at a time: latency of a page on an idle server."""
    conn = Connection(host, port)
    try:
        for _ in range(warmup):
            conn.send(job)
        results = []
        began = time.perf_counter()
        for _ in range(count):
            status, _headers, _body, seconds, _cookie = conn.send(job)
            results.append(Result(status, seconds))
        return Stats(name, results, time.perf_counter() - began, 1)
    finally:
        conn.close()
