"""Crawl what an anonymous visitor can reach, and check it for small cells and person-level data.

Used by tests/test_proof_public.py. Pages are discovered, never listed: every same-site link of
every page reached from ``/`` and ``/public``, and each page's ``.json`` and ``.csv`` twins, so
pages added later are covered without changing the crawler.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import urldefrag, urljoin, urlsplit

from fastapi.testclient import TestClient

#: keys that hold a person, or what a person wrote, and never belong in a public output
PERSON_KEYS = frozenset({
    "officer_pseudonym", "pseudonym", "officer_id", "staff_id", "victim_staff_id", "victim_pseudonym",
    "collar_number", "collar", "warrant_number", "date_of_birth", "dob", "birth_date", "full_name",
    "display_name", "username", "user", "email", "free_text", "submission_text",
    "author", "respondent", "reviewed_by", "recorded_by", "submitted_by", "created_by", "actor", "officer_team",
    "subject_name", "address", "postcode", "crime_ref", "crime_reference",
})
#: numeric keys that are not counts of people or events
NOT_COUNTS = frozenset({
    "threshold", "year", "seq", "version", "id", "rank", "stage", "position", "order", "page", "pages",
    "per_page", "level", "month", "day", "quarter", "digits", "decimals", "width", "height", "columns", "run_no",
    "row", "column", "index", "step", "steps", "assessment_id", "source_file_id", "schema_version",
    "financial_year", "start", "end", "min", "max", "limit", "offset", "number", "code", "group", "per",
    "publications",  # how many publications a force has: documents, not people or events
})
SKIP = re.compile(r"^/(login|logout|static/)|\.(pdf|png|svg|js|css|ico|woff2?)$")


@dataclass
class Crawl:
    pages: dict[str, int] = field(default_factory=dict)  # path -> status
    documents: dict[str, Any] = field(default_factory=dict)  # path -> parsed JSON, or CSV rows
    texts: dict[str, str] = field(default_factory=dict)  # path -> body text


def crawl(client: TestClient, starts: Iterable[str] = ("/", "/public"), limit: int = 600) -> Crawl:
    found = Crawl()
    queue: deque[str] = deque(starts)
    seen: set[str] = set(starts)
    while queue and len(found.pages) < limit:
        path = queue.popleft()
        response = client.get(path, follow_redirects=False)
        found.pages[path] = response.status_code
        if response.status_code != 200:
            continue
        kind = response.headers.get("content-type", "")
        found.texts[path] = response.text
        links: list[str] = []
        if "json" in kind:
            found.documents[path] = response.json()
        elif "csv" in kind:
            found.documents[path] = list(csv.reader(io.StringIO(response.text)))
        elif "html" in kind:
            links = re.findall(r'href="([^"]+)"', response.text)
            bare = urlsplit(path).path
            if not bare.endswith((".json", ".csv")):
                stem = bare.rstrip("/") or "/index"
                links += [stem + ".json", stem + ".csv"]
        for link in links:
            target = urldefrag(urljoin("http://testserver" + path, link.replace("&amp;", "&")))[0]
            parts = urlsplit(target)
            if parts.netloc != "testserver":
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in seen and not SKIP.search(parts.path):
                seen.add(local)
                queue.append(local)
    return found


def person_fields(document: Any, where: str = "") -> list[str]:
    """Paths of keys (JSON) or headings (CSV) that name a person or what a person wrote."""
    found = []
    if isinstance(document, dict):
        for key, value in document.items():
            if str(key).lower() in PERSON_KEYS and value not in (None, "", [], {}):
                found.append(f"{where}.{key}")
            found += person_fields(value, f"{where}.{key}")
    elif isinstance(document, list):
        if document and isinstance(document[0], list):  # CSV rows: the heading row
            found += [f"{where} column {h!r}" for h in document[0] if str(h).lower() in PERSON_KEYS]
        else:
            for i, item in enumerate(document[:2000]):
                found += person_fields(item, f"{where}[{i}]")
    return found


def _rule(document: Any) -> int | None:
    """The suppression threshold a JSON document says it applies, if it says so."""
    if isinstance(document, dict):
        for key, value in document.items():
            if "suppress" in str(key).lower() and isinstance(value, dict) and isinstance(value.get("threshold"), int):
                return value["threshold"]
            if str(key).lower() in ("suppression_threshold",) and isinstance(value, int):
                return value
            inner = _rule(value)
            if inner is not None:
                return inner
    elif isinstance(document, list):
        for item in document[:50]:
            inner = _rule(item)
            if inner is not None:
                return inner
    return None


def _says_suppressed(document: Any) -> bool:
    """A document applies suppression if it says it is public or marks a suppressed cell."""
    if isinstance(document, dict):
        if document.get("public") is True or "suppressed" in document:
            return True
        return any(_says_suppressed(v) for v in document.values())
    if isinstance(document, list):
        return any(_says_suppressed(v) for v in document[:200])
    return document == "suppressed"


NOT_COUNT_PREFIXES = ("pct_", "mean_", "median_", "rate", "ratio", "share", "per_", "lower", "upper", "ci_", "z",
                      "score", "weight", "minutes", "hours", "days", "age", "years")


def small_cells(document: Any, default_threshold: int = 5) -> list[str]:
    """Counts from 1 to the threshold in a document where small-number suppression applies."""
    threshold = _rule(document)
    if threshold is None and _says_suppressed(document):
        threshold = default_threshold
    if not threshold:
        return []
    found: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                name = str(key).lower()
                count = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
                if (count and not isinstance(value, bool) and 1 <= value <= threshold
                        and name not in NOT_COUNTS and not name.endswith(("_id", "_year", "_seq", "_version"))
                        and not name.startswith(NOT_COUNT_PREFIXES) and "threshold" not in name):
                    found.append(f"{where}.{key} = {value}")
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{where}[{i}]")

    walk(document, "")
    return found
