"""Accessibility that can be checked without a browser: the palette's contrast (WCAG 2.1), and every
template's inputs have labels. Rendered pages (one h1, heading order, labels, the skip link) are
checked by ``tests/test_route_access.py`` over every page; focus, keyboard and phone width by the
browser tests."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[1] / "src" / "forcewatch" / "web"
CSS = (WEB / "static" / "forcewatch.css").read_text(encoding="utf-8")


def _palette() -> dict[str, str]:
    root = re.search(r":root\s*{([^}]*)}", CSS)
    assert root is not None
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root.group(1)))


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_ratio_is_computed_as_wcag_defines_it() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss


#: (text, background) pairs the stylesheet uses; body text needs 4.5:1 (WCAG AA)
PAIRS = [("ink", "paper"), ("muted", "paper"), ("link", "paper"), ("link-visited", "paper"), ("bad", "paper"),
         ("warn", "paper"), ("good", "paper"), ("ink", "band"), ("muted", "band"), ("link", "band"),
         ("warn", "band"), ("ink", "focus"), ("#ffffff", "accent"), ("#ffffff", "good"), ("ink", "#fff7bf")]


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_the_palette_meets_wcag_aa_contrast(text: str, background: str) -> None:
    colours = _palette()
    fg, bg = (colours.get(c, c) for c in (text, background))
    assert contrast(fg, bg) >= 4.5, f"{text} on {background}: {contrast(fg, bg):.2f}"


def test_focus_is_visible_on_every_control() -> None:
    rule = re.search(r"a:focus, button:focus, input:focus, select:focus, textarea:focus[^{]*{([^}]*)}", CSS)
    assert rule is not None and "outline: 3px solid var(--focus)" in rule.group(1)
    assert ".skip-link:focus" in CSS


class _Controls(HTMLParser):
    """Inputs with a literal id, and the ids labels point at, in one template."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple[str, str]] = []
        self.labelled: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.labelled.add(str(a["for"]))
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit", "button"):
            if a.get("aria-label") or a.get("aria-labelledby"):
                return
            self.controls.append((tag, str(a.get("id") or "")))


@pytest.mark.parametrize("template", sorted(p.name for p in (WEB / "templates").glob("*.html")))
def test_every_input_in_a_template_has_a_label(template: str) -> None:
    text = (WEB / "templates" / template).read_text(encoding="utf-8")
    parser = _Controls()
    parser.feed(text)
    missing = [f"<{tag} id={id_!r}>" for tag, id_ in parser.controls
               if "{{" not in id_ and "{%" not in id_ and id_ not in parser.labelled]
    assert missing == [], f"{template}: controls without a <label for=...>: {missing}"
