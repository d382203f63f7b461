#!/usr/bin/env python3
"""`make bench`: the service's speed at county scale, measured as a front door team would feel it.

    tools/bench.py                 # 250,000 people on PostgreSQL (generated once, then reused)
    tools/bench.py --people 1000000
    tools/bench.py --smoke         # a few thousand people on SQLite, every page once: `make test` runs it

It sets up the data (`manage.py generate_demo`), collects the static files, starts gunicorn with the
production settings (gunicorn.conf.py) and the Server-Timing header on, signs in as the demo front
door practitioner and team leader, and measures over loopback from this process (and, for load, from
several more):

- every main page: server time (median, p95), queries, and server time ÷ its own SQL time;
- the queries of each page at two sizes of data (the small demo and the county), which must match;
- person search, each kind of criteria, from one client and from eight at once;
- a realistic mix of pages and searches under concurrent load: requests a second and p95.

Each figure is printed beside its target (docs/performance.md) and the lot written as JSON. The exit
status is 0 when everything ran and every page answered; targets missed are reported, not fatal,
except with --strict.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES = "postgres://postgres@127.0.0.1:5432/"
PASSWORD = "demo-early-help"
FRONT_DOOR = "frontdoor@demo.earlyhelp.test"
TEAM_LEADER = "teamleader@demo.earlyhelp.test"
FORUM = "forum@demo.earlyhelp.test"
COACH = "coach@demo.earlyhelp.test"

# The targets of issue 11 (docs/performance.md), in milliseconds unless said otherwise.
PAGE_MEDIAN = 30
PAGE_P95 = 100
MOST_QUERIES = 12
# Casework pages read one query per kind of record a case holds (issue 12 asks for a number that
# does not grow with the case, not for the front door's 12): their own ceiling.
MOST_QUERIES_CASEWORK = 30
CASEWORK_PAGES = (
    "my families (coach)",
    "team page (team leader)",
    "two-year case file",
    "two-year chronology",
    "genogram and ecomap",
    # The forums (issue 15): a forum's page with its requests and followed-up cases, a meeting
    # with its agenda and slots, and the figures of the quarter.
    "forum (coordinator)",
    "forum meeting (coordinator)",
    "forum reports (coordinator)",
)
# The performance dashboard (issue 16): every KPI for a year, and for five years, of county data.
DASHBOARD_P95 = {"performance dashboard (a year)": 300, "performance dashboard (five years)": 1000}
MOST_QUERIES_DASHBOARD = 45
SEARCH_P95 = {250_000: 50, 1_000_000: 100}
SEARCH_P95_CONCURRENT = 200
LOAD_REQUESTS_A_SECOND = 150
LOAD_P95 = 200
OVERHEAD = 2.0


# Talking to the server ---------------------------------------------------------------------------

TIMING = re.compile(r'app;dur=(?P<app>[\d.]+), db;dur=(?P<db>[\d.]+);desc="(?P<queries>\d+) queries"')


@dataclass
class Answer:
    status: int
    body: bytes
    wall_ms: float
    app_ms: float
    db_ms: float
    queries: int
    headers: dict[str, str]


class Browser:
    """One person's browser: a kept-alive connection and its cookies, as if behind the TLS proxy."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, form: dict[str, str] | None = None, *, proxy: bool = True) -> Answer:
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "earlyhelp-bench"}
        if proxy:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        for attempt in range(2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                # A worker restarted (max_requests) or the keep-alive ran out: a browser reconnects.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt:
                    raise
        wall = (time.perf_counter() - started) * 1000
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        timing = TIMING.search(response.headers.get("Server-Timing", ""))
        return Answer(
            status=response.status,
            body=content,
            wall_ms=wall,
            app_ms=float(timing["app"]) if timing else wall,
            db_ms=float(timing["db"]) if timing else 0.0,
            queries=int(timing["queries"]) if timing else -1,
            headers={key.lower(): value for key, value in response.headers.items()},
        )

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def sign_in(self, email: str) -> None:
        page = self.get("/sign-in/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if page.status != 200 or token is None:
            raise SystemExit(f"The sign-in page did not load ({page.status})")
        answer = self.request(
            "POST",
            "/sign-in/",
            {"csrfmiddlewaretoken": token[1].decode(), "username": email, "password": PASSWORD},
        )
        if answer.status != 302:
            raise SystemExit(f"Could not sign in as {email} ({answer.status}): is the demo data loaded?")
        self.second_step(email)

    def second_step(self, email: str) -> None:
        """The code from the demo users' shared authenticator key (two-step sign-in, ADR 20). A code
        works once for each user: a second sign-in in the same 30 seconds waits for the next."""
        for _attempt in range(2):
            page = self.get("/account/two-step/")
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
            if page.status != 200 or token is None:
                raise SystemExit(f"The two-step sign-in page did not load for {email} ({page.status})")
            answer = self.request(
                "POST", "/account/two-step/", {"csrfmiddlewaretoken": token[1].decode(), "code": demo_code()}
            )
            if answer.status == 302:
                return
            time.sleep(30 - time.time() % 30 + 0.5)
        raise SystemExit(f"Two-step sign-in refused the demo code for {email}")


# The demo users' shared authenticator key (earlyhelp/site/demo.py: DEMO_TWO_STEP_KEY).
DEMO_TWO_STEP_KEY = "6561726c7968656c702d64656d6f2d74776f2d73"


def demo_code(at: float | None = None) -> str:
    """RFC 6238: what an authenticator app with the demo key shows now (HMAC-SHA1, 30 s, 6 digits)."""
    import hashlib
    import hmac
    import struct

    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(DEMO_TWO_STEP_KEY), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


# The data ------------------------------------------------------------------------------------------


def manage(database: str, *arguments: str, quiet: bool = True) -> str:
    environment = os.environ | {"DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "earlyhelp.settings.local"}
    environment.pop("REDIS_URL", None)
    finished = subprocess.run(
        [PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment, capture_output=quiet, text=True, check=False
    )
    if finished.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(arguments)} failed:\n{finished.stdout}\n{finished.stderr}")
    return finished.stdout or ""


def postgres_database_ready(name: str, people: int, say: Callable[[str], None]) -> str:
    """The database `name` on the local PostgreSQL with at least `people` generated people: made
    once (a few minutes for the county), then reused by every later run."""
    import psycopg

    url = POSTGRES + name
    with psycopg.connect(POSTGRES + "postgres", autocommit=True) as server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        held = 0
        if exists:
            with psycopg.connect(url) as database:
                has_table = database.execute("SELECT to_regclass('people_person')").fetchone()
                if has_table and has_table[0]:
                    row = database.execute("SELECT count(*) FROM people_person").fetchone()
                    held = int(row[0]) if row else 0
        if exists and held >= people:
            say(f"Using {name}: {held:,} people already there.")
            manage(url, "migrate", "--no-input")
            # Forums came with issue 15: a database generated before then gets the demo's.
            manage(url, "shell", "-c", FORUMS_DEMO)
            return url
        if exists:
            server.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    say(f"Generating {people:,} people into {name} (once; minutes at county scale)…")
    manage(url, "migrate", "--no-input")
    manage(url, "thresholds", "load")
    manage(url, "generate_demo", "--people", str(people), quiet=False)
    return url


FORUMS_DEMO = (
    "from earlyhelp.forums import demo; from earlyhelp.organisations.models import Authority; "
    "demo.load(Authority.objects.get(code='928'))"
)


@dataclass
class Samples:
    """Records to open and searches to run, spread over the data and the same each run."""

    people: list[int]
    families: list[int]
    contacts: list[int]
    searches: dict[str, list[dict[str, str]]]
    people_held: int
    long_case: int = 0
    team: int = 0
    forum: int = 0
    forum_meeting: int = 0


def samples_of(database: str) -> Samples:
    script = "from tools.bench import _samples_here; _samples_here()"
    output = manage(database, "shell", "-c", script)
    return Samples(**json.loads(output.strip().splitlines()[-1]))


def _samples_here(count: int = 40) -> None:
    """Run inside `manage.py shell`: print the samples as JSON."""
    from django.db.models import Count, Q

    from earlyhelp.frontdoor.models import Contact
    from earlyhelp.organisations.models import User
    from earlyhelp.people.models import FamilyMembership, Person

    chooser = random.Random(2026)
    children = list(
        Person.objects.filter(kind=Person.Kind.CHILD, memberships__isnull=False)
        .exclude(date_of_birth=None)
        .exclude(postcode="")
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    chosen = chooser.sample(children, min(count, len(children)))
    people = {person.pk: person for person in Person.objects.filter(pk__in=chosen)}
    families = list(
        FamilyMembership.objects.filter(person_id__in=chosen).values_list("family_id", flat=True).distinct()
    )[:count]
    # Open contacts of one shape at every size of data, so that the page's queries compare like
    # with like: a new referral (not a re-referral, whose page reads the earlier contacts too) that
    # names someone still to be matched with a date of birth or postcode to look for likely
    # records by (a contact whose people are all matched skips that look-up).
    open_contacts = Contact.objects.filter(status__in=Contact.OPEN_STATUSES, re_referral=False)
    to_match = open_contacts.filter(
        Q(people__person=None) & (Q(people__date_of_birth__isnull=False) | Q(people__postcode__gt=""))
    )
    contacts = list(to_match.distinct().order_by("received_at").values_list("pk", flat=True)) or list(
        open_contacts.order_by("received_at").values_list("pk", flat=True)
    )
    common = (
        Person.objects.values("last_name").annotate(total=Count("id")).order_by("-total").values_list("last_name")[:5]
    )
    nhs = list(Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True).order_by("pk")[:2000])

    def born(person: Person) -> dict[str, str]:
        day = person.date_of_birth
        assert day is not None
        return {"date_of_birth_0": str(day.day), "date_of_birth_1": str(day.month), "date_of_birth_2": str(day.year)}

    chosen_people = [people[pk] for pk in chosen]
    searches = {
        "surname": [{"name": person.last_name} for person in chosen_people],
        "common surname": [{"name": name} for (name,) in common],
        "forename and surname": [{"name": f"{p.first_name} {p.last_name}"} for p in chosen_people],
        "name and date of birth": [{"name": f"{p.first_name} {p.last_name}", **born(p)} for p in chosen_people],
        "surname and postcode": [{"name": p.last_name, "postcode": p.postcode} for p in chosen_people],
        "misspelt name": [{"name": f"{p.first_name[:-1]} {p.last_name}"} for p in chosen_people],
        "short word and surname": [{"name": f"{p.first_name[:2]} {p.last_name}"} for p in chosen_people],
        "date of birth": [born(p) for p in chosen_people],
        "postcode": [{"postcode": p.postcode} for p in chosen_people],
        "NHS number": [{"nhs_number": number} for number in chooser.sample(nhs, min(count, len(nhs)))],
    }
    print(
        json.dumps(
            {
                "people": chosen,
                "families": families,
                "contacts": contacts[: count * 4 : 4] or contacts[:count],
                "searches": searches,
                "people_held": Person.objects.count(),
                "long_case": _long_case(),
                "team": User.objects.filter(email=COACH).values_list("team_id", flat=True).first() or 0,
                **_forum_samples(),
            }
        )
    )


def _forum_samples() -> dict[str, int]:
    """The demo coordinator's forum, and its meeting with an agenda (the last one held)."""
    from earlyhelp.forums.models import ForumMeeting, ForumMember

    member = ForumMember.objects.filter(user__email=FORUM, kind="coordinator").first()
    if member is None:
        return {}
    meeting = ForumMeeting.objects.filter(forum_id=member.forum_id, status="held").order_by("-held_on").first()
    return {"forum": member.forum_id, "forum_meeting": meeting.pk if meeting else 0}


def _long_case() -> int:
    """The demo coach's longest open case: the generator's two-year case."""
    from earlyhelp.casework.models import Episode

    found = (
        Episode.objects.filter(coach__email=COACH, status=Episode.Status.OPEN)
        .order_by("allocated_at")
        .values_list("pk", flat=True)
        .first()
    )
    return int(found or 0)


# The server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_environment(database: str, static_root: Path, port: int, redis: str = "") -> dict[str, str]:
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "earlyhelp.settings.production",
        "DATABASE_URL": database,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(static_root),
        "SERVER_TIMING": "1",
        "PORT": str(port),
        "ACCESS_LOG": "",
    }
    if redis:
        environment["REDIS_URL"] = redis
    else:
        environment.pop("REDIS_URL", None)
    return environment


def redis_if_running() -> str:
    """Redis for the cache and sessions, as in production, when one answers on its usual port."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return "redis://127.0.0.1:6379/15"
    except OSError:
        return ""


def static_files_collected(static_root: Path) -> None:
    environment = production_environment("sqlite:///:memory:", static_root, 0)
    finished = subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        raise SystemExit(f"collectstatic failed:\n{finished.stderr}")


@contextmanager
def gunicorn(database: str, static_root: Path, *, workers: int, threads: int, redis: str = "") -> Iterator[int]:
    port = free_port()
    environment = production_environment(database, static_root, port, redis) | {
        "WEB_CONCURRENCY": str(workers),
        "WEB_THREADS": str(threads),
    }
    log = tempfile.TemporaryFile()  # noqa: SIM115  (closed in the finally below, after the server stops)
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                log.seek(0)
                raise SystemExit(f"gunicorn stopped:\n{log.read().decode(errors='replace')}")
            try:
                if Browser(port).request("GET", "/healthz", proxy=False).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer /healthz within a minute")
            time.sleep(0.2)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


# Measuring ---------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


@dataclass
class Figure:
    what: str
    median_ms: float
    p95_ms: float
    count: int
    queries: int = -1
    overhead: float = 0.0
    outside_sql_ms: float = 0.0
    target: str = ""
    met: bool = True
    statuses: list[int] = field(default_factory=list)


def page_paths(samples: Samples) -> dict[str, tuple[str, Callable[[int], str]]]:
    """Each main page: who opens it, and its address for the n-th sample."""

    def nth(values: list[int], n: int) -> int:
        return values[n % len(values)]

    return {
        "home (front door)": (FRONT_DOOR, lambda n: "/"),
        "home (team leader)": (TEAM_LEADER, lambda n: "/"),
        "front-door queue": (FRONT_DOOR, lambda n: "/front-door/"),
        "a contact": (FRONT_DOOR, lambda n: f"/front-door/contacts/{nth(samples.contacts, n)}/"),
        "person page": (FRONT_DOOR, lambda n: f"/people/{nth(samples.people, n)}/"),
        "family page": (FRONT_DOOR, lambda n: f"/families/{nth(samples.families, n)}/"),
        "my families (coach)": (COACH, lambda n: "/my-families/"),
        "team page (team leader)": (TEAM_LEADER, lambda n: f"/teams/{samples.team}/"),
        "two-year case file": (TEAM_LEADER, lambda n: f"/episodes/{samples.long_case}/"),
        # The family's record (issue 14): the whole history of the longest case, and its pictures.
        "two-year chronology": (TEAM_LEADER, lambda n: f"/episodes/{samples.long_case}/chronology/"),
        "genogram and ecomap": (TEAM_LEADER, lambda n: f"/episodes/{samples.long_case}/genogram-and-ecomap/"),
        "forum (coordinator)": (FORUM, lambda n: f"/forums/{samples.forum}/"),
        "forum meeting (coordinator)": (FORUM, lambda n: f"/forum-meetings/{samples.forum_meeting}/"),
        "forum reports (coordinator)": (FORUM, lambda n: "/forums/reports/"),
        "performance dashboard (a year)": (TEAM_LEADER, lambda n: "/performance/"),
        "performance dashboard (five years)": (TEAM_LEADER, lambda n: dashboard_path(years=5)),
    }


def dashboard_path(*, years: int) -> str:
    """The dashboard for the `years` years up to today, as its filters put it in the address."""
    until = date.today()
    since = until.replace(year=until.year - years) + timedelta(days=1)
    return "/performance/?" + urllib.parse.urlencode(
        {"since_0": since.day, "since_1": since.month, "since_2": since.year}
        | {"until_0": until.day, "until_1": until.month, "until_2": until.year}
    )


def search_path(criteria: dict[str, str]) -> str:
    return "/people/?" + urllib.parse.urlencode(criteria)


def measure(browser: Browser, paths: list[str]) -> list[Answer]:
    return [browser.get(path) for path in paths]


def summarise(what: str, answers: list[Answer], *, median_target: float | None, p95_target: float) -> Figure:
    app = [answer.app_ms for answer in answers]
    overheads = [answer.app_ms / answer.db_ms for answer in answers if answer.db_ms > 0]
    figure = Figure(
        what=what,
        median_ms=round(statistics.median(app), 1),
        p95_ms=round(percentile(app, 0.95), 1),
        count=len(answers),
        queries=max(answer.queries for answer in answers),
        overhead=round(statistics.median(overheads), 2) if overheads else 0.0,
        outside_sql_ms=round(statistics.median(answer.app_ms - answer.db_ms for answer in answers), 1),
        statuses=sorted({answer.status for answer in answers}),
    )
    figure.target = (f"median ≤ {median_target:g}, " if median_target else "") + f"p95 ≤ {p95_target:g}"
    figure.met = figure.p95_ms <= p95_target and (median_target is None or figure.median_ms <= median_target)
    return figure


def _load_worker(
    port: int, cookies: dict[str, str], paths: list[str], seconds: float, start_at: float, out: Any
) -> None:
    browser = Browser(port, cookies)
    chooser = random.Random(os.getpid())
    while time.time() < start_at:
        time.sleep(0.005)
    stop = time.monotonic() + seconds
    walls: list[float] = []
    errors = 0
    while time.monotonic() < stop:
        answer = browser.get(chooser.choice(paths))
        walls.append(answer.wall_ms)
        errors += answer.status != 200
    out.put((walls, errors))


def under_load(port: int, cookies: dict[str, str], paths: list[str], *, clients: int, seconds: float) -> dict[str, Any]:
    """`clients` browsers in their own processes, each asking for one of `paths` after another."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.time() + 1.5
    workers = [
        context.Process(target=_load_worker, args=(port, cookies, paths, seconds, start_at, results))
        for _ in range(clients)
    ]
    for worker in workers:
        worker.start()
    gathered = [results.get(timeout=seconds + 120) for _ in workers]
    for worker in workers:
        worker.join()
    walls = [wall for worker_walls, _ in gathered for wall in worker_walls]
    return {
        "clients": clients,
        "seconds": seconds,
        "requests": len(walls),
        "requests_a_second": round(len(walls) / seconds, 1),
        "median_ms": round(statistics.median(walls), 1) if walls else 0.0,
        "p95_ms": round(percentile(walls, 0.95), 1),
        "errors": sum(errors for _, errors in gathered),
    }


# The run -----------------------------------------------------------------------------------------


def production_checks(port: int) -> dict[str, Any]:
    """What the issue asks of the production configuration: healthy, a page, a static file."""
    browser = Browser(port)
    health = browser.request("GET", "/healthz", proxy=False)
    page = browser.get("/sign-in/")
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', page.body)
    static = browser.get(stylesheet[1].decode()) if stylesheet else None
    insecure = Browser(port).request("GET", "/sign-in/", proxy=False)
    return {
        "healthz": health.status,
        "healthz_body": json.loads(health.body or b"{}"),
        "sign_in_page": page.status,
        "static_file": static.status if static else None,
        "static_cache_control": static.headers.get("cache-control", "") if static else "",
        # The headers every page carries (earlyhelp/core/headers.py, django-csp, HSTS).
        "page_headers": {
            name: page.headers.get(name, "")
            for name in (
                "cache-control",
                "content-security-policy",
                "permissions-policy",
                "strict-transport-security",
                "x-frame-options",
            )
        },
        "plain_http_redirected_to_https": insecure.status == 301
        and insecure.headers.get("location", "").startswith("https://"),
    }


def pages_measured(port: int, samples: Samples, repeats: int) -> tuple[list[Figure], dict[str, dict[str, str]]]:
    browsers = {FRONT_DOOR: Browser(port), TEAM_LEADER: Browser(port), COACH: Browser(port), FORUM: Browser(port)}
    for email, browser in browsers.items():
        browser.sign_in(email)
    pages = page_paths(samples)
    # Every page opened a few times first, as a user's day has: the first of each is not typical
    # (a process's first request, a home page with nothing yet recently viewed).
    for email, path_of in pages.values():
        measure(browsers[email], [path_of(n) for n in range(3)])
    measure(browsers[TEAM_LEADER], [pages["person page"][1](0)])
    # Round after round of every page, not each page's requests in a block: a shared machine's
    # slow minute then falls on every page alike instead of on whichever page it caught.
    answered: dict[str, list[Answer]] = {what: [] for what in pages}
    for n in range(repeats):
        for what, (email, path_of) in pages.items():
            answered[what].append(browsers[email].get(path_of(n)))
    figures = []
    for what in pages:
        if what in DASHBOARD_P95:
            figure = summarise(what, answered[what], median_target=None, p95_target=DASHBOARD_P95[what])
            figure.met = figure.met and figure.queries <= MOST_QUERIES_DASHBOARD and figure.statuses == [200]
            figures.append(figure)
            continue
        figure = summarise(what, answered[what], median_target=PAGE_MEDIAN, p95_target=PAGE_P95)
        ceiling = MOST_QUERIES_CASEWORK if what in CASEWORK_PAGES else MOST_QUERIES
        figure.met = figure.met and figure.queries <= ceiling and figure.statuses == [200]
        figures.append(figure)
    return figures, {email: browser.cookies for email, browser in browsers.items()}


def searches_measured(port: int, cookies: dict[str, str], samples: Samples, repeats: int) -> list[Figure]:
    browser = Browser(port, cookies)
    target = SEARCH_P95[1_000_000] if samples.people_held > 500_000 else SEARCH_P95[250_000]
    for criteria in samples.searches.values():
        measure(browser, [search_path(criteria[n % len(criteria)]) for n in range(2)])
    # Round after round of every kind of search, as the pages are measured.
    answered: dict[str, list[Answer]] = {what: [] for what in samples.searches}
    for n in range(repeats):
        for what, criteria in samples.searches.items():
            answered[what].append(browser.get(search_path(criteria[n % len(criteria)])))
    figures = []
    for what in samples.searches:
        figure = summarise(f"search: {what}", answered[what], median_target=None, p95_target=target)
        figure.met = figure.met and figure.statuses == [200]
        figures.append(figure)
    return figures


def run(arguments: argparse.Namespace) -> dict[str, Any]:
    say = print
    smoke = arguments.smoke
    work = Path(tempfile.mkdtemp(prefix="earlyhelp-bench-"))
    try:
        if smoke:
            small_db = f"sqlite:///{work / 'small.sqlite3'}"
            manage(small_db, "migrate", "--no-input")
            manage(small_db, "thresholds", "load")
            manage(small_db, "generate_demo", "--people", "300", "--years", "1")
            large_db = f"sqlite:///{work / 'large.sqlite3'}"
            shutil.copy(work / "small.sqlite3", work / "large.sqlite3")
            manage(large_db, "generate_demo", "--people", "1500", "--years", "1", "--seed", "7")
        else:
            small_db = postgres_database_ready(f"{arguments.database}_small", 3_000, say)
            large_db = postgres_database_ready(arguments.database, arguments.people, say)
        for database in (small_db, large_db):
            manage(database, "two_step_code")  # the demo users' authenticator apps, if not yet given
        static_root = work / "static"
        static_files_collected(static_root)
        repeats = 2 if smoke else arguments.repeats
        seconds = 2.0 if smoke else arguments.seconds
        clients = 2 if smoke else arguments.clients
        workers = 2 if smoke else arguments.workers

        redis = "" if smoke else redis_if_running()
        # The same set-up for both sizes (with Redis, a session is read without a query).
        with gunicorn(small_db, static_root, workers=2, threads=2, redis=redis) as port:
            small_pages, _ = pages_measured(port, samples_of(small_db), repeats=2)

        large_samples = samples_of(large_db)
        say(f"Measuring {large_samples.people_held:,} people under gunicorn ({workers} workers)…")
        with gunicorn(large_db, static_root, workers=workers, threads=arguments.threads, redis=redis) as port:
            production = production_checks(port)
            pages, cookies = pages_measured(port, large_samples, repeats)
            searches = searches_measured(port, cookies[FRONT_DOOR], large_samples, repeats)
            name_searches = [
                search_path(criteria)
                for what in ("surname", "forename and surname", "name and date of birth", "surname and postcode")
                for criteria in large_samples.searches[what]
            ]
            concurrent = under_load(port, cookies[FRONT_DOOR], name_searches, clients=clients, seconds=seconds)
            concurrent["target"] = f"p95 ≤ {SEARCH_P95_CONCURRENT}"
            concurrent["met"] = concurrent["p95_ms"] <= SEARCH_P95_CONCURRENT and not concurrent["errors"]
            mix = mixed_paths(large_samples)
            load = under_load(port, cookies[FRONT_DOOR], mix, clients=clients, seconds=seconds)
            load["target"] = f"≥ {LOAD_REQUESTS_A_SECOND} requests/s, p95 ≤ {LOAD_P95}"
            fast_enough = load["requests_a_second"] >= LOAD_REQUESTS_A_SECOND and load["p95_ms"] <= LOAD_P95
            load["met"] = fast_enough and not load["errors"]
        queries_by_size = {
            small.what: {"small": small.queries, "large": large.queries, "constant": small.queries == large.queries}
            for small, large in zip(small_pages, pages, strict=True)
        }
        return {
            "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "smoke": smoke,
            "machine": machine(),
            "people": large_samples.people_held,
            "gunicorn": {"workers": workers, "threads": arguments.threads},
            "cache_and_sessions": "Redis" if redis else "memory and the database",
            "production": production,
            "pages": [asdict(figure) for figure in pages],
            "queries_by_size": queries_by_size,
            "searches": [asdict(figure) for figure in searches],
            "concurrent_searches": concurrent,
            "mixed_load": load,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def mixed_paths(samples: Samples) -> list[str]:
    """What a front door's day asks for: searches most, then records, the queue and home."""
    mix: list[str] = []
    for n in range(40):
        criteria = samples.searches[("surname", "forename and surname", "name and date of birth", "postcode")[n % 4]]
        mix += [search_path(criteria[n % len(criteria)])] * 4
        mix += [f"/people/{samples.people[n % len(samples.people)]}/"] * 2
        mix.append(f"/families/{samples.families[n % len(samples.families)]}/")
        mix.append(f"/front-door/contacts/{samples.contacts[n % len(samples.contacts)]}/")
        mix.append("/front-door/")
        mix.append("/")
    return mix


def machine() -> dict[str, Any]:
    memory = ""
    with suppress(OSError, StopIteration):
        memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return {
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "system": platform.platform(),
        "python": platform.python_version(),
        "memory": memory.split(":", 1)[-1].strip(),
    }


def report(results: dict[str, Any]) -> bool:
    """Print the table; True when every target is met."""
    rows: list[tuple[str, str, str, str, str]] = []
    met = []
    for figure in results["pages"] + results["searches"]:
        queries = f"{figure['queries']}" if figure["queries"] >= 0 else "-"
        rows.append(
            (
                figure["what"],
                f"{figure['median_ms']:.1f} / {figure['p95_ms']:.1f}",
                f"{queries} q, ×{figure['overhead']:.1f}",
                figure["target"],
                "met" if figure["met"] else "MISSED",
            )
        )
        met.append(figure["met"])
    for what, key in (("8 clients searching", "concurrent_searches"), ("mixed load", "mixed_load")):
        figure = results[key]
        rows.append(
            (
                f"{what} ({figure['clients']} clients)",
                f"{figure['median_ms']:.1f} / {figure['p95_ms']:.1f}",
                f"{figure['requests_a_second']:.0f} req/s, {figure['errors']} errors",
                figure["target"],
                "met" if figure["met"] else "MISSED",
            )
        )
        met.append(figure["met"])
    widths = [max(len(row[i]) for row in [*rows, HEADINGS]) for i in range(5)]
    print()
    print(f"{results['people']:,} people; {results['machine']['cpus']} CPUs; {results['when']}")
    for row in [HEADINGS, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print()
    print("Queries per page at two sizes of data (must be the same):")
    for what, sizes in results["queries_by_size"].items():
        print(f"  {what}: {sizes['small']} and {sizes['large']}{'' if sizes['constant'] else '  NOT CONSTANT'}")
        met.append(sizes["constant"])
    print(f"Server time ÷ its own SQL (target ≤ {OVERHEAD_TARGET:g}; reported, see docs/performance.md):")
    for figure in results["pages"]:
        within = "met" if figure["overhead"] <= OVERHEAD_TARGET else "above"
        print(f"  {figure['what']}: ×{figure['overhead']:.1f}, {figure['outside_sql_ms']:.1f} ms outside SQL  {within}")
    production = results["production"]
    print(
        f"Production: /healthz {production['healthz']}, sign-in page {production['sign_in_page']}, "
        f"static file {production['static_file']} ({production['static_cache_control']}), "
        f"plain HTTP redirected: {production['plain_http_redirected_to_https']}"
    )
    return all(met)


OVERHEAD_TARGET = 2.0


def markdown(results: dict[str, Any]) -> str:
    """The results as docs/performance.md shows them: `tools/bench.py --markdown build/bench.json`."""
    machine = results["machine"]
    lines = [
        f"Run {results['when']} on {machine['cpus']} CPUs ({machine['processor']}, {machine['memory']}, "
        f"Python {machine['python']}), PostgreSQL on the same machine, {results['cache_and_sessions']} for cache "
        f"and sessions, gunicorn {results['gunicorn']['workers']} workers × {results['gunicorn']['threads']} threads, "
        f"the load generator on the same cores; {results['people']:,} people.",
        "",
        "| what | median ms | p95 ms | queries | server ÷ SQL | outside SQL ms | target | |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for figure in results["pages"] + results["searches"]:
        lines.append(
            f"| {figure['what']} | {figure['median_ms']:.1f} | {figure['p95_ms']:.1f} | {figure['queries']} "
            f"| {figure['overhead']:.1f} | {figure.get('outside_sql_ms', 0):.1f} | {figure['target']} "
            f"| {'met' if figure['met'] else '**missed**'} |"
        )
    for key in ("concurrent_searches", "mixed_load"):
        figure = results[key]
        what = "8 clients searching by name" if key == "concurrent_searches" else "mixed load, 8 clients"
        lines.append(
            f"| {what} | {figure['median_ms']:.1f} | {figure['p95_ms']:.1f} "
            f"| {figure['requests_a_second']:.0f} requests/s | | | {figure['target']} "
            f"| {'met' if figure['met'] else '**missed**'} |"
        )
    sizes = "; ".join(
        f"{what} {size['small']} and {size['large']}" for what, size in results["queries_by_size"].items()
    )
    lines += ["", f"Queries per page, small data and {results['people']:,} people: {sizes}."]
    return "\n".join(lines)


HEADINGS = ("what", "median / p95 ms", "queries, server÷SQL", "target (ms)", "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="A few thousand people on SQLite, briefly")
    parser.add_argument("--people", type=int, default=250_000, help="People to measure (default 250,000)")
    parser.add_argument("--database", default="earlyhelp_bench", help="PostgreSQL database name to use or create")
    parser.add_argument("--repeats", type=int, default=60, help="Requests per page and per search")
    parser.add_argument("--seconds", type=float, default=20, help="How long each load test runs")
    parser.add_argument("--clients", type=int, default=8, help="Clients at once under load")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="Threads per gunicorn worker")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "bench.json", help="Where to write the results")
    parser.add_argument("--strict", action="store_true", help="Fail when a target is missed")
    parser.add_argument("--markdown", type=Path, help="Print these results (JSON) as docs/performance.md's table")
    arguments = parser.parse_args()
    if arguments.markdown:
        print(markdown(json.loads(arguments.markdown.read_text())))
        return 0
    if arguments.people > 500_000 and arguments.database == "earlyhelp_bench":
        arguments.database = f"earlyhelp_bench_{arguments.people}"
    results = run(arguments)
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    all_met = report(results)
    print(f"Written to {arguments.json}")
    statuses = {status for figure in results["pages"] + results["searches"] for status in figure["statuses"]}
    if statuses != {200} or results["production"]["healthz"] != 200:
        print("Some pages did not answer 200: see the JSON.")
        return 1
    return 0 if all_met or not arguments.strict else 2


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
