"""Faster pieces of pdfminer for the report parser, giving exactly the results pdfminer gives.

Laying out a page of an Ofsted report took pdfminer about 0.1 s, about half of it reading the
page's content streams one character state at a time in pure Python (PSBaseParser). Here:

- FastPageInterpreter cuts the streams into tokens with one regular expression and builds them
  into operands in one pass, following pdfminer's rules to the letter (its quirks included: an
  unknown escape in a string drops the character, a lone ">" is skipped, a number that does not
  parse is dropped), then runs the operators as pdfminer runs them. Content this reader does not
  reproduce with certainty (inline images, an octal escape above 255, a "\\" before a carriage
  return, a token cut where one stream joins the next, a name ending in a "#" escape at the end)
  and any error while reading are handed back to pdfminer's own reader.
- FastPageAggregator makes each character and groups the characters in lines by the same
  arithmetic as pdfminer's LTChar and LTLayoutContainer.group_objects and analyze, without their
  chain of method calls a character: a string's characters are made in one loop, what they
  share worked out once, and each glyph's text and width are looked up once a font.

tests/inspections/test_pdf_content.py compares both with pdfminer's own on every page of a real
report and on content written to catch the reader's quirks, so a pdfminer upgrade that changes
pdfminer's results is caught.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable, Iterator, Sequence

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import (
    LAParams,
    LTAnno,
    LTChar,
    LTComponent,
    LTContainer,
    LTPage,
    LTTextBox,
    LTTextBoxVertical,
    LTTextLine,
    LTTextLineHorizontal,
)
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdfdevice import PDFTextSeq
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter
from pdfminer.pdfpage import PDFPage
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
from pdfminer.utils import INF, Matrix, Point, apply_matrix_rect, choplist

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

logger = logging.getLogger(__name__)


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


# The token expression's groups by number (match.lastindex): compared once a token, numbers are
# cheaper than names.
(
    _KEYWORD,
    _NUMBER,
    _FRACTION,
    _FLOAT,
    _NAME,
    _STRING,
    _OPEN,
    _DICT_BEGIN,
    _HEX,
    _UNTERMINATED_HEX,
    _DICT_END,
    _CLOSE,
    _COMMENT,
    _OTHER,
    _END,
) = (
    _TOKEN_RE.groupindex[group]
    for group in (
        "keyword",
        "number",
        "fraction",
        "float",
        "name",
        "string",
        "open",
        "dict_begin",
        "hex",
        "unterminated_hex",
        "dict_end",
        "close",
        "comment",
        "other",
        "end",
    )
)
# Where each kind of token starts, before its group: "/name", "<hex>", "(string)".
_OPENER = {_NAME: 1, _STRING: 1, _HEX: 1}
# What each keyword read so far gives: True, False or its PSKeyword (pdfminer's KWD() keeps every
# keyword for good too). The inline image operators are never kept, so they are always caught.
_WORDS: dict[bytes, object] = {_TRUE: True, _FALSE: False}


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
    words = _WORDS
    pos = 0
    # The expression matches at any position, so one scan gives the tokens one after another;
    # it starts again after a string with escapes or nested parentheses (read by _string). The
    # branches below go from the commonest token to the rarest.
    while True:
        for match in _TOKEN_RE.finditer(data, pos):
            group = match.lastindex
            if group == _OPEN:
                text, pos = _string(data, match.end())
                if text is None:
                    raise _Unusual  # a string that never ends
            elif joins:
                pos = match.end()
            if joins and pos > guard and group != _END:
                start = match.start(_NUMBER if group == _FRACTION else group) - _OPENER.get(
                    group, 0
                )
                while pos > guard:
                    if start <= guard + 1:
                        raise _Unusual
                    guard = next(guards, len(data) + 1) - 1
            if group == _NUMBER:
                try:  # noqa: SIM105 - not contextlib.suppress: a page has thousands of numbers
                    stack.append(int(match.group(_NUMBER)))
                except ValueError:  # a sign alone: pdfminer drops it
                    pass
            elif group == _KEYWORD:
                word = match.group(_KEYWORD)
                value = words.get(word)
                if value is None:
                    value = KWD(word)
                    if value in _INLINE_IMAGE:
                        raise _Unusual
                    words[word] = value
                stack.append(value)
            elif group == _STRING:
                stack.append(match.group(_STRING))
            elif group == _FRACTION:
                try:  # noqa: SIM105
                    stack.append(float(match.group(_NUMBER) + match.group(_FRACTION)))
                except ValueError:  # a sign and a point alone
                    pass
            elif group == _OTHER:
                keyword = KWD(match.group(_OTHER))
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
            elif group == _NAME:
                raw = match.group(_NAME)
                if b"#" in raw:
                    raw = _NAME_HEX_RE.sub(_name_byte, raw)
                try:
                    name: str | bytes = str(raw, "utf-8")
                except UnicodeDecodeError:
                    name = raw
                stack.append(LIT(name))
            elif group == _HEX:
                stack.append(_HEX_PAIR_RE.sub(_hex_byte, _SPACE_RE.sub(b"", match.group(_HEX))))
            elif group == _DICT_BEGIN:
                contexts.append((kind, stack))
                kind, stack = "d", []
            elif group == _DICT_END:
                if kind == "d":
                    objs = stack
                    kind, stack = contexts.pop()
                    if len(objs) % 2:
                        raise PSSyntaxError(f"Invalid dictionary construct: {objs!r}")
                    stack.append(
                        {literal_name(k): v for (k, v) in choplist(2, objs) if v is not None}
                    )
            elif group == _OPEN:
                stack.append(text)
                break  # read on from the string's end
            elif group == _FLOAT:
                try:  # noqa: SIM105
                    stack.append(float(match.group(_FLOAT)))
                except ValueError:
                    pass
            elif group == _END:
                return results
            elif group == _UNTERMINATED_HEX:
                raise _Unusual
            # _CLOSE (a lone ">") and _COMMENT give nothing.
        else:  # not reached: the scan ends with the _END token
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


# --- Laying out the page's characters in lines ---------------------------------------------------


class _Page(LTPage):
    """pdfminer's page, whose characters are grouped in lines by the same tests pdfminer makes
    (LTLayoutContainer.group_objects with LTComponent's overlap and distance methods, and
    LTTextLineHorizontal.add for the spaces between words), written out in one loop instead of
    several method calls a character. Vertical writing is left to pdfminer."""

    def analyze(self, laparams: LAParams) -> None:
        """LTLayoutContainer.analyze as it runs with boxes_flow=None, its two splits (the
        characters from the page's other objects, then the lines with no extent or only spaces,
        LTTextLine.is_empty, from the others) written out instead of a call an object."""
        if laparams.boxes_flow is not None:
            super().analyze(laparams)
            return
        textobjs: list[LTChar] = []
        otherobjs: list[LTComponent] = []
        for obj in self._objs:
            (textobjs if isinstance(obj, LTChar) else otherobjs).append(obj)
        for obj in otherobjs:
            obj.analyze(laparams)
        if not textobjs:
            return
        textlines: list[LTTextLine] = []
        empties: list[LTTextLine] = []
        for line in self.group_objects(laparams, textobjs):
            # A line holds characters and the spaces put between them, each text in _text.
            if line.width <= 0 or line.height <= 0 or "".join([o._text for o in line]).isspace():
                empties.append(line)
            else:
                textlines.append(line)
        for line in empties:
            line.analyze(laparams)
        textboxes = list(self.group_textlines(laparams, textlines))
        for textbox in textboxes:
            textbox.analyze(laparams)
        textboxes.sort(key=_box_order)
        self._objs = [*textboxes, *otherobjs, *empties]

    def group_objects(
        self, laparams: LAParams, objs: Iterable[LTComponent]
    ) -> Iterator[LTTextLine]:
        if laparams.detect_vertical:
            yield from super().group_objects(laparams, objs)
            return
        line_overlap = laparams.line_overlap
        char_margin = laparams.char_margin
        word_margin = laparams.word_margin
        obj0 = None
        line: list | None = None  # the characters of the line being built
        for obj1 in objs:
            if obj0 is not None:
                halign = False
                # min(a, b) and max(a, b) as comparisons (they keep a unless b is beyond it):
                # the same values without two calls a character.
                if obj1.y0 <= obj0.y1 and obj0.y0 <= obj1.y1:  # is_voverlap
                    first, second = abs(obj0.y0 - obj1.y1), abs(obj0.y1 - obj1.y0)
                    voverlap = second if second < first else first
                    first, second = obj0.height, obj1.height
                    if (second if second < first else first) * line_overlap < voverlap:
                        if obj1.x0 <= obj0.x1 and obj0.x0 <= obj1.x1:  # is_hoverlap
                            hdistance = 0
                        else:
                            first, second = abs(obj0.x0 - obj1.x1), abs(obj0.x1 - obj1.x0)
                            hdistance = second if second < first else first
                        first, second = obj0.width, obj1.width
                        halign = hdistance < (second if second > first else first) * char_margin
                if halign and line is not None:
                    line.append(obj1)
                elif line is not None:
                    yield _text_line(line, word_margin)
                    line = None
                elif halign:
                    line = [obj0, obj1]
                else:
                    yield _text_line([obj0], word_margin)
            obj0 = obj1
        if line is None:
            assert obj0 is not None
            line = [obj0]
        yield _text_line(line, word_margin)


def _box_order(box: LTTextBox) -> tuple[int, float, float]:
    """The order pdfminer's analyze gives text boxes when boxes_flow is None."""
    if isinstance(box, LTTextBoxVertical):
        return (0, -box.x1, -box.y0)
    return (1, -box.y0, box.x0)


def _text_line(chars: list[LTChar], word_margin: float) -> LTTextLineHorizontal:
    """The line pdfminer builds by adding the characters one by one (LTTextLineHorizontal.add):
    a space before a character further from the one before than the word margin, and the
    bounding box of them all."""
    line = LTTextLineHorizontal(word_margin)
    objs = line._objs
    x0 = y0 = +INF
    x1 = y1 = -INF
    last = line._x1
    for obj in chars:
        if word_margin:
            width, height = obj.width, obj.height
            margin = word_margin * (height if height > width else width)  # max(width, height)
            if last < obj.x0 - margin:
                objs.append(LTAnno(" "))
        last = obj.x1
        objs.append(obj)
        # min() and max() as LTExpandableContainer.add takes them, one character at a time
        # (min(a, b) keeps a unless b is smaller).
        if obj.x0 < x0:
            x0 = obj.x0
        if obj.y0 < y0:
            y0 = obj.y0
        if last > x1:
            x1 = last
        if obj.y1 > y1:
            y1 = obj.y1
    line._x1 = last
    line.set_bbox((x0, y0, x1, y1))
    return line


class FastPageAggregator(PDFPageAggregator):
    """pdfminer's page aggregator, whose pages group their characters in lines faster and whose
    characters are made as LTChar makes them, with each glyph's text and width looked up once a
    font (they depend on the font and the glyph only)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._glyphs: dict[tuple[PDFFont, int], tuple[str, float, object]] = {}

    def begin_page(self, page: PDFPage, ctm: Matrix) -> None:
        (x0, y0, x1, y1) = apply_matrix_rect(ctm, page.mediabox)
        mediabox = (0, 0, abs(x0 - x1), abs(y0 - y1))
        self.cur_item = _Page(self.pageno, mediabox)

    def render_string_horizontal(
        self,
        seq: PDFTextSeq,
        matrix: Matrix,
        pos: Point,
        font: PDFFont,
        fontsize: float,
        scaling: float,
        charspace: float,
        wordspace: float,
        rise: float,
        dxscale: float,
        ncs: PDFColorSpace,
        graphicstate: PDFGraphicState,
    ) -> Point:
        """pdfminer's loop over a string's characters (PDFTextDevice.render_string_horizontal)
        with render_char and LTChar's constructor written into it: what is the same for every
        character of the string is worked out once, and each character's attributes by the same
        arithmetic in the same order (the 1.8 million characters of the archive made this the
        parser's costliest few lines)."""
        (x, y) = pos
        needcharspace = False
        (a, b, c, d, e, f) = matrix
        glyphs = self._glyphs
        item_list = self.cur_item
        # The page's or figure's add() is a plain list append (LTContainer.add).
        add = item_list._objs.append if type(item_list).add is LTContainer.add else item_list.add
        new = LTChar.__new__
        fontname = font.fontname
        descent = font.get_descent() * fontsize
        upright = a * d * scaling > 0 and b * c <= 0
        by0 = descent + rise
        by1 = descent + rise + fontsize
        # Not rotated or skewed: two of the four corners give each coordinate, the same value
        # as the other two, so min() and max() of four come down to one comparison.
        straight = b == 0 and c == 0
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    glyph = glyphs.get((font, cid)) or self._glyph(font, cid)
                    # utils.translate_matrix(matrix, (x, y))
                    e1 = x * a + y * c + e
                    f1 = x * b + y * d + f
                    adv = glyph[1] * fontsize * scaling
                    # LTChar.__init__: apply_matrix_rect of (0, by0, adv, by1), its four
                    # corners in apply_matrix_rect's order.
                    left1 = a * 0 + c * by0 + e1
                    bottom1 = b * 0 + d * by0 + f1
                    right1 = a * adv + c * by0 + e1
                    top1 = b * adv + d * by1 + f1
                    if straight:
                        x0 = right1 if right1 < left1 else left1
                        x1 = right1 if right1 > left1 else left1
                        y0 = top1 if top1 < bottom1 else bottom1
                        y1 = top1 if top1 > bottom1 else bottom1
                    else:
                        right2, bottom2 = a * adv + c * by1 + e1, b * adv + d * by0 + f1
                        left2, top2 = a * 0 + c * by1 + e1, b * 0 + d * by1 + f1
                        x0 = min(left1, left2, right1, right2)
                        y0 = min(bottom1, bottom2, top1, top2)
                        x1 = max(left1, left2, right1, right2)
                        y1 = max(bottom1, bottom2, top1, top2)
                        if x1 < x0:
                            (x0, x1) = (x1, x0)
                        if y1 < y0:
                            (y0, y1) = (y1, y0)
                    item = new(LTChar)
                    item.__dict__ = {
                        "_text": glyph[0],
                        "matrix": (a, b, c, d, e1, f1),
                        "fontname": fontname,
                        "ncs": ncs,
                        "graphicstate": graphicstate,
                        "adv": adv,
                        "upright": upright,
                        "x0": x0,
                        "y0": y0,
                        "x1": x1,
                        "y1": y1,
                        "width": x1 - x0,
                        "height": y1 - y0,
                        "bbox": (x0, y0, x1, y1),
                        "size": y1 - y0,
                    }
                    add(item)
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            else:
                logger.warning(
                    "Cannot render horizontal string because %r is not a valid int, float or "
                    "bytes.",
                    obj,
                )
        return (x, y)

    def _glyph(self, font: PDFFont, cid: int) -> tuple[str, float, object]:
        """The glyph's text, width and displacement, looked up once a font."""
        try:
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        glyph = self._glyphs[(font, cid)] = (text, font.char_width(cid), font.char_disp(cid))
        return glyph

    def render_char(
        self,
        matrix: Matrix,
        font: PDFFont,
        fontsize: float,
        scaling: float,
        rise: float,
        cid: int,
        ncs: PDFColorSpace,
        graphicstate: PDFGraphicState,
    ) -> float:
        """A character of a vertical font (horizontal ones are made in
        render_string_horizontal)."""
        text, textwidth, textdisp = self._glyphs.get((font, cid)) or self._glyph(font, cid)
        item = LTChar(
            matrix, font, fontsize, scaling, rise, text, textwidth, textdisp, ncs, graphicstate
        )
        self.cur_item.add(item)
        return item.adv
