"""A wheel built from the repository carries the bundled model and cleans pages on its own."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from support import REPO


def test_wheel_contains_the_model_and_cleans_without_a_checkout(tmp_path: Path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(tmp_path / "dist")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("cleaner-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "cleaner/models/cleaner.skops" in names and "cleaner/models/cleaner.json" in names
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import cleaner; "
        "assert cleaner.__file__.startswith(sys.argv[1]), cleaner.__file__; "
        "print(cleaner.Cleaner().clean(sys.stdin.read()).text)"
    )
    page = (REPO / "examples" / "harbour-bridge.html").read_text()
    done = subprocess.run(
        [sys.executable, "-I", "-c", script, str(unpacked)],
        input=page,
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "harbour bridge reopened to traffic" in done.stdout
    assert "WhatsApp" not in done.stdout
