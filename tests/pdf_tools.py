"""pdftotext / pdftoppm (poppler-utils) for the PDF tests; a missing tool fails under CI=true."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import skip_or_fail


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        skip_or_fail(f"{name} not installed (apt-get install poppler-utils)")
    return path


def pdf_text(pdf: bytes | Path, tmp_path: Path, *, layout: bool = False) -> str:
    """The text of every page, as pdftotext extracts it (pages separated by form feeds)."""
    source = pdf if isinstance(pdf, Path) else _write(pdf, tmp_path / "text-input.pdf")
    args = [_tool("pdftotext"), "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(source), "-"]
    return subprocess.run(args, check=True, capture_output=True, timeout=60).stdout.decode("utf-8")


def pdf_pages(pdf: bytes | Path, out_dir: Path, *, dpi: int = 60) -> list[Path]:
    """Each page rendered to a PNG by pdftoppm, in page order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    source = pdf if isinstance(pdf, Path) else _write(pdf, out_dir / "pages-input.pdf")
    subprocess.run([_tool("pdftoppm"), "-r", str(dpi), "-png", str(source), str(out_dir / "page")],
                   check=True, capture_output=True, timeout=120)
    return sorted(out_dir.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def _write(data: bytes, path: Path) -> Path:
    path.write_bytes(data)
    return path
