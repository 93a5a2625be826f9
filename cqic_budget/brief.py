"""The weekly brief (SPEC §11): one view of the week's figures, laid out as a one-page PDF, an HTML e-mail
and its plain-text alternative.

`build_brief` reads the existing metrics (the summary's forecast and checks, the fiscal years, the budget
lines, the milestones) and formats every figure with cqic_budget.i18n; the three renderers only lay the
sections out. User text (program, category, milestone and funder names) is escaped in the HTML.

Claims (SPEC §9) come from the claims ledger (`claims_due`: the claims submitted or approved and not yet
fully paid, and the next claim there is to submit); a test may pass its own `claims_source`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from email.message import EmailMessage

from sqlmodel import Session, select

from cqic_budget import claims
from cqic_budget.i18n import format_date, format_money, format_number, format_percent, normalise_lang, t
from cqic_budget.mailer import SmtpSettings, compose, send
from cqic_budget.metrics.facts import load_facts
from cqic_budget.metrics.impact import merchants_supported
from cqic_budget.metrics.milestones import MilestoneStatus, milestone_status
from cqic_budget.metrics.status import BUDGET_LINE_WATCH
from cqic_budget.metrics.summary import summarise
from cqic_budget.models import Funder, Program
from cqic_budget.pdf import Document
from cqic_budget.queries import category_labels
from cqic_budget.setup import get_program

# Rows per section: the PDF shows at most PDF_ROWS (fewer when the page would overflow), the e-mail at most
# MAIL_ROWS; the rest is counted ("… and 4 more, in the app").
PDF_ROWS = 6
MAIL_ROWS = 25
CLIP_CHARS = 140  # a cell's characters on the PDF when even one row per section overflows the page
STATUS_ORDER = {"breach": 0, "watch": 1}
PHASE_ORDER = {"current": 0, "future": 1, "past": 2}


@dataclass(frozen=True)
class ClaimDue:
    """A claim still to be submitted or not yet paid, as the claims ledger gives it."""

    reference: str
    funder: str
    period: str  # e.g. "2026-04-01 → 2026-06-30"
    amount_due: Decimal
    status: str  # in the reader's language
    due_date: date | None = None


ClaimsSource = Callable[..., Sequence[ClaimDue]]


def claims_due(session: Session, *, program_id: int, as_of: date, lang: str) -> list[ClaimDue]:
    """The ledger's claims still owed (submitted, or approved and not fully paid) and the next claim to
    submit when there is something to claim (claims.next_claim: « claimable now »)."""
    program = session.get(Program, program_id)
    quebec = session.exec(select(Funder.name).where(Funder.program_id == program_id, Funder.kind == "quebec")
                          ).first() or ""
    due = [
        ClaimDue(t("brief.claim.number", lang, number=line.number), quebec,
                 f"{line.period_from.isoformat()} → {line.period_to.isoformat()}", line.still_due,
                 line.status_word(lang))
        for line in claims.ledger(session, program_code=program.code, as_of=as_of) if line.still_due > 0
    ]
    upcoming = claims.next_claim(session, program_code=program.code, as_of=as_of)
    if upcoming is not None and upcoming.amount > 0:
        due.append(ClaimDue(t("brief.claim.next", lang), quebec,
                            f"{upcoming.period_from.isoformat()} → {upcoming.period_to.isoformat()}",
                            upcoming.amount, t("brief.claim.to_submit", lang)))
    return due


CLAIMS_SOURCE: ClaimsSource = claims_due


@dataclass(frozen=True)
class BriefSection:
    key: str  # checks, budget_lines, fiscal_years, milestones, claims
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # every row; the renderers cut
    align: tuple[str, ...]  # "L" or "R" per column
    widths: tuple[float, ...]  # relative
    empty: str  # said when there are no rows
    lang: str = "fr"

    def shown(self, limit: int) -> tuple[tuple[tuple[str, ...], ...], str | None]:
        """The first `limit` rows, and the sentence counting the others (None when none was left out)."""
        left = len(self.rows) - limit
        more = t("brief.more", self.lang, count=format_number(left, self.lang)) if left > 0 else None
        return self.rows[:limit], more


@dataclass(frozen=True)
class Brief:
    lang: str
    program_code: str
    program_name: str
    as_of: date
    title: str
    subject: str
    headline: str  # one sentence: spent, pace, forecast
    pace_title: str
    pace: tuple[tuple[str, str], ...]
    sections: tuple[BriefSection, ...]
    attention: int  # items needing attention (rows of every section)
    footer: str


def _section(key: str, lang: str, columns: Sequence[str], rows: Sequence[Sequence[str]], align: str,
             widths: Sequence[float], **title_params: object) -> BriefSection:
    return BriefSection(
        key=key, title=t(f"brief.section.{key}", lang, **title_params), columns=tuple(columns),
        rows=tuple(tuple(row) for row in rows), align=tuple(align), widths=tuple(widths),
        empty=t(f"brief.empty.{key}", lang), lang=lang,
    )


def late_milestones(statuses: Sequence[MilestoneStatus]) -> list[MilestoneStatus]:
    """Milestones still open past their due date, the most days late first."""
    late = [m for m in statuses if m.status != "achieved" and m.is_due and m.days_late > 0]
    return sorted(late, key=lambda m: (-m.days_late, m.due_date))


def build_brief(
    session: Session, *, program_code: str | None, as_of: date | None, lang: str,
    claims_source: ClaimsSource | None = None,
) -> Brief:
    """The week's brief of a program at the as-of date (default today, clamped to the program period)."""
    lang = normalise_lang(lang)
    program = get_program(session, program_code)
    facts = load_facts(session, program_id=program.id, as_of=as_of)
    summary = summarise(facts, supported=merchants_supported(session, program_id=program.id,
                                                             as_of=facts.as_of))
    outlook = summary.forecast
    money = lambda v: format_money(v, lang)  # noqa: E731
    pct = lambda v: format_percent(v, lang)  # noqa: E731
    day = lambda v: format_date(v, lang)  # noqa: E731
    name = facts.name_en if lang == "en" else facts.name_fr
    category_list = category_labels(session)
    labels = {c.code: c.label(lang) for c in category_list}

    pace = (
        (t("metrics.summary.budget_total", lang), money(outlook.budget)),
        (t("metrics.summary.spent", lang), money(outlook.spent)),
        (t("reports.figure.spent_share", lang), pct(outlook.spent_share)),
        (t("reports.figure.time_elapsed", lang), pct(outlook.time_elapsed_share)),
        (t("reports.figure.planned", lang), money(outlook.planned)),
        (t("reports.figure.variance", lang), money(outlook.variance)),
        (t("brief.burn_rate", lang, months=facts.burn_window_months), money(outlook.burn_rate)),
        (t("reports.figure.required_burn", lang), money(outlook.required_burn)),
        (t("metrics.summary.projected_total", lang), money(outlook.projected_total)),
        (t("reports.figure.projected_unspent", lang), money(outlook.projected_unspent)),
        (t("metrics.summary.projected_exhaustion", lang), format_date(outlook.projected_exhaustion, lang,
                                                                      long=True)),
    )

    sections: list[BriefSection] = []
    add = sections.append

    checks = sorted((c for c in summary.checks if c.status != "ok"), key=lambda c: STATUS_ORDER[c.status])
    # Each check's sentence starts with its scope (cumulative to…, end of…): no column for it.
    add(_section("checks", lang, [t("reports.col.check", lang), t("reports.col.status", lang),
                                  t("reports.col.message", lang)],
                 [[t(f"metrics.check_name.{c.code}", lang), t(f"status.{c.status}", lang), c.message(lang)]
                  for c in checks], "LLL", (1.5, 1.1, 5.5)))

    order = {c.code: index for index, c in enumerate(category_list)}
    phase = {fy.label: PHASE_ORDER[fy.phase] for fy in summary.fiscal_years}
    # The lines at watch (≥ 90 % used) or breach (metrics.status), the current year's first (stable sort).
    lines = sorted((u for u in summary.budget_lines if u.status != "ok"),
                   key=lambda u: (phase[u.fiscal_year], order.get(u.category, 999)))
    add(_section("budget_lines", lang, [t("reports.col.fiscal_year", lang), t("reports.col.category", lang),
                                        t("reports.col.budget", lang), t("reports.col.spent", lang),
                                        t("reports.col.spent_share", lang)],
                 [[u.fiscal_year, labels.get(u.category, u.category), money(u.budget), money(u.spent),
                   pct(u.used_share)] for u in lines], "LLRRR", (1.1, 3, 1.6, 1.6, 1),
                 threshold=format_percent(BUDGET_LINE_WATCH, lang, digits=0)))

    years = [fy for fy in summary.fiscal_years if fy.status != "ok"]
    add(_section("fiscal_years", lang, [t("reports.col.fiscal_year", lang), t("brief.col.phase", lang),
                                        t("reports.col.message", lang)],
                 [[fy.label, t(f"reports.phase.{fy.phase}", lang), fy.message(lang)] for fy in years],
                 "LLL", (1.1, 1, 6)))

    late = late_milestones(milestone_status(facts))
    add(_section("milestones", lang, [t("reports.col.milestone", lang), t("reports.col.due_date", lang),
                                      t("reports.col.days_late", lang), t("reports.col.progress", lang)],
                 [[m.name(lang), day(m.due_date), format_number(m.days_late, lang), pct(m.progress)]
                  for m in late], "LLRR", (4.5, 1.2, 1.1, 1.1)))

    source = claims_source or CLAIMS_SOURCE
    if source is not None:
        owed = list(source(session, program_id=program.id, as_of=facts.as_of, lang=lang))
        add(_section("claims", lang, [t("brief.col.claim", lang), t("brief.col.funder", lang),
                                      t("brief.col.period", lang), t("reports.col.due_date", lang),
                                      t("brief.col.amount_due", lang), t("reports.col.status", lang)],
                     [[c.reference, c.funder, c.period, day(c.due_date), money(c.amount_due), c.status]
                      for c in owed], "LLLLRL", (1.2, 2, 2.2, 1.1, 1.5, 1.2)))

    attention = sum(len(section.rows) for section in sections)
    long_date = format_date(facts.as_of, lang, long=True)
    subject_key = "brief.subject.none" if attention == 0 else "brief.subject.some"
    return Brief(
        lang=lang, program_code=facts.code, program_name=name, as_of=facts.as_of,
        title=t("brief.title", lang),
        subject=t(subject_key, lang, code=facts.code, date=long_date, count=format_number(attention, lang)),
        headline=t("brief.headline", lang, spent=money(outlook.spent), share=pct(outlook.spent_share),
                   elapsed=pct(outlook.time_elapsed_share), burn=money(outlook.burn_rate),
                   projected=money(outlook.projected_total), end=format_date(facts.end, lang, long=True)),
        pace_title=t("reports.title.forecast", lang),
        pace=pace, sections=tuple(sections), attention=attention,
        footer=t("brief.footer", lang, date=long_date),
    )


# --- Renderers ---------------------------------------------------------------------------------------


def brief_pdf(brief: Brief, *, page_format: str = "A4") -> bytes:
    """The brief on one page: sections show PDF_ROWS rows, fewer when the page would overflow, and as a
    last resort long cells are shortened (the e-mail and the app keep the whole text)."""
    doc = _brief_document(brief, PDF_ROWS, page_format, None)
    if doc.page_count == 1:
        return doc.to_bytes()
    # The most rows that fit, by bisection (each attempt lays the whole page out).
    fits, low, high = None, 1, PDF_ROWS - 1
    while low <= high:
        middle = (low + high) // 2
        attempt = _brief_document(brief, middle, page_format, None)
        if attempt.page_count == 1:
            fits, low = attempt, middle + 1
        else:
            high = middle - 1
    return (fits or _brief_document(brief, 1, page_format, CLIP_CHARS)).to_bytes()


def _clip(text: str, clip: int | None) -> str:
    return text if clip is None or len(text) <= clip else text[:clip - 1].rstrip() + "…"


def _brief_document(brief: Brief, limit: int, page_format: str, clip: int | None) -> Document:
    doc = Document(title=brief.title, program_name=brief.program_name, as_of=brief.as_of, lang=brief.lang,
                   page_format=page_format)
    doc.paragraph(_clip(brief.headline, clip), bold=True)
    doc.heading(brief.pace_title)
    doc.key_values(list(brief.pace), key_share=0.6, per_row=2)
    for section in brief.sections:
        doc.heading(section.title)
        rows, more = section.shown(limit)
        if rows:
            doc.table(list(section.columns), [[_clip(cell, clip) for cell in r] for r in rows],
                      widths=list(section.widths), align=list(section.align))
            if more:
                doc.paragraph(more)
        else:
            doc.paragraph(section.empty)
    doc.paragraph(brief.footer)
    return doc


def brief_text(brief: Brief) -> str:
    """The plain-text alternative of the e-mail."""
    out = [brief.title + " — " + brief.program_name, t("pdf.as_of", brief.lang,
                                                        date=format_date(brief.as_of, brief.lang, long=True)),
           "", brief.headline, "", brief.pace_title.upper()]
    width = max(len(label) for label, _ in brief.pace)
    out += [f"  {label:<{width}}  {value}" for label, value in brief.pace]
    for section in brief.sections:
        out += ["", section.title.upper()]
        rows, more = section.shown(MAIL_ROWS)
        if not rows:
            out.append("  " + section.empty)
        for row in rows:
            out.append("  • " + " · ".join(cell for cell in row if cell))
        if more:
            out.append("  " + more)
    out += ["", brief.footer]
    return "\n".join(out) + "\n"


_CELL = "padding:4px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top;"
_HEAD = "padding:4px 8px;background:#e2e8f0;text-align:left;"


def brief_html(brief: Brief) -> str:
    """The HTML e-mail: inline styles only (mail readers drop style sheets); every text escaped."""
    e = html.escape
    lang_attr = "fr-CA" if brief.lang == "fr" else "en-CA"
    parts = [
        f'<!DOCTYPE html><html lang="{lang_attr}"><head><meta charset="utf-8">'
        f'<title>{e(brief.subject)}</title></head>',
        '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1a202c;">',
        f'<h1 style="font-size:20px;margin:0 0 4px 0;">{e(brief.title)} — {e(brief.program_name)}</h1>',
        f'<p style="color:#4a5568;margin:0 0 12px 0;">'
        f'{e(t("pdf.as_of", brief.lang, date=format_date(brief.as_of, brief.lang, long=True)))}</p>',
        f'<p style="font-weight:bold;">{e(brief.headline)}</p>',
        f'<h2 style="font-size:16px;">{e(brief.pace_title)}</h2>',
        '<table style="border-collapse:collapse;">',
    ]
    parts += [f'<tr><td style="{_CELL}">{e(label)}</td>'
              f'<td style="{_CELL}text-align:right;">{e(value)}</td></tr>' for label, value in brief.pace]
    parts.append("</table>")
    for section in brief.sections:
        parts.append(f'<h2 style="font-size:16px;">{e(section.title)}</h2>')
        rows, more = section.shown(MAIL_ROWS)
        if not rows:
            parts.append(f"<p>{e(section.empty)}</p>")
            continue
        parts.append('<table style="border-collapse:collapse;width:100%;"><tr>')
        parts += [f'<th style="{_HEAD}{"text-align:right;" if a == "R" else ""}">{e(c)}</th>'
                  for c, a in zip(section.columns, section.align, strict=True)]
        parts.append("</tr>")
        for row in rows:
            parts.append("<tr>" + "".join(
                f'<td style="{_CELL}{"text-align:right;white-space:nowrap;" if a == "R" else ""}">{e(c)}</td>'
                for c, a in zip(row, section.align, strict=True)) + "</tr>")
        parts.append("</table>")
        if more:
            parts.append(f"<p>{e(more)}</p>")
    parts.append(f'<p style="color:#4a5568;font-size:12px;margin-top:16px;">{e(brief.footer)}</p>')
    parts.append("</body></html>")
    return "\n".join(parts)


def brief_file_name(brief: Brief) -> str:
    prefix = "weekly-brief" if brief.lang == "en" else "resume-hebdo"
    return f"{prefix}-{brief.program_code}-{brief.as_of.isoformat()}.pdf"


def brief_message(brief: Brief, *, sender: str, recipients: Sequence[str], pdf: bytes | None = None,
                  when: datetime | None = None) -> EmailMessage:
    """The e-mail: the subject, the plain text, the HTML alternative and the one-page PDF attached."""
    return compose(
        sender=sender, recipients=recipients, subject=brief.subject, text=brief_text(brief),
        html=brief_html(brief), lang=brief.lang, when=when or datetime.now(UTC),
        attachments=[(brief_file_name(brief), brief_pdf(brief) if pdf is None else pdf, "application/pdf")],
    )


def send_brief(brief: Brief, *, recipients: Sequence[str], settings: SmtpSettings,
               pdf: bytes | None = None) -> EmailMessage:
    """Mail the brief to `recipients` through the SMTP settings; returns the message sent."""
    msg = brief_message(brief, sender=settings.sender, recipients=recipients, pdf=pdf)
    send(msg, settings)
    return msg
