"""A faster reader of PDF page content streams for pdfminer, giving exactly the operators and
operands pdfminer's own reader gives.

pdfminer reads a page's content streams one character state at a time in pure Python
(PSBaseParser), which is about half the time it takes to lay out a page of an Ofsted report.
Here the streams are cut into tokens with one regular expression and built into operands in one
pass, following pdfminer's rules to the letter (its quirks included: an unknown escape in a
string drops the character, a lone ">" is skipped, a number that does not parse is dropped), and
then the operators are run as pdfminer runs them. Content this reader does not reproduce with
certainty (inline images, an octal escape above 255, a "\\" at a line end, a name ending in a
"#" escape at the end of the content) and any error while reading are handed back to pdfminer's
own reader, so the outcome is pdfminer's in every case.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Sequence

from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psparser import (
    KEYWORD_ARRAY_BEGIN,
    KEYWORD_ARRAY_END,
    KEYWORD_DICT_BEGIN,
    KEYWORD_DICT_END,
    KEYWORD_PROC_BEGIN,
    KEYWORD_PROC_END,
    KWD,
    LIT,
    PSKeyword,
    PSSyntaxError,
    keyword_name,
    literal_name,
)
from pdfminer.utils import choplist

# One token from pdfminer's main state (whitespace and NUL bytes between tokens skipped). The
# groups name what the token is; anything else is a one-character keyword ("[", "'", ...).
_TOKEN_RE = re.compile(
    rb"[\s\x00]*(?:"
    rb"(?P<keyword>[A-Za-z][^#/%\[\](){}<>\s]*)"
    rb"|(?P<number>[-+0-9][0-9]*)(?P<fraction>\.[0-9]*)?"
    rb"|(?P<float>\.[0-9]*)"
    rb"|/(?P<name>(?:[^#/%\[\](){}<>\s]|#[0-9a-fA-F]{0,2})*)"
    rb"|\((?P<string>[^()\\]*)\)"  # a string with no escapes or parentheses inside
    rb"|(?P<open>\()"  # any other string
    rb"|(?P<dict_begin><<)"
    rb"|<(?P<hex>[\s0-9a-fA-F]*)(?=[^\s0-9a-fA-F])"
    rb"|(?P<unterminated_hex><)"
    rb"|(?P<dict_end>>>)"
    rb"|(?P<close>>)"
    rb"|(?P<comment>%[^\r\n]*)"
    rb"|(?P<other>.)"
    rb"|(?P<end>$)"
    rb")",
    re.S,
)
_NAME_HEX_RE = re.compile(rb"#([0-9a-fA-F]{0,2})")
_SPACE_RE = re.compile(rb"\s")
_HEX_PAIR_RE = re.compile(rb"[0-9a-fA-F]{2}|.")
_STRING_STOP_RE = re.compile(rb"[()\\]")
_OCTAL = b"01234567"
_ESCAPES = {
    ord("b"): 8,
    ord("t"): 9,
    ord("n"): 10,
    ord("f"): 12,
    ord("r"): 13,
    ord("("): 40,
    ord(")"): 41,
    ord("\\"): 92,
}
# What pdfminer's reader does differently from a plain reading: a "\" then CR LF in a string
# can fall across its 4096-byte buffers; octal escapes above 255 fail an assertion; a name whose
# "#" escape ends the content is never finished.
_UNUSUAL_RE = re.compile(rb"\\\r|\\[4-7][0-7][0-7]|#[0-9a-fA-F]{0,2}\s*$")
_INLINE_IMAGE = (KWD(b"BI"), KWD(b"ID"))
_TRUE, _FALSE = b"true", b"false"


class _Unusual(Exception):
    """Content this reader leaves to pdfminer's own."""


def _hex_byte(match: re.Match) -> bytes:
    return bytes((int(match.group(0), 16),))


def _name_byte(match: re.Match) -> bytes:
    return bytes((int(match.group(1), 16),)) if match.group(1) else b""


def _string(data: bytes, pos: int) -> tuple[bytes | None, int]:
    """A string with escapes or nested parentheses, from just after its "(": its bytes (None if
    it never closes) and where reading goes on."""
    out = bytearray()
    depth = 1
    while True:
        match = _STRING_STOP_RE.search(data, pos)
        if match is None:
            return None, len(data)
        stop = match.start()
        out += data[pos:stop]
        char = data[stop]
        if char == 0x5C:  # backslash
            pos = stop + 1
            digits = 0
            code = 0
            while digits < 3 and pos < len(data) and data[pos] in _OCTAL:
                code = code * 8 + data[pos] - 0x30
                digits += 1
                pos += 1
            if digits:
                out.append(code)  # above 255 is refused beforehand (_UNUSUAL_RE)
            elif pos < len(data):
                if data[pos] in _ESCAPES:
                    out.append(_ESCAPES[data[pos]])
                pos += 1  # pdfminer drops any other escaped character
        elif char == 0x28:
            depth += 1
            out.append(char)
            pos = stop + 1
        else:
            depth -= 1
            pos = stop + 1
            if not depth:
                return bytes(out), pos
            out.append(char)


# Where each kind of token starts, before its group: "/name", "<hex>", "(string)".
_OPENER = {"name": 1, "string": 1, "hex": 1}


def _tokens(data: bytes, joins: list[int]) -> list:
    """The top-level objects of the content, as pdfminer's PDFContentParser.nextobject gives
    them: operands (numbers, names, strings, arrays, dictionaries) and operators (keywords).

    `joins` are where one stream ends and the next begins (the line break put between them).
    pdfminer ends a token cut there with a line break only when the token has some text so far,
    so a token that touches a join, or the stream's last byte before it, is left to pdfminer.
    """
    results: list = []
    guards = iter(joins)
    guard = next(guards, len(data) + 1) - 1  # the last byte of a stream, followed by the join
    stack = results  # the objects of the array, dictionary or procedure being read
    contexts: list[tuple[str | None, list]] = []
    kind: str | None = None
    pos = 0
    match_token = _TOKEN_RE.match
    while True:
        match = match_token(data, pos)
        group = match.lastgroup
        pos = match.end()
        if group == "open":
            text, pos = _string(data, pos)
            if text is None:
                raise _Unusual  # a string that never ends
        if pos > guard and group != "end":
            start = match.start("number" if group == "fraction" else group) - _OPENER.get(group, 0)
            while pos > guard:
                if start <= guard + 1:
                    raise _Unusual
                guard = next(guards, len(data) + 1) - 1
        if group == "keyword":
            word = match.group("keyword")
            if word == _TRUE:
                stack.append(True)
            elif word == _FALSE:
                stack.append(False)
            else:
                keyword = KWD(word)
                if keyword in _INLINE_IMAGE:
                    raise _Unusual
                stack.append(keyword)
        elif group == "number" or group == "fraction":
            text = match.group("number") + (match.group("fraction") or b"")
            with contextlib.suppress(ValueError):  # a sign alone: pdfminer drops it
                stack.append(float(text) if match.group("fraction") else int(text))
        elif group == "float":
            with contextlib.suppress(ValueError):
                stack.append(float(match.group("float")))
        elif group == "name":
            raw = match.group("name")
            if b"#" in raw:
                raw = _NAME_HEX_RE.sub(_name_byte, raw)
            try:
                name: str | bytes = str(raw, "utf-8")
            except UnicodeDecodeError:
                name = raw
            stack.append(LIT(name))
        elif group == "string":
            stack.append(match.group("string"))
        elif group == "open":
            stack.append(text)
        elif group == "hex":
            stack.append(_HEX_PAIR_RE.sub(_hex_byte, _SPACE_RE.sub(b"", match.group("hex"))))
        elif group == "dict_begin":
            contexts.append((kind, stack))
            kind, stack = "d", []
        elif group == "dict_end":
            if kind == "d":
                objs = stack
                kind, stack = contexts.pop()
                if len(objs) % 2:
                    raise PSSyntaxError(f"Invalid dictionary construct: {objs!r}")
                stack.append({literal_name(k): v for (k, v) in choplist(2, objs) if v is not None})
        elif group == "other":
            keyword = KWD(match.group("other"))
            if keyword is KEYWORD_ARRAY_BEGIN or keyword is KEYWORD_PROC_BEGIN:
                contexts.append((kind, stack))
                kind, stack = ("a" if keyword is KEYWORD_ARRAY_BEGIN else "p"), []
            elif keyword is KEYWORD_ARRAY_END or keyword is KEYWORD_PROC_END:
                if kind == ("a" if keyword is KEYWORD_ARRAY_END else "p"):
                    objs = stack
                    kind, stack = contexts.pop()
                    stack.append(objs)
            elif keyword is KEYWORD_DICT_BEGIN or keyword is KEYWORD_DICT_END:
                raise _Unusual  # not reachable: "<<" and ">>" are read above
            else:
                stack.append(keyword)
        elif group == "end":
            break
        elif group == "unterminated_hex":
            raise _Unusual
        # "close" (a lone ">") and "comment" give nothing.
    return results


class FastPageInterpreter(PDFPageInterpreter):
    """pdfminer's page interpreter with the faster content reader."""

    # Per operator: the name of its method and how many operands it takes, or None when the
    # interpreter has no such method (the operator is then ignored, as pdfminer ignores it).
    _operators: dict[PSKeyword, tuple[str, int] | None] = {}

    def execute(self, streams: Sequence[object]) -> None:
        try:
            objects = self._read(streams)
        except Exception:  # anything unusual or broken: pdfminer's reader decides
            objects = None
        if objects is None:
            super().execute(streams)
            return
        operators = self._operators
        argstack = self.argstack
        for obj in objects:
            if not isinstance(obj, PSKeyword):
                argstack.append(obj)
                continue
            if obj not in operators:
                name = keyword_name(obj)
                method = "do_{}".format(
                    name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
                )
                operators[obj] = (
                    (method, getattr(self, method).__code__.co_argcount - 1)
                    if hasattr(self, method)
                    else None
                )
            operator = operators[obj]
            if operator is None:
                continue
            method, nargs = operator
            if nargs:
                args = self.pop(nargs)
                argstack = self.argstack  # pop() makes a new list
                if len(args) == nargs:
                    getattr(self, method)(*args)
            else:
                getattr(self, method)()
            argstack = self.argstack  # an operator may replace it too (a form's own state)

    def _read(self, streams: Sequence[object]) -> list | None:
        """The objects of the streams to run, as pdfminer's PDFPageInterpreter.execute picks
        them (a stream already being run further up is skipped), or None to leave the reading
        to pdfminer."""
        valid: list[PDFStream] = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None:
                return None
            if stream.objid not in self.parent_stream_ids:
                valid.append(stream)
                self.stream_ids.add(stream.objid)
        if not valid:
            return None
        # pdfminer reads the streams as one, ending a token cut at a stream's end with a line
        # break; a final line break ends the last token.
        parts = [stream.get_data() for stream in valid]
        if not all(part[-1:].isspace() for part in parts[:-1]):
            return None  # a stream that ends inside a token
        data = b"\n".join(parts) + b"\n"
        if _UNUSUAL_RE.search(data):
            return None
        joins = list(itertools.accumulate(len(part) + 1 for part in parts[:-1]))
        return _tokens(data, [join - 1 for join in joins])
