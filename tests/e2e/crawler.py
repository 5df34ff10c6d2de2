"""A bounded, breadth-first crawl of a signed-in user's pages that collects every problem it sees.

A page is sound when its navigation does not fail (no 4xx/5xx: a link the app shows must work), the
browser logs no console error and no uncaught script error, no request fails or answers >= 400, every
request goes to the app's own host, and an HTML page has a non-empty <title>, exactly one <h1> and nothing wider
than the window (a wide table scrolls in its own box; the Django admin's pages are its own and left out).
"""

import heapq
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlsplit

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import ConsoleMessage, Page, Request, Response, expect
from playwright.sync_api import Error as PlaywrightError

# JSON endpoints are no pages; the Swagger UI is.
API_PAGES = ("/api/docs/",)
# Pages whose layout is not ours: the width check leaves them out.
FOREIGN_LAYOUTS = ("/admin/", *API_PAGES)
# Links never followed: signing out would end the crawl; add destructive GET links here.
SKIPPED_PATHS = re.compile(r"/logout/?$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
SETTLE_TIMEOUT = 5.0  # seconds a page may keep requests in flight after its load event
RENDER_TIMEOUT = 3_000  # milliseconds a script may take to render the <title> and the <h1>
QUIET = 0.1  # seconds without a request in flight before a page counts as settled


def url_shape(url: str) -> str:
    """Return the URL with ids, uuids and captured slugs as placeholders, and only the query's keys.

    Path segments the URL resolver captures (a product's slug, the admin's app label) become
    ``<name>``; all-digit segments and uuids become ``<id>`` and ``<uuid>`` even where nothing resolves.
    """
    parts = urlsplit(url)
    try:
        captured = {str(value): f"<{name}>" for name, value in resolve(parts.path).kwargs.items()}
    except Resolver404:
        captured = {}
    segments = []
    for segment in parts.path.split("/"):
        if segment.isdigit():
            segment = "<id>"
        elif UUID.match(segment):
            segment = "<uuid>"
        elif segment in captured:
            segment = captured[segment]
        segments.append(segment)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


@dataclass(order=True)
class _Link:
    # Breadth first; within a depth, a shape's first page before its second, plain paths before queries.
    depth: int
    rank: int
    has_query: bool
    order: int
    url: str = field(compare=False)
    found_on: str = field(compare=False)


@dataclass
class Crawl:
    """Crawl ``page`` (already signed in) from ``start``, at most ``max_pages`` pages, ``per_shape`` per shape."""

    page: Page
    base_url: str
    max_pages: int = 150
    per_shape: int = 3
    visited: list[str] = field(default_factory=list)
    shapes: Counter = field(default_factory=Counter)
    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        self.origin = urlsplit(self.base_url).netloc
        self.sign_in_paths = {resolve_url(settings.LOGIN_URL), reverse("admin:login")}
        self.current = "(before the first page)"
        self.in_flight: set[Request] = set()
        # Each main-frame navigation starts a new document; a request keeps the number of the one it began on.
        self.document = 0
        self.document_of: dict[Request, int] = {}
        self.last_activity = time.monotonic()
        page = self.page
        page.set_default_timeout(15_000)
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_request_done)
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.report(f"uncaught script error: {error.message or error.name}"))

    # --- Problems ------------------------------------------------------------------

    def report(self, problem: str, url: str | None = None) -> None:
        self.problems[problem].append(url or self.current)

    def problem_lines(self) -> list[str]:
        """Return one ``url: problem`` line per problem; a problem seen on many pages names the first few."""
        lines = []
        for problem, urls in self.problems.items():
            urls = list(dict.fromkeys(urls))
            where = ", ".join(urls[:3]) + (f" and {len(urls) - 3} more pages" if len(urls) > 3 else "")
            lines.append(f"{where}: {problem}")
        return lines

    # --- Browser events ----------------------------------------------------------------

    def _on_request(self, request: Request) -> None:
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.document += 1
        self.document_of[request] = self.document
        self.in_flight.add(request)
        self.last_activity = time.monotonic()
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.origin:
            self.report(f"request to another host: {request.url}")

    def _on_request_done(self, request: Request) -> None:
        self.in_flight.discard(request)
        self.document_of.pop(request, None)
        self.last_activity = time.monotonic()

    def _on_request_failed(self, request: Request) -> None:
        document = self.document_of.get(request, self.document)
        self._on_request_done(request)
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            return  # visit() reports a navigation that fails
        if request.failure == "net::ERR_ABORTED" and document < self.document:
            return  # cut off by leaving its page (a late icon fetch, say): the crawl's doing, not the page's
        self.report(f"request failed: {request.method} {self.relative(request.url)} ({request.failure})")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = self.relative(message.location.get("url") or "")
        if message.text.startswith("Failed to load resource") and source == self.current:
            return  # the page's own status, which visit() reports with the page that linked to it
        self.report(f"console error: {message.text}" + (f" (at {source})" if source and source != self.current else ""))

    def _on_response(self, response: Response) -> None:
        request = response.request
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            return  # the navigation's own status is checked by visit()
        if response.status >= 400:
            self.report(f"HTTP {response.status} for {request.resource_type} {self.relative(response.url)}")

    def settle(self) -> None:
        """Wait until no request has been in flight for a moment (fetches started by scripts, Swagger's schema)."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while time.monotonic() < deadline:
            if not self.in_flight and time.monotonic() - self.last_activity >= QUIET:
                return
            self.page.wait_for_timeout(25)
        pending = ", ".join(sorted(self.relative(request.url) for request in self.in_flight))
        self.report(f"requests still pending {SETTLE_TIMEOUT:.0f} s after load: {pending}")

    # --- Links -------------------------------------------------------------------------

    def relative(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.netloc != self.origin:
            return url
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def followable(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != self.origin:
            return False
        if parts.path.startswith("/api/") and not parts.path.startswith(API_PAGES):
            return False
        return not SKIPPED_PATHS.search(parts.path)

    # --- The crawl ------------------------------------------------------------------

    def run(self, start: str = "/") -> None:
        queue: list[_Link] = []
        queued: dict[str, int] = {}  # URL shape -> how many of its URLs are queued or visited
        seen: set[str] = set()
        order = 0

        def enqueue(url: str, depth: int, found_on: str) -> None:
            nonlocal order
            url = urldefrag(url)[0]
            if url in seen or not self.followable(url):
                return
            seen.add(url)
            shape = url_shape(url)
            if queued.get(shape, 0) >= self.per_shape:
                return
            queued[shape] = queued.get(shape, 0) + 1
            order += 1
            heapq.heappush(queue, _Link(depth, queued[shape], "?" in url, order, url, found_on))

        enqueue(self.base_url + start, 0, "(start)")
        while queue and len(self.visited) < self.max_pages:
            link = heapq.heappop(queue)
            for url in self.visit(link):
                enqueue(url, link.depth + 1, self.relative(link.url))

    def visit(self, link: _Link) -> list[str]:
        """Open one page, record its problems, and return the links on it."""
        self.current = self.relative(link.url)
        self.visited.append(self.current)
        self.shapes[url_shape(self.current)] += 1
        try:
            response = self.page.goto(link.url)
        except PlaywrightError as error:
            if "Download is starting" in error.message:
                # A file to download (a PDF, a CSV) is no page: only its status matters.
                status = self.page.request.get(link.url).status
                if status >= 400:
                    self.report(f"HTTP {status} (linked from {link.found_on})")
            else:
                self.report(f"navigation failed: {error.message.splitlines()[0]} (linked from {link.found_on})")
            return []
        self.settle()
        if response is None:
            self.report(f"navigation gave no response (linked from {link.found_on})")
            return []
        if response.status >= 400:
            self.report(f"HTTP {response.status} (linked from {link.found_on})")
        if urlsplit(self.page.url).path in self.sign_in_paths - {urlsplit(link.url).path}:
            self.report(f"sent to the sign-in page (linked from {link.found_on})")
            return []
        if not response.headers.get("content-type", "").startswith("text/html"):
            return []
        self.check_document()
        return self.page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")

    def check_document(self, url: str | None = None) -> None:
        """Check the open HTML page: a non-empty <title>, exactly one <h1>, no sideways scrolling of the page.

        Title and heading are retried for a moment, as a page whose script renders them (Swagger UI) may still be
        at it.
        """
        if not urlsplit(self.page.url).path.startswith(FOREIGN_LAYOUTS):
            page_width, window = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if page_width > window + 1:
                self.report(f"wider than the window: {page_width} px in {window} px (the page scrolls sideways)", url)
        try:
            expect(self.page).to_have_title(re.compile(r"\S"), timeout=RENDER_TIMEOUT)
        except AssertionError:
            self.report("empty or missing <title>", url)
        headings = self.page.locator("h1")
        try:
            expect(headings).to_have_count(1, timeout=RENDER_TIMEOUT)
        except AssertionError:
            texts = ", ".join(repr(" ".join(text.split())) for text in headings.all_inner_texts())
            self.report(f"{headings.count()} <h1> elements, expected exactly one{': ' + texts if texts else ''}", url)
