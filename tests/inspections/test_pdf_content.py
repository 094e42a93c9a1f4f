"""The faster content reader and page layout (inspections/pdf_content.py) against pdfminer's own:
what they give must be exactly what pdfminer gives, on content written to catch its quirks and on
every page of a real report. If a pdfminer upgrade changes pdfminer's results, these fail.

Like the parser, this needs no Django (see test_ofsted_report_parser.py to run it without).
"""

import io
from pathlib import Path

import pytest
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTAnno, LTChar, LTComponent, LTPage
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFContentParser, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import PSEOF, PSKeyword, PSLiteral

from inspections import pdf_content

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "ofsted-reports"


def _streams(*contents: bytes) -> list[PDFStream]:
    streams = []
    for number, content in enumerate(contents, start=1):
        stream = PDFStream({}, content)
        stream.objid, stream.genno = number, 0
        streams.append(stream)
    return streams


def _pdfminers_objects(streams: list[PDFStream]) -> list:
    parser = PDFContentParser(streams)
    objects = []
    while True:
        try:
            objects.append(parser.nextobject()[1])
        except PSEOF:
            return objects


def _fast_objects(streams: list[PDFStream]) -> list | None:
    interpreter = pdf_content.FastPageInterpreter(PDFResourceManager(), None)
    try:
        return interpreter._read(streams)
    except Exception:  # FastPageInterpreter.execute hands these back to pdfminer
        return None


def _same(a, b) -> bool:
    """Equal, and of the same types all the way down (1, 1.0 and True are not the same)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, PSLiteral | PSKeyword):
        return a is b
    if isinstance(a, float):
        return repr(a) == repr(b)
    return a == b


QUIRKS = {
    "text": b"BT /F1 12 Tf 72 712.5 Td (Hello, world) Tj [(A) -120 (B)] TJ T* (x) ' ET",
    "numbers": b"1 -2 +3 .5 -.5 1. 007 1.2.3 5-3 - + . -. 12.5e3 d0",
    "strings": rb"(a(b)c) (\(\)\\) (\n\t\r\b\f) (\101\102C) (\0) (\q) (\12) (line\
wrapped)",
    "hex strings": b"<48656C6C6F> <48 65 6c> <4> <> <41>> <<>>",
    "names": b"/A /B#20C /#41 /D#4 /E#4G /F#G /G## / /\xc3\xa9 /\xff",
    "structures": b"<< /A 1 /B [1 2 [3] << /C (d) >>] /N null >> [1 2 ] ] { q Q } true false",
    "odd bytes": b"\x00 q \x00Q ) ' \" * # > } ] \x80 %comment\rq %another\n Q",
    "unterminated": b"q [1 2 (three",
    "odd dictionary": b"<< /A >>",
    "inline image": b"q BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q",
    "big octal": rb"(\777) Tj",
    "name at the end": b"/Name#41",
}


@pytest.mark.parametrize("content", QUIRKS.values(), ids=QUIRKS.keys())
def test_content_is_read_as_pdfminer_reads_it(content):
    streams = _streams(content)
    fast = _fast_objects(streams)
    try:
        expected = _pdfminers_objects(streams)
    except Exception:  # pdfminer refuses it: so must the fast reader, to hand it back
        assert fast is None
        return
    assert fast is None or _same(fast, expected), (fast, expected)


@pytest.mark.parametrize(
    "contents",
    [
        (b"BT (one) Tj\n", b"(two) Tj ET\n"),
        (b"BT (one) Tj", b"(two) Tj ET"),  # a token cut at the join
        (b"BT (on", b"e) Tj ET"),
        (b"q /Na", b"me Do Q"),
        (b"q <<", b"/A 1 >> BDC Q"),
        (b"q >", b">", b" Q"),
        (b"", b"q Q"),
    ],
)
def test_a_page_in_several_streams_is_read_as_pdfminer_reads_it(contents):
    streams = _streams(*contents)
    fast = _fast_objects(streams)
    assert fast is None or _same(fast, _pdfminers_objects(streams)), fast


def test_what_the_fast_reader_leaves_to_pdfminer_is_rare():
    """The fast reader must do the work, not hand it all back."""
    assert _fast_objects(_streams(QUIRKS["text"] + b"\n", QUIRKS["structures"])) is not None
    assert _fast_objects(_streams(QUIRKS["inline image"])) is None


def _tree(item, out: list) -> list:
    """Everything the parser may read of a laid-out page, in order."""
    if isinstance(item, LTAnno):
        out.append(("anno", item.get_text()))
        return out
    row: list = ["page" if isinstance(item, LTPage) else type(item).__name__]
    if isinstance(item, LTComponent):
        row.append(repr((item.x0, item.y0, item.x1, item.y1, item.width, item.height, item.bbox)))
    if isinstance(item, LTChar):
        row += [item.get_text(), item.fontname, repr((item.size, item.adv, item.matrix))]
        row += [item.upright, vars(item.graphicstate) == vars(item.graphicstate)]
    out.append(tuple(row))
    if hasattr(item, "__iter__"):
        for child in item:
            _tree(child, out)
        out.append(("end",))
    return out


def _layouts(data: bytes, aggregator, interpreter) -> list:
    pages = PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)), password=""))
    manager = PDFResourceManager(caching=True)
    device = aggregator(manager, laparams=LAParams(boxes_flow=None))
    run = interpreter(manager, device)
    layouts = []
    for page in pages:
        run.process_page(page)
        layouts.append(_tree(device.get_result(), []))
    return layouts


def test_every_page_of_a_report_is_laid_out_as_pdfminer_lays_it_out():
    data = (REPORTS / "gateshead_published-2019-06-11.pdf").read_bytes()
    fast = _layouts(data, pdf_content.FastPageAggregator, pdf_content.FastPageInterpreter)
    assert fast == _layouts(data, PDFPageAggregator, PDFPageInterpreter)
    assert len(fast) == 12
