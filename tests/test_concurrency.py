"""Two writers at once (SPEC §7): one import of a file imported twice at once, no row counted twice across two
files imported at once, one undo of a batch undone twice at once, one amendment (avenant) recorded twice at
once under one reference, and a busy store refused with `busy`.

Each race runs for real in threads (or processes) on SQLite and PostgreSQL. The thread tests hold each
writer for a moment right after its duplicate check (a barrier both must reach): without a lock taken
before the check, both writers pass it before either writes, which is the race made certain.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import date

import pytest
import sqlalchemy as sa
from conftest import ROOT
from import_helpers import HEADER_FR, taxed, xlsx

from cqic_budget import budget
from cqic_budget.amendments import new_amendment
from cqic_budget.auth import LOCAL_USER
from cqic_budget.budget import AmendmentError
from cqic_budget.db import StoreBusy, make_engine, session_scope
from cqic_budget.importing import batches as batch_service
from cqic_budget.importing import dedup
from cqic_budget.importing.batches import undo_batch
from cqic_budget.importing.service import import_file
from cqic_budget.models import AmendmentChange, AuditEvent, BudgetAmendment, ImportBatch

MARCH = date(2026, 3, 31)


def workbook(*rows) -> bytes:
    return xlsx({"S": [HEADER_FR, *rows]})


def held_after(monkeypatch, module, name: str, parties: int = 2, wait: float = 1.5) -> threading.Barrier:
    """Make every call of module.name wait (at most `wait` s) until `parties` calls are there together."""
    barrier = threading.Barrier(parties)
    original = getattr(module, name)

    def held(*args, **kwargs):
        result = original(*args, **kwargs)
        try:
            barrier.wait(timeout=wait)
        except threading.BrokenBarrierError:
            pass  # the other writer is waiting for the lock: it cannot be here at the same time
        return result

    monkeypatch.setattr(module, name, held)
    return barrier


def together(*calls):
    """Run the calls in threads started at once; their results (or exceptions) in order."""
    results: list = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(i, call):
        start.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def batches(engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(ImportBatch.file_sha256, ImportBatch.status))]


def expense_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT COUNT(*) FROM expense")).scalar_one()


def test_one_file_imported_twice_at_once_is_imported_once(engine, monkeypatch):
    data = workbook(taxed(MARCH, "Bell", "100.00", "B-1"), taxed(MARCH, "Vidéotron", "50.00", "V-1"))
    held_after(monkeypatch, dedup, "active_batch_with_hash")
    first, second = together(
        lambda: import_file(engine, data, file_name="a.xlsx"),
        lambda: import_file(engine, data, file_name="a-copie.xlsx"),
    )
    assert sorted([first.status, second.status]) == ["duplicate-file", "imported"], (first, second)
    loser = first if first.status == "duplicate-file" else second
    assert (loser.reason, loser.exit_status) == ("duplicate-file", 2)
    assert len(batches(engine)) == 1 and expense_count(engine) == 2


def test_a_row_in_two_files_imported_at_once_is_imported_once(engine, monkeypatch):
    shared_row = taxed(MARCH, "Bell", "100.00", "B-1")
    one = workbook(shared_row, taxed(MARCH, "Vidéotron", "50.00", "V-1"))
    two = workbook(shared_row, taxed(MARCH, "Hydro", "75.00", "H-1"))
    held_after(monkeypatch, dedup, "stored_keys")
    first, second = together(
        lambda: import_file(engine, one, file_name="un.xlsx"),
        lambda: import_file(engine, two, file_name="deux.xlsx"),
    )
    assert (first.status, second.status) == ("imported", "imported"), (first, second)
    assert sorted([first.rows_duplicate, second.rows_duplicate]) == [0, 1]
    assert expense_count(engine) == 3  # Bell once, Vidéotron, Hydro


def test_two_undos_of_one_batch_at_once_undo_it_once(engine, monkeypatch):
    data = workbook(taxed(MARCH, "Bell", "100.00", "B-1"))
    batch_id = import_file(engine, data, file_name="a.xlsx").batch_id
    held_after(monkeypatch, batch_service, "reverse_batch")
    first, second = together(
        lambda: undo_batch(engine, batch_id, lang="en"), lambda: undo_batch(engine, batch_id, lang="en")
    )
    assert sorted([first.ok, second.ok]) == [False, True], (first, second)
    loser = first if not first.ok else second
    assert loser.message == f"Batch #{batch_id} is already undone.", loser.message
    with engine.connect() as conn:
        undos = conn.execute(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "undo_import")
        ).scalar_one()
    assert undos == 1 and batches(engine)[0][1] == "reversed"
    # Undone once: the file may be imported again, once.
    assert import_file(engine, data, file_name="a.xlsx").status == "imported"


def test_the_store_refuses_a_second_active_batch_of_one_file(engine):
    """The rule lives in the store: even a writer that skips the service cannot add a second active batch."""
    import_file(engine, workbook(taxed(MARCH, "Bell", "100.00", "B-1")), file_name="a.xlsx")
    with engine.connect() as conn:
        program_id, sha = conn.execute(sa.select(ImportBatch.program_id, ImportBatch.file_sha256)).one()
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(
            sa.insert(ImportBatch.__table__).values(
                program_id=program_id,
                file_name="b.xlsx",
                file_sha256=sha,
                user="x",
                status="imported",
                rows_read=0,
                rows_imported=0,
                rows_rejected=0,
                rows_duplicate=0,
                issues=[],
            )
        )


# --- amendments: a double Save, or two commands recording one avenant -----------------------------------


def record_amendment(engine, reference: str = "Avenant 1") -> int:
    with session_scope(engine) as session:
        return new_amendment(session, effective_date="2026-10-15", reference=reference, approved_by="MEIE",
                             lines=[("2026-2027", "travel", "45000")], user=LOCAL_USER).id


def amendment_rows(engine) -> tuple[int, int, int]:
    """(amendments, their changes, their audit entries) in the store."""
    with engine.connect() as conn:
        return tuple(conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar_one()
                     for table, where in ((BudgetAmendment, ()), (AmendmentChange, ()),
                                          (AuditEvent, (AuditEvent.action == "amendment.create",))))


def one_recorded(results: list) -> AmendmentError:
    """Exactly one writer recorded the amendment; the other's refusal."""
    recorded = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, AmendmentError)]
    assert (len(recorded), len(refused)) == (1, 1), results
    return refused[0]


def test_one_amendment_recorded_twice_at_once_is_recorded_once(engine, monkeypatch):
    # Both writers held right after the reference check: without the program's lock both would pass it.
    held_after(monkeypatch, budget, "_refuse_repeated_reference")
    refused = one_recorded(together(lambda: record_amendment(engine), lambda: record_amendment(engine)))
    assert (refused.code, refused.value) == ("duplicate-reference", "Avenant 1")
    assert amendment_rows(engine) == (1, 1, 1)
    # Another reference is another amendment.
    record_amendment(engine, "Avenant 2")
    assert amendment_rows(engine) == (2, 2, 2)


def test_the_store_refuses_a_repeated_reference_that_a_writer_let_through(engine, monkeypatch):
    """The rule lives in the store: two writers without the lock nor the check, held together before they
    write, still record one amendment; the other's IntegrityError is the same refusal, nothing half-written.
    """
    monkeypatch.setattr(budget, "lock_program_writes", lambda session, program_id: None)
    monkeypatch.setattr(budget, "_refuse_repeated_reference", lambda session, program_id, reference: None)
    held_after(monkeypatch, budget, "_refuse_repeated_reference")
    refused = one_recorded(together(lambda: record_amendment(engine), lambda: record_amendment(engine)))
    assert (refused.code, refused.value) == ("duplicate-reference", "Avenant 1")
    assert amendment_rows(engine) == (1, 1, 1)
    with pytest.raises(AmendmentError) as again:  # and one after the other
        record_amendment(engine)
    assert again.value.code == "duplicate-reference" and amendment_rows(engine) == (1, 1, 1)


# --- processes: the command line, as two operators would run it --------------------------------------


def cli(db_url: str, *args: str, timeout_ms: int | None = None) -> subprocess.Popen:
    env = {**os.environ, "CQIC_DATABASE_URL": db_url}
    if timeout_ms is not None:
        env["CQIC_BUSY_TIMEOUT_MS"] = str(timeout_ms)
    return subprocess.Popen(
        [sys.executable, "-m", "cqic_budget", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_three_processes_importing_one_file_import_it_once(engine, db_url, tmp_path):
    path = tmp_path / "mars.xlsx"
    path.write_bytes(workbook(*(taxed(MARCH, f"Fournisseur {i}", "10.00", f"F-{i}") for i in range(50))))
    runs = [cli(db_url, "import-expenses", str(path), "--json") for _ in range(3)]
    outs = [(p.wait(60), p.stdout.read(), p.stderr.read()) for p in runs]
    statuses = sorted(json.loads(out)["status"] for _, out, _ in outs)
    assert statuses == ["duplicate-file", "duplicate-file", "imported"], outs
    assert sorted(code for code, _, _ in outs) == [0, 2, 2]
    assert len(batches(engine)) == 1 and expense_count(engine) == 50


def test_two_commands_recording_one_amendment_at_once_record_it_once(engine, db_url):
    new = ("amendments", "new", "--date", "2026-10-15", "--reference", "Avenant 1", "--approved-by", "MEIE",
           "--line", "2026-2027:travel=45000", "--json")
    runs = [cli(db_url, *new) for _ in range(2)]
    outs = [(p.wait(60), p.stdout.read(), p.stderr.read()) for p in runs]
    assert sorted(code for code, _, _ in outs) == [0, 2], outs
    answers = sorted(json.loads(out)["status"] for _, out, _ in outs)
    assert answers == ["recorded", "rejected"], outs
    assert [json.loads(out)["reason"] for code, out, _ in outs if code == 2] == ["duplicate-reference"]
    assert amendment_rows(engine) == (1, 1, 1)


@pytest.fixture
def held_lock(engine, db_url):
    """Another writer holding the store's write lock (SQLite) or the program's row (PostgreSQL)."""
    if db_url.startswith("sqlite"):
        import sqlite3

        holder = sqlite3.connect(sa.engine.make_url(db_url).database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        yield
        holder.execute("ROLLBACK")
        holder.close()
    else:
        other = make_engine(db_url)
        with other.connect() as conn:
            conn.execute(sa.text("SELECT id FROM program FOR UPDATE"))
            yield
            conn.rollback()
        other.dispose()


def test_a_busy_store_refuses_with_busy_and_no_traceback(engine, db_url, tmp_path, held_lock):
    path = tmp_path / "mars.xlsx"
    path.write_bytes(workbook(taxed(MARCH, "Bell", "100.00", "B-1")))
    run = cli(db_url, "import-expenses", str(path), "--json", "--lang", "en", timeout_ms=300)
    code, out, err = run.wait(60), run.stdout.read(), run.stderr.read()
    assert code == 2, (out, err)
    answer = json.loads(out)
    assert (answer["status"], answer["reason"]) == ("rejected", "busy")
    assert "retry" in answer["message"]
    assert "Traceback" not in err and "[SQL" not in err and "parameters" not in err
    run = cli(db_url, "import-expenses", str(path), timeout_ms=300)
    code, out, err = run.wait(60), run.stdout.read(), run.stderr.read()
    assert code == 2 and "busy:" in err and "réessayez" in err and "Traceback" not in err, err
    assert batches(engine) == []


def test_a_busy_undo_raises_store_busy(engine, db_url, monkeypatch):
    data = workbook(taxed(MARCH, "Bell", "100.00", "B-1"))
    batch_id = import_file(engine, data, file_name="a.xlsx").batch_id
    monkeypatch.setenv("CQIC_BUSY_TIMEOUT_MS", "200")
    waiting = make_engine(db_url)  # a new engine: its connections take the short busy timeout
    try:
        if db_url.startswith("sqlite"):
            import sqlite3

            holder = sqlite3.connect(sa.engine.make_url(db_url).database, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                with pytest.raises(StoreBusy):
                    undo_batch(waiting, batch_id)
            finally:
                holder.execute("ROLLBACK")
                holder.close()
        else:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT id FROM program FOR UPDATE"))
                with pytest.raises(StoreBusy):
                    undo_batch(waiting, batch_id)
                conn.rollback()
        assert batches(engine)[0][1] == "imported"
        assert undo_batch(waiting, batch_id).ok
    finally:
        waiting.dispose()
