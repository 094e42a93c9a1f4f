"""Helpers for reading dashboard pages in tests."""

import re

_MAIN = re.compile(r"<main\b.*?</main>", re.DOTALL)


def main_content(response) -> str:
    """The page's <main> element: what a dashboard shows, without the layout's per-request tokens
    (the CSRF token of the sign-out form, the CSP nonce)."""
    found = _MAIN.search(response.content.decode())
    assert found, "the page has no <main> element"
    return found.group()
