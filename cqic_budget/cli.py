"""Command line: python -m cqic_budget init|import-expenses|import-merchants|import-commitments|summary|
report|brief|users|rates|claims|amendments (SPEC §6, §9-§11)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from cqic_budget.auth import LOCAL_USER, normalise_email
from cqic_budget.db import StoreBusy, is_busy, make_engine, session_scope
from cqic_budget.errors import EXIT_OK, EXIT_REFUSED, EXIT_REJECTED, UserFacingError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _records_import(sub, name: str, help_text: str) -> None:
    """A command importing records from a sheet through the shared pipeline (merchants, commitments)."""
    p = sub.add_parser(name, help=help_text)
    p.add_argument("file", type=Path)
    p.add_argument("--program", default=None)
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--user", default=LOCAL_USER, type=normalise_email)
    p.add_argument("--json", action="store_true")
    p.add_argument("--lang", default="fr", choices=["fr", "en"])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cqic_budget", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="migrate the schema to head; create the CQIC program")
    p.add_argument("--demo", action="store_true", help="also load the demo data set")
    p.add_argument("--user", default=LOCAL_USER, type=normalise_email)

    p = sub.add_parser("import-expenses", help="import an expense workbook")
    p.add_argument("file", type=Path)
    p.add_argument("--program", default=None)
    p.add_argument("--strict", action="store_true")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--user", default=LOCAL_USER, type=normalise_email)
    p.add_argument("--json", action="store_true")
    p.add_argument("--lang", default="fr", choices=["fr", "en"])

    _records_import(sub, "import-merchants", "import merchants and their measurements from a workbook")

    p = sub.add_parser("summary", help="the program's figures")
    p.add_argument("--as-of", type=_date, default=None)
    p.add_argument("--program", default=None)
    p.add_argument("--json", action="store_true")
    p.add_argument("--lang", default="fr", choices=["fr", "en"])

    p = sub.add_parser("report", help="the funder report: a workbook (.xlsx) or a PDF (.pdf), by --out")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--as-of", type=_date, default=None)
    p.add_argument("--program", default=None)
    p.add_argument("--lang", default="fr", choices=["fr", "en"])

    p = sub.add_parser("brief", help="the weekly brief: a one-page PDF, and an e-mail with --send")
    p.add_argument("--as-of", type=_date, default=None)
    p.add_argument("--program", default=None)
    p.add_argument("--lang", default="fr", choices=["fr", "en"])
    p.add_argument("--out", type=Path, default=None, help="the PDF (default: resume-hebdo-CODE-DATE.pdf)")
    p.add_argument("--send", action="store_true", help="mail it through the SMTP settings")
    p.add_argument("--to", default=None, help="recipients, comma-separated (with --send)")
    p = sub.add_parser("close-year", help="close a fiscal year: store its statement and SHA-256 (admin)")
    p.add_argument("label")
    p.add_argument("--program", default=None)
    p.add_argument("--user", default=LOCAL_USER, type=normalise_email)
    p.add_argument("--lang", default="fr", choices=["fr", "en"])
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("reopen-year", help="reopen a closed fiscal year, with a reason (admin)")
    p.add_argument("label")
    p.add_argument("--reason", required=True)
    p.add_argument("--program", default=None)
    p.add_argument("--user", default=LOCAL_USER, type=normalise_email)
    p.add_argument("--lang", default="fr", choices=["fr", "en"])
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("verify-close",
                       help="recompute a closed year's statement and compare it (exit 1: differs)")
    p.add_argument("label")
    p.add_argument("--program", default=None)
    p.add_argument("--user", default=LOCAL_USER, type=normalise_email)
    p.add_argument("--lang", default="fr", choices=["fr", "en"])
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("claims", help="claims to Québec: new, submit, approve, pay, refuse, list")
    claims = p.add_subparsers(dest="claims_command", required=True)
    q = claims.add_parser("new")
    q.add_argument("--from", dest="period_from", type=_date, required=True)
    q.add_argument("--to", dest="period_to", type=_date, required=True)
    q.add_argument("--final", action="store_true", help="the final claim: releases the holdback")
    q = claims.add_parser("submit")
    q.add_argument("number", type=int)
    q = claims.add_parser("approve")
    q.add_argument("number", type=int)
    q.add_argument("--amount", required=True)
    q.add_argument("--note", default="")
    q = claims.add_parser("pay")
    q.add_argument("number", type=int)
    q.add_argument("--amount", required=True)
    q.add_argument("--date", dest="day", type=_date, required=True)
    q = claims.add_parser("refuse")
    q.add_argument("number", type=int)
    q.add_argument("--note", required=True)
    q = claims.add_parser("list")
    q.add_argument("--as-of", type=_date, default=None)
    for q in claims.choices.values():
        q.add_argument("--program", default=None)
        q.add_argument("--user", default=LOCAL_USER, type=normalise_email)
        q.add_argument("--lang", default="fr", choices=["fr", "en"])
        q.add_argument("--json", action="store_true")

    p = sub.add_parser("amendments", help="budget amendments (avenants): new, list")
    amendments = p.add_subparsers(dest="amendments_command", required=True)
    q = amendments.add_parser("new", help="record an approved amendment (admin)")
    q.add_argument("--date", dest="day", type=_date, required=True, help="the date it takes effect")
    q.add_argument("--reference", required=True)
    q.add_argument("--approved-by", required=True)
    q.add_argument("--reason", default="")
    q.add_argument("--line", action="append", default=[], metavar="FY:CATEGORY=AMOUNT",
                   help="a budget line's new amount, e.g. 2026-2027:travel=45000 (repeatable)")
    q.add_argument("--funder", action="append", default=[], metavar="FUNDER=AMOUNT",
                   help="a funder's new commitment, e.g. MEIE=1050000 (repeatable)")
    q = amendments.add_parser("list", help="the amendments, oldest first")
    for q in amendments.choices.values():
        q.add_argument("--program", default=None)
        q.add_argument("--user", default=LOCAL_USER, type=normalise_email)
        q.add_argument("--lang", default="fr", choices=["fr", "en"])
        q.add_argument("--json", action="store_true")

    p = sub.add_parser("claim-packet", help="a claim's packet: .xlsx, PDF and manifest of SHA-256s")
    p.add_argument("number", type=int)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--program", default=None)
    p.add_argument("--user", default=LOCAL_USER, type=normalise_email)
    p.add_argument("--lang", default="fr", choices=["fr", "en"])
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("users", help="users and their roles")
    users = p.add_subparsers(dest="users_command", required=True)
    q = users.add_parser("add")
    q.add_argument("email")
    q.add_argument("--role", required=True, choices=["admin", "manager", "funder", "viewer"])
    q.add_argument("--user", default=LOCAL_USER, type=normalise_email)
    users.add_parser("list")

    _records_import(sub, "import-commitments", "import commitments (contracts, purchase orders)")

    p = sub.add_parser("rates", help="exchange rates to CAD (Bank of Canada Valet)")
    rates = p.add_subparsers(dest="rates_command", required=True)
    q = rates.add_parser("import", help="a Valet observations file, CSV or JSON (series FX<CUR>CAD)")
    q.add_argument("file", type=Path)
    q = rates.add_parser("fetch", help="the Valet API (the only command that uses the network)")
    q.add_argument("--currency", required=True, type=str.upper)
    q.add_argument("--from", dest="start", required=True, type=_date)
    q.add_argument("--to", dest="end", required=True, type=_date)
    q.add_argument("--base-url", default=None, help="default: CQIC_VALET_URL or the Bank of Canada's")
    for q in rates.choices.values():
        q.add_argument("--user", default=LOCAL_USER, type=normalise_email)
        q.add_argument("--json", action="store_true")
        q.add_argument("--lang", default="fr", choices=["fr", "en"])
    return parser


def cmd_init(args: argparse.Namespace) -> int:
    from cqic_budget.setup import init_store

    engine = make_engine()
    program = init_store(engine)
    if args.demo:
        from cqic_budget.demo import load_demo

        with session_scope(engine) as session:
            loaded = load_demo(session, user=args.user)
        print(f"{program.code}: demo data loaded" if loaded else f"{program.code}: demo data already present")
    else:
        print(f"{program.code}: store ready")
    return EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    from cqic_budget.metrics.summary import compute_summary, summary_as_json, summary_as_text

    engine = make_engine()
    with session_scope(engine) as session:
        summary = compute_summary(session, program_code=args.program, as_of=args.as_of)
    if args.json:
        print(json.dumps(summary_as_json(summary), ensure_ascii=False, indent=2))
    else:
        print(summary_as_text(summary, args.lang))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from cqic_budget.importing.service import import_file, outcome_as_json, outcome_as_text

    engine = make_engine()
    outcome = import_file(
        engine, args.file, program_code=args.program, user=args.user,
        strict=args.strict, dry_run=args.dry_run, lang=args.lang,
    )
    if args.json:
        print(json.dumps(outcome_as_json(outcome), ensure_ascii=False))
    else:
        print(outcome_as_text(outcome, args.lang))
    return outcome.exit_status


def cmd_import_merchants(args: argparse.Namespace) -> int:
    from cqic_budget.importing.merchants import import_merchants

    outcome = import_merchants(make_engine(), args.file, program_code=args.program, user=args.user,
                               dry_run=args.dry_run, lang=args.lang)
    if args.json:
        print(json.dumps(outcome.as_json(), ensure_ascii=False))
    else:
        print(outcome.as_text(args.lang))
    return outcome.exit_status


def cmd_report(args: argparse.Namespace) -> int:
    from cqic_budget.i18n import t
    from cqic_budget.report_pdf import write_report_pdf
    from cqic_budget.reports import check_report_path, write_report

    folder = args.out.parent
    if args.out.is_dir():
        reason = t("report.out.is-folder", args.lang)
        print(f"unwritable: {t('report.out.unwritable', args.lang, path=args.out, reason=reason)}",
              file=sys.stderr)
        return EXIT_REFUSED
    write = write_report_pdf if check_report_path(args.out) == "pdf" else write_report
    if not folder.is_dir():
        print(f"no-folder: {t('report.out.no-folder', args.lang, folder=folder)}", file=sys.stderr)
        return EXIT_REFUSED
    engine = make_engine()
    try:
        with session_scope(engine) as session:
            write(session, args.out, program_code=args.program, as_of=args.as_of, lang=args.lang)
    except OSError as exc:  # a folder without write permission, a full disk, --out naming a folder
        reason = exc.strerror or type(exc).__name__
        print(f"unwritable: {t('report.out.unwritable', args.lang, path=args.out, reason=reason)}",
              file=sys.stderr)
        return EXIT_REFUSED
    print(str(args.out))
    return EXIT_OK


def cmd_brief(args: argparse.Namespace) -> int:
    from cqic_budget.brief import brief_file_name, brief_pdf, build_brief, send_brief
    from cqic_budget.i18n import t
    from cqic_budget.mailer import parse_addresses, smtp_settings

    if args.to is not None and not args.send:
        print(f"usage: {t('brief.to_without_send', args.lang)}", file=sys.stderr)
        return EXIT_REFUSED
    # Settings and addresses are checked before anything is computed or written.
    recipients = parse_addresses(args.to or "") if args.send else []
    settings = smtp_settings() if args.send else None
    engine = make_engine()
    with session_scope(engine) as session:
        brief = build_brief(session, program_code=args.program, as_of=args.as_of, lang=args.lang)
    pdf = brief_pdf(brief)
    if args.out is not None or not args.send:
        out = args.out or Path(brief_file_name(brief))
        out.write_bytes(pdf)
        print(str(out))
    if settings is not None:
        send_brief(brief, recipients=recipients, settings=settings, pdf=pdf)
        print(t("brief.sent", args.lang, recipients=", ".join(recipients)))
    return EXIT_OK


def cmd_users(args: argparse.Namespace) -> int:
    from cqic_budget.users import add_user, list_users

    engine = make_engine()
    with session_scope(engine) as session:
        if args.users_command == "add":
            add_user(session, args.email, args.role, by=args.user)
            print(f"{normalise_email(args.email)}: {args.role}")
        else:
            for user in list_users(session):
                print(f"{user.email}\t{user.role}")
    return EXIT_OK


def cmd_import_commitments(args: argparse.Namespace) -> int:
    from cqic_budget.i18n import t
    from cqic_budget.importing.commitments import import_commitments

    outcome = import_commitments(make_engine(), args.file, program_code=args.program, user=args.user,
                                 dry_run=args.dry_run)
    result = outcome.as_json(args.lang)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        if outcome.reason is not None:
            print(f"{outcome.reason}: {result['reason_message']}")
        print(t("commitment_import.done", args.lang, created=outcome.created, updated=outcome.updated,
                rejected=outcome.rows_rejected))
        for error in result["errors"]:
            print(f"  {error['row']} {error['column'] or ''}: {error['message']}")
    return outcome.exit_status


def cmd_rates(args: argparse.Namespace) -> int:
    from cqic_budget.currency import RatesError, fetch_rates, import_rates_file
    from cqic_budget.i18n import t

    engine = make_engine()
    if args.rates_command == "import":
        try:
            data = args.file.read_bytes()
        except OSError:
            raise RatesError("not-valet") from None
    with session_scope(engine) as session:
        if args.rates_command == "import":
            result = import_rates_file(session, data, user=args.user, file_name=args.file.name)
        else:
            result = fetch_rates(session, args.currency, args.start, args.end, user=args.user,
                                 base_url=args.base_url)
    if args.json:
        print(json.dumps({"status": "imported", **result.as_json()}))
    else:
        print(t("rates.done", args.lang, inserted=result.inserted, updated=result.updated,
                unchanged=result.unchanged, currencies=", ".join(result.currencies)))
    return EXIT_OK


def cmd_close_year(args: argparse.Namespace) -> int:
    from cqic_budget.closing import close_year
    from cqic_budget.i18n import t

    with session_scope(make_engine()) as session:
        row = close_year(session, args.label, user=args.user, program_code=args.program)
        out = {"status": "closed", "fiscal_year": row.fiscal_year, "statement_sha256": row.statement_sha256}
    print(json.dumps(out) if args.json else t("funding.close.done", args.lang, label=out["fiscal_year"],
                                              sha=out["statement_sha256"]))
    return EXIT_OK


def cmd_reopen_year(args: argparse.Namespace) -> int:
    from cqic_budget.closing import reopen_year
    from cqic_budget.i18n import t

    with session_scope(make_engine()) as session:
        row = reopen_year(session, args.label, reason=args.reason, user=args.user, program_code=args.program)
        out = {"status": "reopened", "fiscal_year": row.fiscal_year, "reason": row.reopen_reason}
    print(json.dumps(out, ensure_ascii=False) if args.json
          else t("funding.reopen.done", args.lang, label=out["fiscal_year"], reason=out["reason"]))
    return EXIT_OK


def cmd_verify_close(args: argparse.Namespace) -> int:
    from cqic_budget.closing import verify_close
    from cqic_budget.metrics.summary import money_text
    from cqic_budget.money import from_cents

    with session_scope(make_engine()) as session:
        check = verify_close(session, args.label, program_code=args.program, user=args.user)
    if args.json:
        print(json.dumps({
            "fiscal_year": check.fiscal_year, "matches": check.matches, "reopened": check.reopened,
            "stored_sha256": check.stored_sha256, "current_sha256": check.current_sha256,
            "closed_eligible": money_text(from_cents(check.closed_eligible_cents)),
            "current_eligible": money_text(from_cents(check.current_eligible_cents)),
            "difference": money_text(from_cents(check.difference_cents)),
            "expenses_added": check.expenses_added, "expenses_removed": check.expenses_removed,
            "expenses_changed": check.expenses_changed,
        }))
    else:
        print(check.message(args.lang))
    return EXIT_OK if check.matches else EXIT_REJECTED


def cmd_claims(args: argparse.Namespace) -> int:
    from cqic_budget import claims
    from cqic_budget.i18n import format_money, t
    from cqic_budget.metrics.summary import claims_json, money_text
    from cqic_budget.money import from_cents

    command, lang = args.claims_command, args.lang
    with session_scope(make_engine()) as session:
        if command == "list":
            from cqic_budget.auth import require

            require(session, args.user, "read")
            lines = claims.ledger(session, program_code=args.program, as_of=args.as_of)
            if args.json:
                print(json.dumps(claims_json(lines), ensure_ascii=False, indent=2))
            else:
                for line in lines:
                    print(f"{line.number}\t{line.period_from}..{line.period_to}\t{line.status_word(lang)}\t"
                          f"{format_money(line.claimed, lang)}\t{format_money(line.approved, lang)}\t"
                          f"{format_money(line.paid, lang)}\t{format_money(line.still_due, lang)}")
            return EXIT_OK
        common = dict(user=args.user, program_code=args.program)
        if command == "new":
            claim = claims.new_claim(session, period_from=args.period_from, period_to=args.period_to,
                                     final=args.final, **common)
        elif command == "submit":
            claim = claims.submit_claim(session, args.number, **common)
        elif command == "approve":
            claim = claims.approve_claim(session, args.number, amount=args.amount, note=args.note, **common)
        elif command == "pay":
            claims.pay_claim(session, args.number, amount=args.amount, day=args.day, **common)
            claim = claims._get(session, claims._program(session, args.program), args.number, lock=False)
        else:
            claim = claims.refuse_claim(session, args.number, note=args.note, **common)
        out = {"status": claim.status, "number": claim.number,
               "claimed": money_text(from_cents(claim.claimed_cents))}
    if args.json:
        print(json.dumps(out))
    elif command == "new":
        print(t("claims.done.new", lang, number=out["number"], start=args.period_from.isoformat(),
                amount=format_money(from_cents(claim.claimed_cents), lang), end=args.period_to.isoformat()))
    else:
        print(t("claims.done.status", lang, number=out["number"],
                status=t(f"claims.status.{out['status']}", lang)))
    return EXIT_OK


def cmd_amendments(args: argparse.Namespace) -> int:
    from cqic_budget.amendments import (
        amendment_done,
        amendment_json,
        amendments_view,
        new_amendment,
        parse_funder,
        parse_line,
        shown_reference,
    )
    from cqic_budget.auth import require
    from cqic_budget.setup import get_program

    lang = args.lang
    with session_scope(make_engine()) as session:
        if args.amendments_command == "new":
            amendment = new_amendment(
                session, effective_date=args.day, reference=args.reference, approved_by=args.approved_by,
                reason=args.reason, lines=[parse_line(x) for x in args.line],
                funders=[parse_funder(x) for x in args.funder], user=args.user, program_code=args.program)
        else:
            require(session, args.user, "read")
        program = get_program(session, args.program)
        view = amendments_view(session, program_id=program.id, lang=lang)
    if args.amendments_command == "new":
        shown = next(a for a in view.amendments if a.id == amendment.id)
        print(json.dumps({"status": "recorded", **amendment_json(shown)}, ensure_ascii=False) if args.json
              else amendment_done(amendment, view, lang))
    elif args.json:
        print(json.dumps([amendment_json(a) for a in view.amendments], ensure_ascii=False, indent=2))
    else:
        for a in view.amendments:
            print(f"{a.effective_date.isoformat()}\t{shown_reference(a, lang)}\t{a.approved_by}\t"
                  f"{a.describe(lang, view.categories)}")
    return EXIT_OK


def cmd_claim_packet(args: argparse.Namespace) -> int:
    from cqic_budget.claim_packet import write_packet
    from cqic_budget.i18n import t

    with session_scope(make_engine()) as session:
        paths = write_packet(session, args.number, args.out, program_code=args.program, user=args.user)
    if args.json:
        print(json.dumps({"status": "written", "files": [str(p) for p in paths]}))
    else:
        print(t("packet.done", args.lang, number=args.number, out=str(args.out)))
    return EXIT_OK


COMMANDS = {
    "init": cmd_init, "summary": cmd_summary, "import-expenses": cmd_import,
    "import-merchants": cmd_import_merchants,
    "report": cmd_report, "brief": cmd_brief, "users": cmd_users, "rates": cmd_rates,
    "import-commitments": cmd_import_commitments,
    "claims": cmd_claims, "amendments": cmd_amendments, "claim-packet": cmd_claim_packet,
    "close-year": cmd_close_year,
    "reopen-year": cmd_reopen_year,
    "verify-close": cmd_verify_close,
}


def _store_ready() -> bool:
    import sqlalchemy as sa

    engine = make_engine()
    try:
        return sa.inspect(engine).has_table("program")
    finally:
        engine.dispose()


def _refuse(args: argparse.Namespace, code: str, message: str) -> int:
    """A command refused as a whole: exit 2, the code and the sentence (one JSON object with --json)."""
    if getattr(args, "json", False):
        print(json.dumps({"status": "rejected", "reason": code, "message": message}, ensure_ascii=False))
    else:
        print(f"{code}: {message}", file=sys.stderr)
    return EXIT_REFUSED


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command != "init" and not _store_ready():
            print("store-not-initialised: la base n'est pas initialisée; lancez d'abord "
                  "« python -m cqic_budget init » (the store is not initialised: run init first).",
                  file=sys.stderr)
            return EXIT_REFUSED
        return COMMANDS[args.command](args)
    except StoreBusy as exc:
        return _refuse(args, exc.code, exc.message(getattr(args, "lang", "fr")))
    except sa.exc.DBAPIError as exc:
        # Never the driver's message on screen: it may carry SQL, parameters, host names.
        if is_busy(exc):
            return _refuse(args, StoreBusy.code, StoreBusy().message(getattr(args, "lang", "fr")))
        from cqic_budget.i18n import t

        logging.getLogger("cqic_budget").error(
            "store error in %s: %s: %s", args.command, type(exc.orig).__name__, str(exc.orig).split("\n")[0]
        )
        return _refuse(args, "store-error", t("store.error", getattr(args, "lang", "fr")))
    except LookupError as exc:
        print(f"unknown-program: programme introuvable / no such program: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except UserFacingError as exc:
        # Every error a user can cause (Forbidden, UserError, SettingsError…): a code and a message.
        lang = getattr(args, "lang", "fr")
        if getattr(args, "json", False):
            print(json.dumps({"status": "rejected", "reason": exc.code, "message": exc.message(lang)}))
        else:
            print(f"{exc.code}: {exc.message(lang)}", file=sys.stderr)
        return EXIT_REFUSED
