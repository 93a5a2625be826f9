"""The Upload page, run as Streamlit runs it (AppTest) on the demo store, in French and English.

The sample month (data/sample_expenses_2026-11.xlsx) is dropped on the uploader: the preview shows its counts
and its one rejected row with the reason; importing it writes a batch that the history lists and that the
Overview's spent figure shows at once (equal to the metric function); undoing it restores the figure. Strict
mode imports nothing; a file that is not a spreadsheet is refused with its code; the analysis is kept in the
session between reruns; the files to download are built when clicked; funders and viewers never reach the
page, and the services refuse them too.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from app_tools import (
    AUTH_SECRETS,
    DASHBOARD,
    SAMPLE,
    SAMPLE_NAME,
    UPLOAD,
    UPLOAD_AS_OF,
    drop,
    metrics_shown,
    money,
    open_upload,
    rerun,
)
from import_helpers import HEADER_FR, taxed, xlsx
from openpyxl import load_workbook
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from cqic_budget.auth import LOCAL_USER, Forbidden
from cqic_budget.db import data_version, session_scope
from cqic_budget.i18n import format_money, format_number, t
from cqic_budget.importing import service
from cqic_budget.importing.batches import undo_batch
from cqic_budget.importing.templates import sample_bytes, template_bytes
from cqic_budget.metrics.summary import compute_summary
from cqic_budget.models import Category, Expense, ImportBatch
from cqic_budget.ui import LANG_KEY
from cqic_budget.ui import upload as upload_ui
from cqic_budget.users import add_user
from cqic_budget.views import upload as upload_views
from cqic_budget.views.audit import when

# Fixtures (tests/conftest.py): store, demo_store (a copy of the demo template), fresh_caches,
# downloads.
pytestmark = [pytest.mark.usefixtures("fresh_caches"), pytest.mark.one_store]

AS_OF = UPLOAD_AS_OF  # sees the sample month (November 2026)
LANGS = ["fr", "en"]
OVERVIEW = "pages/overview.py"
FUNDER, VIEWER, MANAGER = "analyste@economie.gouv.qc.ca", "lecteur@laval.ca", "gestion@cqic.ca"
# The sample month: 39 rows under the header; row 24 has a total 10,00 $ above amount + taxes.
SAMPLE_READ, SAMPLE_VALID, SAMPLE_REJECTED_ROW = 39, 38, 24


def counts_shown(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def spent_shown(at: AppTest, lang: str) -> str:
    at.switch_page(OVERVIEW)
    rerun(at)
    return metrics_shown(at)[t("kpi.spent", lang)][0]


def spent_expected(engine, lang: str) -> str:
    with Session(engine) as session:
        return money(compute_summary(session, as_of=AS_OF).spent, lang)


def batches(engine) -> list[ImportBatch]:
    with Session(engine) as session:
        return session.exec(select(ImportBatch).order_by(ImportBatch.id)).all()


def version(engine) -> int:
    with Session(engine) as session:
        return data_version(session)


def download_labels(at: AppTest) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return rerun(at)


# --- the page before any file ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_offers_the_uploader_the_template_and_the_sample(demo_store, downloads, lang):
    at = open_upload(lang=lang)
    assert at.title[0].value == t("upload_page.title", lang)
    uploader = at.file_uploader[0]
    assert uploader.label == t("upload_page.uploader", lang)
    assert uploader.allowed_type == [".xlsx", ".xlsm", ".xls", ".ods", ".csv"]
    template, sample = (
        downloads[t("upload_page.file.template", lang)],
        downloads[t("upload_page.file.sample", lang)],
    )
    assert template[0]() == template_bytes(lang)
    assert sample[0]() == sample_bytes(lang)
    assert not at.metric  # no preview before a file
    assert t("upload_page.no_batches", lang) in texts(at.info)
    assert t("upload_page.labels_empty", lang) in texts(at.caption)


# --- preview, commit, history, Overview, undo ------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_sample_month_previewed_imported_shown_and_undone(demo_store, lang):
    spent_before = spent_expected(demo_store, lang)
    at = open_upload(lang=lang)
    drop(at)

    # The preview: the counts, the rejected row with its column, code and reason in the reader's language.
    assert counts_shown(at) == {
        t("upload_page.count.read", lang): str(SAMPLE_READ),
        t("upload_page.count.valid", lang): str(SAMPLE_VALID),
        t("upload_page.count.rejected", lang): "1",
        t("upload_page.count.duplicate", lang): "0",
    }
    problems = at.dataframe[0].value
    row, column, problem = (t(f"upload_page.column.{k}", lang) for k in ("row", "column", "problem"))
    # Words, not codes: the code «total-mismatch» stays in the JSON output and the rows-to-fix workbook.
    assert problems[[row, column]].values.tolist() == [[SAMPLE_REJECTED_ROW, "Total"]]
    assert "total-mismatch" not in problems.to_string()
    # 449,85 + 22,49 + 44,87 = 517,21 $, but the sheet's total says 527,21 $.
    assert problems[problem][0] == t(
        "import.row.total-mismatch",
        lang,
        total=format_money(527.21, lang),
        expected=format_money(517.21, lang),
    )
    assert problems["kind"][0] == "rejected"
    valid = at.dataframe[1].value
    assert len(valid) == upload_views.VALID_SHOWN
    assert valid[t("upload_page.column.row", lang)].tolist()[:2] == [4, 5]
    assert valid[t("upload_page.column.total", lang)][0] == format_money(
        7358.40, lang
    )  # 6 400 + 320 + 638,40
    assert batches(demo_store) == []  # a preview writes nothing

    # Commit: the outcome, the batch in the history, the uploader emptied.
    before = version(demo_store)
    click(at, "upload.commit")
    [batch] = batches(demo_store)
    assert (batch.rows_read, batch.rows_imported, batch.rows_rejected, batch.user) == (39, 38, 1, LOCAL_USER)
    assert version(demo_store) > before
    fmt = {
        key: format_number(value, lang)
        for key, value in (("imported", 38), ("rejected", 1), ("duplicate", 0))
    }
    imported = t("upload_page.imported", lang, file=SAMPLE_NAME, batch_id=batch.id, **fmt)
    assert texts(at.success) == [f"{imported} {t('upload_page.imported_fix', lang, batch_id=batch.id)}"]
    assert not at.metric and at.file_uploader[0].value is None
    history = at.dataframe[0].value
    assert history[t("upload_page.column.file", lang)].tolist() == [SAMPLE_NAME]
    assert history[t("upload_page.column.imported", lang)].tolist() == [38]
    assert history[t("upload_page.column.status", lang)].tolist() == [t("upload_page.status.imported", lang)]
    assert history[t("upload_page.column.user", lang)].tolist() == [t("audit_page.local_user", lang)]

    # The Overview shows the new spending at once, equal to the metric function.
    spent_after = spent_expected(demo_store, lang)
    assert spent_after != spent_before
    assert spent_shown(at, lang) == spent_after

    # Undo, with its confirmation: the expenses leave, the Overview goes back.
    at.switch_page(UPLOAD)
    rerun(at)
    assert at.button(key="upload.undo").disabled
    at.checkbox(key=f"upload.undo_confirm.{batch.id}").check()
    rerun(at)
    click(at, "upload.undo")
    assert texts(at.success) == [t("import.undo.done", lang, batch_id=batch.id, count=38)]
    [batch] = batches(demo_store)
    assert batch.status == "reversed"
    statuses = at.dataframe[0].value[t("upload_page.column.status", lang)].tolist()
    assert statuses == [t("upload_page.status.reversed", lang)]
    undone = t(
        "upload_page.undone",
        lang,
        batch_id=batch.id,
        at=when(batch.reversed_at, lang),
        user=t("audit_page.local_user", lang),
    )
    assert undone in texts(at.caption)
    assert spent_shown(at, lang) == spent_before == spent_expected(demo_store, lang)


def test_the_same_file_again_is_refused_as_a_duplicate_in_words(demo_store):
    at = open_upload(lang="en")
    click(drop(at), "upload.commit")
    [batch] = batches(demo_store)
    assert at.success  # the import's banner
    drop(at)
    [error] = texts(at.error)
    # Words and the batch's number, not the code «duplicate-file»; the earlier success banner is gone.
    assert "duplicate-file" not in error and f"#{batch.id}" in error
    assert not at.success
    assert "upload.commit" not in [b.key for b in at.button]
    assert len(batches(demo_store)) == 1


# --- strict, refused files ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_strict_import_imports_nothing_when_a_row_is_rejected(demo_store, lang):
    at = open_upload(lang=lang)
    drop(at)
    at.checkbox(key=upload_ui.STRICT_KEY).check()
    rerun(at)
    [warning] = texts(at.warning)
    assert warning == t("upload_page.strict_warning", lang, rejected="1")
    assert at.button(key="upload.commit").label == t("upload_page.commit_strict", lang)
    before = version(demo_store)
    click(at, "upload.commit")
    assert t("import.reason.strict", lang) in texts(at.error)
    assert batches(demo_store) == [] and version(demo_store) == before
    # The analysis is kept: untick strict and import.
    assert counts_shown(at)[t("upload_page.count.rejected", lang)] == "1"
    at.checkbox(key=upload_ui.STRICT_KEY).uncheck()
    click(rerun(at), "upload.commit")
    assert [b.rows_imported for b in batches(demo_store)] == [SAMPLE_VALID]


# Text is read as a one-column CSV without the columns an expense sheet needs; a picture, a PDF or a damaged
# workbook renamed .xlsx is no spreadsheet at all.
REFUSED = [
    (b"not a spreadsheet", "no-header"),
    (b"%PDF-1.4 a letter, renamed", "not-spreadsheet"),
    (b"PK\x03\x04 a truncated workbook", "corrupt"),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("data, code", REFUSED)
def test_a_refused_file_shows_its_code_and_message(demo_store, lang, data, code):
    at = drop(open_upload(lang=lang), data, "depenses.xlsx")
    expected = service.analyse(demo_store, data, file_name="depenses.xlsx").outcome()
    assert expected.reason == code
    [error] = texts(at.error)
    assert error == t(
        "upload_page.refused_file",
        lang,
        file="depenses.xlsx",
        code=code,
        message=expected.reason_text(lang),
    )
    assert not at.exception and not at.metric and "upload.commit" not in [b.key for b in at.button]
    assert batches(demo_store) == []


# --- the analysis is kept between reruns; files built on click ----------------------------------------------


def test_the_analysis_is_kept_in_the_session_between_reruns(demo_store, monkeypatch):
    calls = []
    real = upload_ui.analyse

    def counted(*args, **kwargs):
        calls.append(kwargs["file_name"])
        return real(*args, **kwargs)

    monkeypatch.setattr(upload_ui, "analyse", counted)
    at = drop(open_upload())
    assert calls == [SAMPLE_NAME]
    stored = at.session_state[upload_ui.ANALYSIS_KEY]
    assert stored.sha256 == service.analyse(demo_store, SAMPLE, file_name="x").file_sha256
    rerun(at)
    at.radio(key=LANG_KEY).set_value("en")  # another language: the same analysis, words redrawn
    rerun(at)
    assert calls == [SAMPLE_NAME]
    assert counts_shown(at)[t("upload_page.count.rejected", "en")] == "1"
    assert at.dataframe[0].value[t("upload_page.column.row", "en")][0] == SAMPLE_REJECTED_ROW


@pytest.mark.parametrize("lang", LANGS)
def test_the_rows_to_fix_download_from_the_preview_and_from_the_history(demo_store, downloads, lang):
    at = drop(open_upload(lang=lang))
    name = t("upload_page.file.rows_to_fix", lang, stem="depenses-novembre")
    sheet = load_workbook(io.BytesIO(downloads[name][0]()))[t("import.rejected.sheet", lang)]
    rows = list(sheet.values)
    assert rows[0][:3] == (
        t("import.rejected.row", lang),
        t("import.rejected.code", lang),
        t("import.rejected.message", lang),
    )
    assert [r[:2] for r in rows[1:]] == [(SAMPLE_REJECTED_ROW, "total-mismatch")]
    downloads.clear()
    click(at, "upload.commit")
    [batch] = batches(demo_store)
    from_batch = load_workbook(io.BytesIO(downloads[name][0]()))[t("import.rejected.sheet", lang)]
    assert [r[:2] for r in list(from_batch.values)[1:]] == [(SAMPLE_REJECTED_ROW, "total-mismatch")]
    assert t("upload_page.batch_rows_button", lang, batch_id=batch.id) in download_labels(at)
    assert at.selectbox(key=upload_ui.BATCH_KEY).value == batch.id


# --- category labels waiting to be mapped -------------------------------------------------------------------


def unknown_label_sheet() -> bytes:
    return xlsx(
        {
            "Dépenses": [
                HEADER_FR,
                taxed(date(2026, 11, 5), "Agence Lumière", "1000.00", "AL-1", "Frais divers"),
                taxed(date(2026, 11, 6), "Agence Lumière", "500.00", "AL-2", "Frais divers"),
            ]
        }
    )


def test_an_admin_maps_an_unknown_label_once(demo_store):
    at = open_upload(lang="fr")
    click(drop(at, unknown_label_sheet(), "divers.xlsx"), "upload.commit")
    [choice] = [s for s in at.selectbox if s.key and s.key.startswith(upload_ui.LABELS_FORM)]
    assert choice.label == t("upload_page.label_choice", "fr", label="frais divers", count="2")
    with Session(demo_store) as session:
        code = session.exec(select(Category.code).where(Category.code != "unclassified")).first()
    choice.set_value(code)
    at.button[-1].click()  # the form's submit button
    rerun(at)
    assert texts(at.success) == [t("upload_page.labels_done", "fr", labels="1", count="2")]
    assert t("upload_page.labels_empty", "fr") in texts(at.caption)
    with Session(demo_store) as session:
        classified = session.exec(select(Expense).where(Expense.invoice_number.in_(["AL-1", "AL-2"]))).all()
        wanted = session.exec(select(Category.id).where(Category.code == code)).one()
    assert {e.category_id for e in classified} == {wanted}


def test_a_manager_imports_and_undoes_but_only_sees_the_labels(demo_store):
    with session_scope(demo_store) as session:
        add_user(session, MANAGER, "manager", by=LOCAL_USER)
    at = open_upload(lang="en", user=MANAGER)
    click(drop(at, unknown_label_sheet(), "divers.xlsx"), "upload.commit")
    [batch] = batches(demo_store)
    assert batch.user == MANAGER
    assert not [s for s in at.selectbox if s.key and s.key.startswith(upload_ui.LABELS_FORM)]
    assert t("upload_page.labels_admin_only", "en") in texts(at.info)
    assert at.button(key="upload.undo") is not None  # managers may undo


# --- roles ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role, email", [("funder", FUNDER), ("viewer", VIEWER)])
def test_funders_and_viewers_cannot_open_the_page_and_the_service_refuses(demo_store, role, email):
    with session_scope(demo_store) as session:
        add_user(session, email, role, by=LOCAL_USER)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.secrets["auth"] = AUTH_SECRETS
    at.user = {"is_logged_in": True, "email": email}
    rerun(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(UPLOAD)
    with pytest.raises(Forbidden):
        service.analyse(demo_store, SAMPLE, file_name=SAMPLE_NAME, user=email)
    analysis = service.analyse(demo_store, SAMPLE, file_name=SAMPLE_NAME)
    with pytest.raises(Forbidden):
        service.commit(demo_store, analysis, user=email)
    outcome = service.commit(demo_store, analysis)
    with pytest.raises(Forbidden):
        undo_batch(demo_store, outcome.batch_id, user=email)
    with Session(demo_store) as session:
        view = upload_views.build_upload(session, program_code=None, lang="fr", user=email)
    assert not view.allowed and view.batches == ()
