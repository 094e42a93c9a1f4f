"""The forms on a page as a browser would send them untouched: for tests that fill in a form
from what the page renders (tests/test_double_click.py, tests/test_plausible_dates.py)."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    """Every <form method="post"> of a page: its action and the values a browser would send
    without anyone typing (inputs' values, checked radios and boxes, selected options, textareas;
    the first button's name)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._open = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._open = a.get("method", "").lower() == "post"
            if self._open:
                self.forms.append({"action": a.get("action"), "data": {}, "button": None})
            return
        if not self._open:
            return
        data = self.forms[-1]["data"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    data[name] = a.get("value", "on")
            elif kind != "file":
                data[name] = a.get("value", "")
        elif tag == "button" and name and self.forms[-1]["button"] is None:
            self.forms[-1]["button"] = name
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            data[name] = ""

    def handle_data(self, text):
        if self._textarea and self.forms:
            self.forms[-1]["data"][self._textarea] += text

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the newline that starts a textarea's content.
            data = self.forms[-1]["data"]
            data[self._textarea] = data[self._textarea].removeprefix("\n")
            self._textarea = None


def post_forms(html: str) -> list[dict]:
    """Each <form method="post"> of `html`: {"action", "data", "button"}."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms
