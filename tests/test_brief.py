"""The weekly brief: its sections from the metrics, one PDF page, the e-mail sent to a local SMTP server."""

from __future__ import annotations

import email
import email.policy
import shutil
import subprocess
from datetime import date
from decimal import Decimal as D

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from conftest import skip_or_fail
from factories import cqic_facts, spend
from mail_tools import Inbox
from pdf_tools import pdf_text

from cqic_budget import brief as brief_module
from cqic_budget import claims
from cqic_budget.brief import (
    Brief,
    BriefSection,
    ClaimDue,
    brief_html,
    brief_message,
    brief_pdf,
    brief_text,
    build_brief,
    late_milestones,
)
from cqic_budget.cli import main
from cqic_budget.db import session_scope
from cqic_budget.i18n import format_money, format_percent, t
from cqic_budget.mailer import MailError, SmtpSettings, parse_addresses, send, smtp_settings
from cqic_budget.metrics.budget_lines import budget_line_positions
from cqic_budget.metrics.facts import BudgetLineFact, MilestoneFact
from cqic_budget.metrics.milestones import milestone_status
from cqic_budget.metrics.summary import compute_summary
from tools.local_server import free_port

AS_OF = date(2026, 10, 31)


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


# --- Pure rules ---------------------------------------------------------------------------------------


def test_budget_lines_near_their_limit_hand_worked():
    facts = cqic_facts(
        date(2025, 12, 31),
        budget_lines=(BudgetLineFact("2025-2026", "salaries", D("100000")),
                      BudgetLineFact("2025-2026", "marketing", D("20000")),
                      BudgetLineFact("2025-2026", "travel", D("10000")),
                      BudgetLineFact("2026-2027", "salaries", D("100000"))),
        monthly=(spend("2025-05", "50000"), spend("2025-11", "40000"),  # salaries 90 000 = 90,0 % of 100 000
                 spend("2025-06", "17999.99", "marketing"),  # 17 999,99 ÷ 20 000 = 89,99995 %: not yet
                 spend("2025-07", "500", "equipment"),  # spending on a line without a budget
                 spend("2026-01", "9999", "travel")),  # after the as-of: not counted
    )
    # The brief lists the lines whose status (metrics.status) is not ok: watch from 90 % used, breach past
    # 100 % + the transfer tolerance (10 %), a line without a budget that spends.
    uses = {(u.fiscal_year, u.category): u for u in budget_line_positions(facts)}
    salaries = uses[("2025-2026", "salaries")]
    assert (salaries.budget, salaries.spent, salaries.available) == (D("100000"), D("90000"), D("10000"))
    assert salaries.used_share == D("0.9") and salaries.status == "watch"
    assert uses[("2025-2026", "marketing")].status == "ok"
    equipment = uses[("2025-2026", "equipment")]
    assert equipment.used_share is None and equipment.status == "breach"
    assert uses[("2025-2026", "travel")].spent == 0 and uses[("2025-2026", "travel")].status == "ok"
    assert uses[("2026-2027", "salaries")].status == "ok"  # a future year: nothing spent


def test_late_milestones_are_open_ones_past_their_due_date():
    def milestone(number, due, status, achieved=None):
        return MilestoneFact(number, f"Jalon {number}", f"Milestone {number}", due, D("1000"), status,
                             achieved, None, None)

    facts = cqic_facts(date(2025, 10, 31), milestones=(
        milestone(1, date(2025, 9, 30), "planned"),  # open, 31 days late
        milestone(2, date(2025, 6, 30), "achieved", date(2025, 7, 20)),  # achieved late: not "late" now
        milestone(3, date(2025, 10, 31), "planned"),  # due today: not late yet
        milestone(4, date(2025, 7, 31), "planned"),  # open, 92 days late
    ))
    late = late_milestones(milestone_status(facts))
    assert [(m.milestone_id, m.days_late) for m in late] == [(4, 92), (1, 31)]


# --- The brief of the demo program ----------------------------------------------------------------------


def test_demo_brief_sections_come_from_the_summary(demo_readonly_session, tmp_path):
    session = demo_readonly_session  # the demo, read only
    summary = compute_summary(session, as_of=AS_OF)
    brief = build_brief(session, program_code=None, as_of=AS_OF, lang="fr")
    sections = {s.key: s for s in brief.sections}
    assert list(sections) == ["checks", "budget_lines", "fiscal_years", "milestones", "claims"]
    # The ledger's claim still owed (n° 4, submitted, nothing paid) and the next claim to submit (from the day
    # after claim 4's period to the as-of, its amount computed by claims.next_claim).
    ledger = {line.number: line for line in claims.ledger(session, as_of=AS_OF)}
    upcoming = claims.next_claim(session, as_of=AS_OF)
    assert [row[0] for row in sections["claims"].rows] == ["Réclamation n° 4", "Prochaine réclamation"]
    assert sections["claims"].rows[0][4] == format_money(ledger[4].still_due, "fr")
    assert ledger[4].still_due == ledger[4].claimed and ledger[4].paid == 0
    assert sections["claims"].rows[1][2] == "2026-10-01 → 2026-10-31"
    assert sections["claims"].rows[1][4] == format_money(upcoming.amount, "fr")
    assert brief.pace[0] == ("Budget total", format_money(summary.budget_total, "fr"))
    assert format_money(summary.spent, "fr") in brief.headline
    assert format_money(summary.projected_total, "fr") in brief.headline
    not_ok = [c for c in summary.checks if c.status != "ok"]
    assert [row[2] for row in sections["checks"].rows] == [c.message("fr") for c in not_ok]
    at_risk = [fy for fy in summary.fiscal_years if fy.status != "ok"]
    assert [row[0] for row in sections["fiscal_years"].rows] == [fy.label for fy in at_risk]
    # Every line shown is at 90 % or more of its budget; the current year's come first.
    assert sections["budget_lines"].rows  # the demo has lines at 90 % or more
    for row in sections["budget_lines"].rows:
        share = D(row[4].replace("\u00a0%", "").replace(",", ".")) / 100
        assert share >= D("0.9"), row
    assert sections["budget_lines"].rows[0][0] == "2026-2027"
    assert brief.attention == sum(len(s.rows) for s in brief.sections) == len(not_ok) + len(at_risk) + len(
        sections["budget_lines"].rows) + len(sections["milestones"].rows) + len(sections["claims"].rows)
    assert brief.subject == t("brief.subject.some", "fr", code="CQIC", date="31 octobre 2026",
                              count=str(brief.attention))

    data = brief_pdf(brief)
    assert data == brief_pdf(build_brief(session, program_code=None, as_of=AS_OF, lang="fr"))
    pages = [p for p in pdf_text(data, tmp_path).split("\f") if p.strip()]
    assert len(pages) == 1
    text = _flat(pages[0])
    assert "Résumé de la semaine" in text and "Données au 31 octobre 2026" in text and "Page 1 / 1" in text
    assert "Vérifications à surveiller" in text and "Postes à 90 % ou plus de leur budget" in text
    assert _flat(format_money(summary.spent, "fr")) in text

    english = build_brief(session, program_code=None, as_of=AS_OF, lang="en")
    assert english.subject.startswith("CQIC — weekly brief as of October 31, 2026")
    assert format_money(summary.spent, "en") in english.headline


def _claims(session, *, program_id, as_of, lang):
    return [ClaimDue("<b>R-1</b>", "Gouvernement du Québec (MEIE)", "2026-04-01 → 2026-06-30", D("125000.5"),
                     "soumise" if lang == "fr" else "submitted", date(2026, 7, 31))]


def test_claims_section_only_when_a_source_is_connected_and_html_escaped(demo_readonly_session, monkeypatch):
    session = demo_readonly_session  # the demo, read only
    brief = build_brief(session, program_code=None, as_of=AS_OF, lang="fr", claims_source=_claims)
    claims = brief.sections[-1]
    assert claims.key == "claims" and claims.title == "Réclamations dues ou impayées"
    assert claims.rows == (("<b>R-1</b>", "Gouvernement du Québec (MEIE)", "2026-04-01 → 2026-06-30",
                            "2026-07-31", "125\u00a0000,50\u00a0$", "soumise"),)
    html = brief_html(brief)
    assert "&lt;b&gt;R-1&lt;/b&gt;" in html and "<b>R-1" not in html
    # The integrator connects the ledger once, for every caller.
    monkeypatch.setattr(brief_module, "CLAIMS_SOURCE", _claims)
    assert build_brief(session, program_code=None, as_of=AS_OF, lang="en").sections[-1].key == "claims"


def _crowded_brief(lang: str = "fr") -> Brief:
    long = "Un constat très long « entre guillemets » qui se répète pour remplir la ligne. " * 4
    sections = tuple(
        BriefSection(key=key, title=f"Section {key} — éé", columns=("Colonne", "Montant", "Constat"),
                     rows=tuple((f"<i>{key} {n}</i>", format_money(D(n * 1000), lang), long)
                                for n in range(30)),
                     align=("L", "R", "L"), widths=(1, 1, 5), empty="—", lang=lang)
        for key in ("checks", "budget_lines", "fiscal_years", "milestones", "claims")
    )
    return Brief(lang=lang, program_code="CQIC", program_name="Programme <script>alert(1)</script>",
                 as_of=AS_OF, title="Résumé de la semaine", subject="Sujet", headline=long,
                 pace_title="Rythme",
                 pace=tuple((f"Libellé {n}", format_percent(D("0.5"), lang)) for n in range(10)),
                 sections=sections, attention=150, footer="Pied")


def test_a_crowded_brief_still_fits_one_page_and_counts_what_it_left_out(tmp_path):
    brief = _crowded_brief()
    pages = [p for p in pdf_text(brief_pdf(brief), tmp_path).split("\f") if p.strip()]
    assert len(pages) == 1
    text = _flat(pages[0])
    assert "Section claims — éé" in text and "de plus, dans l'application" in text
    html = brief_html(brief)
    assert "<script>" not in html and "&lt;script&gt;" in html and "<i>" not in html
    plain = brief_text(brief)
    assert "… et 5 de plus, dans l'application." in plain  # 30 rows, 25 in the e-mail


# --- Settings and addresses -------------------------------------------------------------------------------


def test_smtp_settings_environment_over_secrets(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[smtp]\nhost = "smtp.example.org"\nport = 2525\nstarttls = false\nuser = "u"\n'
                       'sender = "resume@cqic.example"\npassword = "from-secrets"\n', encoding="utf-8")
    settings = smtp_settings(environ={}, secrets_files=[secrets])
    assert (settings.host, settings.port, settings.starttls, settings.user, settings.password) == (
        "smtp.example.org", 2525, False, "u", "from-secrets")
    assert "from-secrets" not in repr(settings)
    settings = smtp_settings(environ={"CQIC_SMTP_PASSWORD": "from-env", "CQIC_SMTP_PORT": "587",
                                      "CQIC_SMTP_STARTTLS": "oui"}, secrets_files=[secrets])
    assert (settings.password, settings.port, settings.starttls) == ("from-env", 587, True)
    with pytest.raises(MailError) as caught:
        smtp_settings(environ={}, secrets_files=[tmp_path / "absent.toml"])
    assert caught.value.code == "smtp-not-configured" and "CQIC_SMTP_HOST" in caught.value.message("fr")
    for environ in ({"CQIC_SMTP_PORT": "vingt"}, {"CQIC_SMTP_PORT": "70000"},
                    {"CQIC_SMTP_STARTTLS": "peut-être"}, {"CQIC_SMTP_SENDER": "Résumé <a@b.c>"}):
        with pytest.raises(MailError) as caught:
            smtp_settings(environ=environ, secrets_files=[secrets])
        assert caught.value.code == "smtp-bad-setting"
    broken = tmp_path / "broken.toml"
    broken.write_text("[smtp\nhost=", encoding="utf-8")
    with pytest.raises(MailError):
        smtp_settings(environ={}, secrets_files=[broken])


def test_a_subject_stays_one_line():
    from cqic_budget.mailer import compose

    msg = compose(sender="a@cqic.example", recipients=["b@cqic.example"],
                  subject="CQIC\r\nBcc: x@evil.example", text="t", html="<p>t</p>", lang="fr")
    assert msg["Subject"] == "CQIC Bcc: x@evil.example" and msg["Bcc"] is None
    assert msg["Content-Language"] == "fr-CA"


def test_recipients_are_plain_addresses():
    assert parse_addresses(" a@cqic.ca, b.c@example.org ,a@cqic.ca") == ["a@cqic.ca", "b.c@example.org"]
    for bad in ("a@cqic.ca\r\nBcc: x@evil.example", "Nom <a@cqic.ca>", "pas-une-adresse", "a@b", "a@@b.c"):
        with pytest.raises(MailError) as caught:
            parse_addresses(bad)
        assert caught.value.code == "bad-recipient"
    with pytest.raises(MailError) as caught:
        parse_addresses(" , ")
    assert caught.value.code == "no-recipient"
    with pytest.raises(MailError) as caught:
        parse_addresses(",".join(f"p{n}@cqic.ca" for n in range(51)))
    assert caught.value.code == "too-many-recipients"


# --- End to end: a local SMTP server ---------------------------------------------------------------------


@pytest.fixture
def smtp_server():
    """An SMTP server on 127.0.0.1 that keeps what it receives (no TLS, no login)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def _parts(raw: bytes):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    attachments = [(a.get_filename(), a.get_content_type(), a.get_content()) for a in msg.iter_attachments()]
    return msg, text, html, attachments


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_brief_send_reaches_the_smtp_server(lang, db_url, demo_engine, engine, smtp_server, monkeypatch,
                                            tmp_path, capsys):
    controller, inbox = smtp_server
    with session_scope(engine) as session:
        summary = compute_summary(session, as_of=AS_OF)
    for name, value in (("DATABASE_URL", db_url), ("SMTP_HOST", "127.0.0.1"),
                        ("SMTP_PORT", str(controller.port)), ("SMTP_STARTTLS", "false"),
                        ("SMTP_SENDER", "resume@cqic.example")):
        monkeypatch.setenv(f"CQIC_{name}", value)
    monkeypatch.delenv("CQIC_SMTP_USER", raising=False)
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here
    out = tmp_path / "brief.pdf"
    status = main(["brief", "--as-of", "2026-10-31", "--lang", lang, "--out", str(out), "--send",
                   "--to", "gestion@cqic.example,analyste@meie.example"])
    assert status == 0, capsys.readouterr().err
    assert len(inbox.envelopes) == 1
    envelope = inbox.envelopes[0]
    assert envelope.mail_from == "resume@cqic.example"
    assert envelope.rcpt_tos == ["gestion@cqic.example", "analyste@meie.example"]
    msg, text, html, attachments = _parts(envelope.original_content)
    subject = msg["Subject"]
    if lang == "fr":
        assert subject.startswith("CQIC — résumé de la semaine au 31 octobre 2026 :")
        assert "Vérifications à surveiller" in html and "RYTHME ET PRÉVISION" in text
        assert msg["Content-Language"] == "fr-CA"
    else:
        assert subject.startswith("CQIC — weekly brief as of October 31, 2026:")
        assert "Checks that are not ok" in html and "PACE AND FORECAST" in text
    spent = format_money(summary.spent, lang)
    assert spent in text and spent in html
    assert html.lstrip().startswith("<!DOCTYPE html>")
    [(name, mime, pdf)] = attachments
    assert mime == "application/pdf" and name.endswith(f"-CQIC-{AS_OF.isoformat()}.pdf")
    assert pdf == out.read_bytes()  # the PDF written and the one attached are the same file
    assert _flat(spent) in _flat(pdf_text(pdf, tmp_path))
    assert "gestion@cqic.example" in capsys.readouterr().out


def test_brief_send_refuses_bad_input_before_writing(db_url, demo_engine, engine, monkeypatch, tmp_path,
                                                     capsys):
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)
    for name in ("HOST", "PORT", "STARTTLS", "USER", "SENDER", "PASSWORD"):
        monkeypatch.delenv(f"CQIC_SMTP_{name}", raising=False)
    out = tmp_path / "brief.pdf"
    assert main(["brief", "--out", str(out), "--send", "--to", "a@cqic.example"]) == 2
    assert "smtp-not-configured" in capsys.readouterr().err and not out.exists()
    monkeypatch.setenv("CQIC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CQIC_SMTP_SENDER", "resume@cqic.example")
    assert main(["brief", "--out", str(out), "--send", "--to", "a@cqic.example\nBcc: b@evil.example"]) == 2
    assert "bad-recipient" in capsys.readouterr().err and not out.exists()
    assert main(["brief", "--out", str(out), "--to", "a@cqic.example"]) == 2  # --to without --send
    assert not out.exists()
    # A server that does not answer: a clear error, no traceback.
    monkeypatch.setenv("CQIC_SMTP_PORT", str(free_port()))
    monkeypatch.setenv("CQIC_SMTP_STARTTLS", "false")
    assert main(["brief", "--lang", "en", "--send", "--to", "a@cqic.example"]) == 2
    assert "smtp-failed: Could not send through 127.0.0.1" in capsys.readouterr().err
    # Without --send: only the PDF, under its default name.
    assert main(["brief", "--as-of", "2026-10-31"]) == 0
    assert (tmp_path / "resume-hebdo-CQIC-2026-10-31.pdf").read_bytes().startswith(b"%PDF-")


def _self_signed(tmp_path):
    openssl = shutil.which("openssl")
    if openssl is None:
        skip_or_fail("openssl not installed (needed to make the test server's certificate)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def test_starttls_and_login_with_the_password_from_the_environment(tmp_path):
    import ssl

    cert, key = _self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(str(cert), str(key))
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        # handled=False: on a failure the server answers 535 itself.
        return AuthResult(success=auth_data.password == b"s3cret-ete", handled=False)

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=server_tls,
                            require_starttls=True, authenticator=authenticator)
    controller.start()
    try:
        environ = {"CQIC_SMTP_HOST": "127.0.0.1", "CQIC_SMTP_PORT": str(controller.port),
                   "CQIC_SMTP_USER": "resume", "CQIC_SMTP_SENDER": "resume@cqic.example",
                   "CQIC_SMTP_PASSWORD": "s3cret-ete", "CQIC_SMTP_CA_FILE": str(cert)}
        settings = smtp_settings(environ=environ, secrets_files=[])
        assert settings.starttls
        brief = _crowded_brief("en")
        pdf = brief_pdf(brief)

        def message():
            return brief_message(brief, sender=settings.sender, recipients=["a@cqic.example"], pdf=pdf)

        send(message(), settings)
        assert logins == [(b"resume", b"s3cret-ete")]
        msg, text, html, attachments = _parts(inbox.envelopes[0].original_content)
        assert msg["Subject"] == "Sujet" and attachments[0][1] == "application/pdf"
        assert "&lt;script&gt;" in html
        # A wrong password: refused, said in words.
        wrong = SmtpSettings(**{**settings.__dict__, "password": "faux"})
        with pytest.raises(MailError) as caught:
            send(message(), wrong)
        assert caught.value.code == "smtp-login-refused", caught.value.message("en")
        # A user without a password never reaches the server.
        with pytest.raises(MailError) as caught:
            send(message(),
                 SmtpSettings(**{**settings.__dict__, "password": None}))
        assert caught.value.code == "smtp-no-password"
        # Accented credentials: smtplib cannot send them; a clear error instead of a traceback.
        with pytest.raises(MailError) as caught:
            send(message(),
                 SmtpSettings(**{**settings.__dict__, "password": "s3cret-été"}))
        assert caught.value.code == "smtp-credentials-ascii"
        # Without the CA file the self-signed certificate is refused: STARTTLS really verifies.
        with pytest.raises(MailError) as caught:
            send(message(),
                 SmtpSettings(**{**settings.__dict__, "ca_file": None}))
        assert caught.value.code == "smtp-failed"
        assert len(inbox.envelopes) == 1
    finally:
        controller.stop()
