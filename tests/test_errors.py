"""One base class for the errors a user can cause (errors.UserFacingError): a code, a FR/EN sentence, and
one place in the command line that turns any of them into exit 2 with that code and sentence."""

import json
from pathlib import Path

import pytest

from cqic_budget import cli
from cqic_budget.auth import Forbidden
from cqic_budget.budget import AmendmentError
from cqic_budget.closing import FundingError
from cqic_budget.currency import RatesError
from cqic_budget.demo import DemoConflict
from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import t
from cqic_budget.importing.refusal import Refused
from cqic_budget.importing.service import Outcome
from cqic_budget.mailer import MailError
from cqic_budget.merchants import MerchantError
from cqic_budget.reports import ReportFormatError
from cqic_budget.settings_service import SettingsError
from cqic_budget.users import UserError

EXAMPLES = [
    Forbidden("viewer@cqic.ca", "settings"),
    UserError("invalid-email", "pas-un-courriel"),
    RatesError("not-valet"),
    MailError("smtp-not-configured"),
    MerchantError("not-found", "42"),
    AmendmentError("negative", "-5"),
    FundingError("unknown-year", label="2031-2032"),
    SettingsError("required", "name_fr"),
    DemoConflict("CQIC: the program already holds data"),
    Refused("too-large", "file", limit_mb=20),
    ReportFormatError(Path("rapport.docx")),
]


@pytest.mark.parametrize("error", EXAMPLES, ids=lambda e: type(e).__name__)
def test_every_error_a_user_can_cause_has_the_one_base_a_code_and_a_sentence_in_french_and_english(error):
    assert isinstance(error, UserFacingError)
    assert error.code and " " not in error.code
    french, english = error.message("fr"), error.message("en")
    assert french and english and french != english
    assert "{" not in french + english  # every parameter of the sentence was given


def test_errors_that_were_value_errors_still_are():
    for error in EXAMPLES:
        if not isinstance(error, (Forbidden, Refused)):
            assert isinstance(error, ValueError), type(error).__name__


def test_a_refused_file_says_the_same_sentence_as_the_import_outcome():
    refused = Refused("too-large", "file", limit_mb=20)
    assert refused.message("fr") == t("import.refused.too-large.file", "fr", limit_mb=20)
    outcome = Outcome(status="rejected", file_name="x.xlsx", reason="too-large", reason_detail="file",
                      reason_params={"limit_mb": 20})
    assert outcome.reason_text("en") == refused.message("en")


@pytest.mark.parametrize("error", [Forbidden("viewer@cqic.ca", "settings"), DemoConflict("x"),
                                   Refused("empty"), SettingsError("required", "name_fr")],
                         ids=lambda e: type(e).__name__)
def test_the_command_line_refuses_any_of_them_in_one_place_with_exit_2(error, monkeypatch, capsys):
    def command(args):
        raise error

    monkeypatch.setattr(cli, "_store_ready", lambda: True)
    monkeypatch.setitem(cli.COMMANDS, "summary", command)
    assert cli.main(["summary", "--lang", "en"]) == 2
    assert capsys.readouterr().err.strip() == f"{error.code}: {error.message('en')}"
    assert cli.main(["summary", "--json", "--lang", "en"]) == 2
    assert json.loads(capsys.readouterr().out) == {"status": "rejected", "reason": error.code,
                                                   "message": error.message("en")}


def test_a_value_error_that_is_not_a_users_is_a_fault_and_not_swallowed(monkeypatch):
    def command(args):
        raise ValueError("a bug")

    monkeypatch.setattr(cli, "_store_ready", lambda: True)
    monkeypatch.setitem(cli.COMMANDS, "summary", command)
    with pytest.raises(ValueError, match="a bug"):
        cli.main(["summary"])


def test_a_user_error_without_its_own_sentence_says_its_text_or_its_code():
    assert UserFacingError("Fichier refusé").message("fr") == "Fichier refusé"
    assert UserFacingError().message("en") == "refused"
