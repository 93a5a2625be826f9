"""The one PDF writer (fpdf2): A4/Letter pages carrying the program, title and as-of date, French accents.

Used by the weekly brief, the funder report and the claim packet. Fonts are DejaVu Sans, shipped in
cqic_budget/fonts/ (never fetched). The output is deterministic: the creation date comes from the as-of
date and the file identifier is a hash of the content, so the same inputs give byte-identical files.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, TableBordersLayout, XPos, YPos

from cqic_budget.i18n import format_date, normalise_lang, t

FONT_DIR = Path(__file__).parent / "fonts"
FONT_FAMILY = "DejaVu"
PAGE_FORMATS = {"a4": "A4", "letter": "letter"}

MARGIN_MM = 15
BODY_SIZE = 9
HEADING_SIZE = 12
HEADER_SIZE = 8
LINE_MM = 4.6
HEADER_FILL = (226, 232, 240)
ZEBRA_FILL = (246, 248, 250)
RULE_GREY = (150, 150, 150)


def _clean(text: object) -> str:
    """Printable text: None -> '', control characters (tabs, CR, NUL…) -> spaces, newlines kept."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n")
    return "".join(
        ch if ch == "\n" or unicodedata.category(ch)[0] != "C" else " " for ch in value
    )


class _Pages(FPDF):
    """fpdf2 with this project's running header and footer."""

    def __init__(self, *, header_left: str, header_right: str, footer: str, page_format: str,
                 orientation: str) -> None:
        super().__init__(orientation=orientation, unit="mm", format=page_format)
        self._header_left = header_left
        self._header_right = header_right
        self._footer = footer

    def header(self) -> None:
        self.set_font(FONT_FAMILY, "", HEADER_SIZE)
        self.set_text_color(70, 70, 70)
        half = self.epw / 2
        self.set_xy(self.l_margin, 8)
        self.multi_cell(half + 25, 4, self._header_left, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.multi_cell(half - 25, 4, self._header_right, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        bottom = max(self.get_y(), 16)
        self.set_draw_color(*RULE_GREY)
        self.line(self.l_margin, bottom + 1, self.w - self.r_margin, bottom + 1)
        self.set_text_color(0, 0, 0)
        self.set_y(bottom + 4)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT_FAMILY, "", HEADER_SIZE)
        self.set_text_color(70, 70, 70)
        self.cell(0, 5, self._footer.format(page=self.page_no(), pages=self.str_alias_nb_pages), align="C")
        self.set_text_color(0, 0, 0)


def _checked(rows: list[list[str]], count: int) -> list[list[str]]:
    for index, values in enumerate(rows):
        if len(values) != count:
            raise ValueError(f"row {index} has {len(values)} cells for {count} columns")
    return rows


class _TableWriter:
    """Draws a table row by row with cell() — multi_cell() only for the cells that need wrapping.

    The layout is the one fpdf2's table() gave (bold header on HEADER_FILL with a rule under it, repeated at
    the top of each new page; every other row on ZEBRA_FILL; cells padded, top-aligned, wrapped at the
    column width) without its per-cell cost: a text's width is measured once (get_string_width, cached per
    style and text), and only a text wider than its column goes through the line breaker.
    """

    PAD_V = 0.8
    PAD_H = 1.2

    def __init__(self, pdf: FPDF, widths: Sequence[float], aligns: Sequence[str], font_size: float) -> None:
        self.pdf = pdf
        total = float(sum(widths))
        self.widths = [pdf.epw * w / total for w in widths]
        self.xs = [pdf.l_margin + sum(self.widths[:j]) for j in range(len(widths))]
        self.aligns = list(aligns)
        self.font_size = font_size
        self.line = LINE_MM * font_size / BODY_SIZE
        self._cache: dict[tuple[str, str, int], list[str]] = {}

    def _lines(self, style: str, text: str, j: int) -> list[str]:
        """The lines `text` takes in column j, as multi_cell() would break them: the text itself when it
        fits (one width measure), the line breaker only when not; cached per style, text and column."""
        if not text:
            return []
        key = (style, text, j)
        lines = self._cache.get(key)
        if lines is None:
            room = self.widths[j] - 2 * self.PAD_H
            if "\n" not in text and self.pdf.get_string_width(text) <= room:
                lines = [text]
            else:
                lines = self.pdf.multi_cell(self.widths[j], self.line, text, padding=(self.PAD_V, self.PAD_H),
                                            dry_run=True, output=MethodReturnValue.LINES)
            self._cache[key] = lines
        return lines

    def _measure(self, cells: list[str], style: str) -> tuple[float, list[list[str]]]:
        self.pdf.set_font(FONT_FAMILY, style, self.font_size)
        lines = [self._lines(style, text, j) for j, text in enumerate(cells)]
        return max(max(map(len, lines)), 1) * self.line + 2 * self.PAD_V, lines

    def _row(self, lines: list[list[str]], height: float, fill: tuple[int, int, int] | None,
             rule: bool) -> None:
        """One row at the current y, the font already set: its fill, its rule, each cell's lines."""
        pdf = self.pdf
        y = pdf.y
        right = self.xs[0] + sum(self.widths)
        if fill is not None:
            pdf.set_fill_color(*fill)
            pdf.rect(self.xs[0], y, right - self.xs[0], height, style="F")
        if rule:
            pdf.line(self.xs[0], y + height, right, y + height)
        for j, cell_lines in enumerate(lines):
            for number, text in enumerate(cell_lines):
                pdf.set_xy(self.xs[j] + self.PAD_H, y + self.PAD_V + number * self.line)
                pdf.cell(self.widths[j] - 2 * self.PAD_H, self.line, text, align=self.aligns[j])
        pdf.set_xy(pdf.l_margin, y + height)

    def write(self, columns: list[str], rows: list[list[str]], bold: set[int]) -> None:
        pdf = self.pdf
        head_height, head_lines = self._measure(columns, "B")

        def head() -> None:
            pdf.set_font(FONT_FAMILY, "B", self.font_size)
            self._row(head_lines, head_height, HEADER_FILL, True)

        self._c_margin, auto = pdf.c_margin, pdf.auto_page_break
        pdf.c_margin = 0  # the padding is the cell's margin, as in fpdf2's table()
        pdf.set_auto_page_break(False, margin=pdf.b_margin)
        try:
            first = self._measure(rows[0], "B" if 0 in bold else "")[0] if rows else 0
            if pdf.y + head_height + first > pdf.page_break_trigger:
                self._new_page()
            head()
            for index, cells in enumerate(rows):
                style = "B" if index in bold else ""
                height, lines = self._measure(cells, style)
                if pdf.y + height > pdf.page_break_trigger:
                    self._new_page()
                    head()
                    pdf.set_font(FONT_FAMILY, style, self.font_size)
                    if pdf.y + height > pdf.page_break_trigger:
                        raise ValueError(f"row {index} is too high to fit on one page")
                self._row(lines, height, ZEBRA_FILL if index % 2 == 0 else None, False)
        finally:
            pdf.c_margin = self._c_margin
            pdf.set_auto_page_break(auto, margin=pdf.b_margin)

    def _new_page(self) -> None:
        pdf = self.pdf
        font = (pdf.font_family, pdf.font_style, pdf.font_size_pt)
        pdf.set_auto_page_break(True, margin=pdf.b_margin)
        pdf.c_margin = self._c_margin  # the running header and footer keep theirs
        pdf.add_page()
        pdf.c_margin = 0
        pdf.set_auto_page_break(False, margin=pdf.b_margin)
        pdf.set_font(*font)


class Document:
    """A printable document: call heading/paragraph/key_values/table in order, then to_bytes()."""

    def __init__(
        self, *, title: str, program_name: str, as_of: date, lang: str, page_format: str = "A4",
        orientation: str = "portrait",
    ) -> None:
        fmt = PAGE_FORMATS.get(str(page_format).lower())
        if fmt is None:
            raise ValueError(f"unknown page format {page_format!r} (A4 or Letter)")
        if orientation not in ("portrait", "landscape"):
            raise ValueError(f"unknown orientation {orientation!r} (portrait or landscape)")
        self.lang = normalise_lang(lang)
        self.title = _clean(title)
        self.program_name = _clean(program_name)
        self.as_of = as_of
        self._pdf = _Pages(
            header_left=f"{self.program_name} — {self.title}",
            header_right=t("pdf.as_of", self.lang, date=format_date(as_of, self.lang, long=True)),
            footer=t("pdf.page", self.lang, page="{page}", pages="{pages}"),
            page_format=fmt, orientation=orientation,
        )
        pdf = self._pdf
        pdf.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        pdf.set_auto_page_break(True, margin=18)
        # Deterministic output: a fixed creation date (midnight UTC of the as-of date), content-hash id.
        pdf.set_creation_date(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC))
        pdf.set_title(self.title)
        pdf.set_author(self.program_name)
        pdf.set_creator("cqic_budget")
        pdf.set_lang("fr-CA" if self.lang == "fr" else "en-CA")
        pdf.add_page()
        pdf.set_font(FONT_FAMILY, "", BODY_SIZE)

    @property
    def page_count(self) -> int:
        return self._pdf.page_no()

    @property
    def usable_width(self) -> float:
        return self._pdf.epw

    def new_page(self) -> None:
        self._pdf.add_page()

    def heading(self, text: str) -> None:
        """A bold section title; moves to a new page rather than leaving it alone at the bottom."""
        pdf = self._pdf
        if pdf.get_y() + 22 > pdf.page_break_trigger:
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font(FONT_FAMILY, "B", HEADING_SIZE)
        pdf.multi_cell(0, 6, _clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
        pdf.set_font(FONT_FAMILY, "", BODY_SIZE)

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        pdf = self._pdf
        pdf.set_font(FONT_FAMILY, "B" if bold else "", BODY_SIZE)
        pdf.multi_cell(0, LINE_MM, _clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
        pdf.set_font(FONT_FAMILY, "", BODY_SIZE)

    def key_values(
        self, pairs: Sequence[tuple[str, str]], *, key_share: float = 0.55, per_row: int = 1
    ) -> None:
        """Label — value lines (values right-aligned), wrapped when long; `per_row` pairs side by side,
        with a blank gutter between them."""
        if not pairs:
            return
        gutter = 0.06
        widths: tuple[float, ...] = (key_share, 1 - key_share)
        align: tuple[str, ...] = ("LEFT", "RIGHT")
        for _ in range(per_row - 1):
            widths += (gutter, key_share, 1 - key_share)
            align += ("LEFT", "LEFT", "RIGHT")
        pdf = self._pdf
        pdf.set_font(FONT_FAMILY, "", BODY_SIZE)
        with pdf.table(
            col_widths=widths,
            text_align=align,
            first_row_as_headings=False,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            line_height=LINE_MM,
            padding=(0.8, 1.5),
            width=pdf.epw,
            v_align="TOP",
        ) as table:
            for start in range(0, len(pairs), per_row):
                row = table.row()
                chunk = list(pairs[start:start + per_row])
                chunk += [("", "")] * (per_row - len(chunk))
                for index, (key, value) in enumerate(chunk):
                    if index:
                        row.cell("")
                    row.cell(_clean(key))
                    row.cell(_clean(value))
        pdf.ln(2)

    def table(
        self,
        columns: list[str],
        rows: list[list[str]],
        widths: list[float] | None = None,
        align: list[str] | None = None,
        *,
        bold_rows: Iterable[int] = (),
        font_size: float = BODY_SIZE,
    ) -> None:
        """A table whose header row repeats on each new page; long cells wrap.

        widths: relative column widths (any unit, scaled to the page); align: "L", "R" or "C" per column.
        bold_rows: indexes into rows to set in bold (totals); font_size in points (smaller for wide tables).
        """
        if widths is not None and len(widths) != len(columns):
            raise ValueError("widths must have one entry per column")
        if align is not None and len(align) != len(columns):
            raise ValueError("align must have one entry per column")
        aligns = [a.upper()[:1] for a in (align or ["L"] * len(columns))]
        if self._pdf.get_y() + 15 > self._pdf.page_break_trigger:
            self._pdf.add_page()
        _TableWriter(self._pdf, widths or [1] * len(columns), aligns, font_size).write(
            [_clean(name) for name in columns],
            [[_clean(value) for value in values] for values in _checked(rows, len(columns))],
            set(bold_rows),
        )
        self._pdf.set_font(FONT_FAMILY, "", BODY_SIZE)
        self._pdf.ln(2)

    def space(self, mm: float = 3) -> None:
        self._pdf.ln(mm)

    def to_bytes(self) -> bytes:
        return bytes(self._pdf.output())
