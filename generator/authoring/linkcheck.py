"""Every external link in papers/ followed, politely: which ones are dead, and where each is written.

A link is any value in a paper file or registry that is a whole http(s) URL: sources' `url` and
`archived`, `links.*` (paper, code, project, ...), a dataset's or venue's `url`. Each distinct URL is
asked once, and reported at every place it is written.

Polite limits: one request at a time per host (two with per_host=2), `delay` seconds between two
requests to one host, `timeout` seconds for an answer, at most `max_requests` requests in all (the
rest is reported as not checked), redirects followed up to 5, a User-Agent that names the project.
HEAD first; a HEAD that is refused or fails is asked again with GET (some servers answer HEAD with
403, 404 or 405 for a page that is there), and a GET reads at most 64 KiB.

Dead: 404, 410 and other 4xx (but 401, 403 and 429: a server that turns a checker away says nothing
about the page), 5xx, a time-out, a host that cannot be reached. A redirect to another site is not
dead but is noted: a page that has gone often redirects (Papers with Code's pages now lead elsewhere).
"""

from __future__ import annotations

import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from generator.authoring.lookup import user_agent
from generator.format import formatters
from generator.format.load import LoadError, Map, Node, Scalar, Seq, load_file
from generator.format.problems import Span, relpath

URL = re.compile(r"https?://[^\s/?#]+[^\s]*\Z", re.I)
TEXT_KEYS = {"notes", "abstract"}  # prose, whose links are the writer's business
READ_LIMIT = 64 << 10
MAX_REDIRECTS = 5
NOT_DEAD = {401, 403, 429}  # the server turned the checker away: unknown, not dead


@dataclass(frozen=True)
class Link:
    url: str
    span: Span
    path: str  # key path inside the file, e.g. results[0].source.url


@dataclass
class Outcome:
    url: str
    status: Optional[int] = None  # the last HTTP status, None when there was no answer
    final_url: str = ""
    error: str = ""  # why there was no answer
    requests: int = 0
    checked: bool = True

    @property
    def dead(self) -> bool:
        if not self.checked:
            return False
        if self.status is None:
            return True
        return self.status >= 400 and self.status not in NOT_DEAD

    @property
    def moved(self) -> bool:
        """Redirected to another site."""

        def site(u: str) -> str:
            return re.sub(r"^www\.", "", (urllib.parse.urlsplit(u).hostname or "").lower())

        return bool(self.final_url) and site(self.final_url) != site(self.url)

    def what(self) -> str:
        if not self.checked:
            return "was not checked: the cap on requests was reached"
        if self.status is None:
            return self.error
        if self.status in NOT_DEAD:
            return f"answered {self.status} (the server turns checkers away; not counted as dead)"
        return f"answered {self.status}"


# Collecting ------------------------------------------------------------------------------------


def _walk(node: Node, path: str, out: list[Link]) -> None:
    if isinstance(node, Map):
        for key, (_, value) in node.items.items():
            if key not in TEXT_KEYS:
                _walk(value, f"{path}.{key}" if path else key, out)
    elif isinstance(node, Seq):
        for i, item in enumerate(node.items):
            _walk(item, f"{path}[{i}]", out)
    elif isinstance(node, Scalar) and isinstance(node.value, str) and URL.match(node.value.strip()):
        out.append(Link(node.value.strip(), node.span, path))


def collect(root: Path) -> tuple[list[Link], list[str]]:
    """Every link in the registries and paper files under root, in file order; and files that do not parse."""
    files = sorted(root.glob("*.yaml")) + sorted(root.glob("*/*.yaml"))
    links: list[Link] = []
    problems: list[str] = []
    for f in files:
        try:
            node = load_file(f, relpath(f))
        except LoadError as exc:
            problems.append(formatters.text(exc.problem))
            continue
        _walk(node, "", links)
    return links, problems


# Asking ----------------------------------------------------------------------------------------


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows 301, 302, 303, 307 and 308 keeping HEAD a HEAD (urllib would turn it into a GET)."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


class Checker:
    def __init__(self, timeout: float = 15.0, delay: float = 1.0, per_host: int = 1, max_requests: int = 2000):
        self.timeout = timeout
        self.delay = delay
        self.per_host = max(1, min(2, per_host))
        self.max_requests = max_requests
        self.requests = 0
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(_Redirects())

    def _take(self) -> bool:
        with self._lock:
            if self.requests >= self.max_requests:
                return False
            self.requests += 1
            return True

    def _ask(self, url: str, method: str) -> tuple[Optional[int], str, str, bool]:
        """(status, final URL, error, worth a GET): one request, its redirects followed."""
        req = urllib.request.Request(
            url,
            method=method,
            headers={"User-Agent": user_agent(), "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        )
        waited = f"did not answer within {self.timeout:g} s"
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                if method == "GET":
                    resp.read(READ_LIMIT)
                return resp.status, resp.geturl(), "", False
        except urllib.error.HTTPError as exc:
            exc.close()
            return exc.code, exc.geturl() or url, "", True
        except TimeoutError:
            return None, "", waited, False  # a GET would wait as long again
        except urllib.error.URLError as exc:  # no such host, no route, refused: a GET fares no better
            if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                return None, "", waited, False
            return None, "", f"could not be reached ({exc.reason})", False
        except (OSError, ValueError) as exc:  # a connection dropped on HEAD, a malformed answer: try a GET
            return None, "", f"could not be reached ({type(exc).__name__}: {exc})", True

    def check_one(self, url: str) -> Outcome:
        out = Outcome(url)
        for method in ("HEAD", "GET"):
            if not self._take():
                out.checked = out.requests > 0  # a HEAD's answer stands when the cap stops the GET
                return out
            out.requests += 1
            out.status, out.final_url, out.error, retry = self._ask(url, method)
            if (out.status is not None and out.status < 400) or not retry:
                return out
            if method == "HEAD":
                time.sleep(self.delay)
        return out

    def _lane(self, urls: list[str]) -> list[Outcome]:
        outcomes = []
        for i, url in enumerate(urls):
            if i:
                time.sleep(self.delay)
            outcomes.append(self.check_one(url))
        return outcomes

    def check(self, urls: Iterable[str]) -> dict[str, Outcome]:
        """Each URL asked once: hosts in parallel, `per_host` lanes per host, one request at a time per lane."""
        by_host: dict[str, list[str]] = {}
        for url in dict.fromkeys(urls):
            by_host.setdefault((urllib.parse.urlsplit(url).netloc or "").lower(), []).append(url)
        lanes = [urls_[i :: self.per_host] for urls_ in by_host.values() for i in range(self.per_host)]
        lanes = [lane for lane in lanes if lane]
        results: dict[str, Outcome] = {}
        if not lanes:
            return results
        with ThreadPoolExecutor(max_workers=min(8, len(lanes))) as pool:
            for outcomes in pool.map(self._lane, lanes):
                for o in outcomes:
                    results[o.url] = o
        return results


# Reporting -------------------------------------------------------------------------------------


def lines(links: list[Link], outcomes: dict[str, Outcome]) -> list[str]:
    """`file:line:col: warning: link … answered 404` for the dead, `note:` for moved or turned away."""
    out = []
    for link in links:
        o = outcomes.get(link.url)
        if o is None:
            continue
        where = f"{link.span.file}:{link.span.line}:{link.span.col}"
        if o.dead:
            out.append(f"{where}: warning: link {link.url} {o.what()} [{link.path}]")
        elif not o.checked or o.status in NOT_DEAD:
            out.append(f"{where}: note: link {link.url} {o.what()} [{link.path}]")
        elif o.moved:
            out.append(
                f"{where}: note: link {link.url} redirects to another site: {o.final_url} "
                f"(has the page gone? an archived copy can go beside it as `archived:`) [{link.path}]"
            )
    return out


def _cell(text: str) -> str:
    """Untrusted text (a URL from a paper file) as a Markdown code span in a table: nothing it holds acts."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text).replace("`", "%60").replace("|", "%7C")
    return f"`{text}`"


def markdown(links: list[Link], outcomes: dict[str, Outcome], checker: Checker, when: str) -> str:
    dead = [(link, outcomes[link.url]) for link in links if link.url in outcomes and outcomes[link.url].dead]
    unchecked = sum(1 for o in outcomes.values() if not o.checked)
    head = [
        "## Dead links in papers/",
        "",
        f"Checked {len(outcomes) - unchecked} of {len(outcomes)} distinct links ({len(links)} places) "
        f"with {checker.requests} requests on {when}.",
        "",
    ]
    if unchecked:
        head += [f"{unchecked} links were not checked: the cap of {checker.max_requests} requests was reached.", ""]
    if not dead:
        return "\n".join(head + ["No dead links.", ""])
    rows = ["| where | link | answer |", "| --- | --- | --- |"]
    for link, o in dead:
        where = f"{link.span.file}:{link.span.line}"
        rows.append(f"| {_cell(where)} | {_cell(link.url)} | {_cell(o.what())} |")
    tail = [
        "",
        "Fix a link in its file, or, for a source that has gone, add an archived copy beside it "
        "(`archived: https://web.archive.org/…`, see CONTRIBUTING.md).",
        "",
    ]
    return "\n".join(head + [f"{len(dead)} places hold a dead link:", ""] + rows + tail)


@dataclass
class Run:
    links: list[Link] = field(default_factory=list)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def dead(self) -> list[Link]:
        return [link for link in self.links if self.outcomes.get(link.url) and self.outcomes[link.url].dead]


def check_tree(root: Path, checker: Checker) -> Run:
    links, problems = collect(root)
    return Run(links, checker.check(link.url for link in links), problems)
