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

from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, TableCellFillMode, XPos, YPos

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

    def __init__(self, *, header_left: str, header_right: str, footer: str, page_format: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format=page_format)
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


class Document:
    """A printable document: call heading/paragraph/key_values/table in order, then to_bytes()."""

    def __init__(
        self, *, title: str, program_name: str, as_of: date, lang: str, page_format: str = "A4"
    ) -> None:
        fmt = PAGE_FORMATS.get(str(page_format).lower())
        if fmt is None:
            raise ValueError(f"unknown page format {page_format!r} (A4 or Letter)")
        self.lang = normalise_lang(lang)
        self.title = _clean(title)
        self.program_name = _clean(program_name)
        self.as_of = as_of
        self._pdf = _Pages(
            header_left=f"{self.program_name} — {self.title}",
            header_right=t("pdf.as_of", self.lang, date=format_date(as_of, self.lang, long=True)),
            footer=t("pdf.page", self.lang, page="{page}", pages="{pages}"),
            page_format=fmt,
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

    def key_values(self, pairs: Sequence[tuple[str, str]], *, key_share: float = 0.55) -> None:
        """Label — value lines (values right-aligned), wrapped when long."""
        if not pairs:
            return
        pdf = self._pdf
        pdf.set_font(FONT_FAMILY, "", BODY_SIZE)
        with pdf.table(
            col_widths=(key_share, 1 - key_share),
            text_align=("LEFT", "RIGHT"),
            first_row_as_headings=False,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            line_height=LINE_MM,
            padding=(0.8, 1.5),
            width=pdf.epw,
        ) as table:
            for key, value in pairs:
                row = table.row()
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
    ) -> None:
        """A table whose header row repeats on each new page; long cells wrap.

        widths: relative column widths (any unit, scaled to the page); align: "L", "R" or "C" per column.
        bold_rows: indexes into rows to set in bold (totals).
        """
        if widths is not None and len(widths) != len(columns):
            raise ValueError("widths must have one entry per column")
        if align is not None and len(align) != len(columns):
            raise ValueError("align must have one entry per column")
        names = {"L": "LEFT", "R": "RIGHT", "C": "CENTER"}
        text_align = tuple(names[a.upper()[:1]] for a in (align or ["L"] * len(columns)))
        bold = set(bold_rows)
        pdf = self._pdf
        if pdf.get_y() + 15 > pdf.page_break_trigger:
            pdf.add_page()
        pdf.set_font(FONT_FAMILY, "", BODY_SIZE)
        with pdf.table(
            col_widths=tuple(widths) if widths else None,
            text_align=text_align,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL),
            cell_fill_color=ZEBRA_FILL,
            cell_fill_mode=TableCellFillMode.ROWS,
            borders_layout=TableBordersLayout.SINGLE_TOP_LINE,
            line_height=LINE_MM,
            padding=(0.8, 1.2),
            width=pdf.epw,
            repeat_headings=1,
        ) as table:
            head = table.row()
            for name in columns:
                head.cell(_clean(name))
            for index, values in enumerate(rows):
                if len(values) != len(columns):
                    raise ValueError(f"row {index} has {len(values)} cells for {len(columns)} columns")
                style = FontFace(emphasis="BOLD") if index in bold else None
                row = table.row(style=style)
                for value in values:
                    row.cell(_clean(value))
        pdf.ln(2)

    def space(self, mm: float = 3) -> None:
        self._pdf.ln(mm)

    def to_bytes(self) -> bytes:
        return bytes(self._pdf.output())
