"""The Spark job on local[2] gives the same text as the command line on one machine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ARTICLE_PAGE, REPO
from test_streams import write_warc

from cleaner.cli import main

pandas = pytest.importorskip("pandas", reason="the Spark tests need the spark extra: pip install '.[test,spark]'")
pytest.importorskip("pyspark", reason="the Spark tests need the spark extra: pip install '.[test,spark]'")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("PySpark needs Java 17 or newer, and there is none", allow_module_level=True)

JOB = REPO / "examples" / "spark_job.py"
PAGES = {
    "bridge": ARTICLE_PAGE,
    "ferry": ARTICLE_PAGE.replace("bridge", "ferry terminal"),
    "empty": "",
    "notes": "The council approved the budget on Tuesday.\nSign up for our newsletter to get council news daily!",
}


def run_job(source: Path, output: Path, tmp_path: Path) -> pandas.DataFrame:
    done = subprocess.run(
        [sys.executable, str(JOB), "--master", "local[2]", "--input", str(source), "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,  # import the installed package, not the checkout's source tree
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return pandas.read_parquet(output)


def cli_texts(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    target = tmp_path / "cli.jsonl"
    main(["clean", str(source), "-o", str(target)] + (["--input-format", "jsonl"] if source.suffix == ".jsonl" else []))
    capsys.readouterr()
    return [json.loads(line) for line in target.read_text().splitlines()]


def test_spark_job_on_jsonl_matches_the_cli(tmp_path: Path, capsys):
    source = tmp_path / "docs.jsonl"
    source.write_text("".join(json.dumps({"id": key, "html": page}) + "\n" for key, page in PAGES.items()))
    spark = run_job(source, tmp_path / "clean", tmp_path).set_index("id")
    for record in cli_texts(source, tmp_path, capsys):
        expected = record.get("text")
        got = spark.loc[record["id"], "text"]
        assert (got if isinstance(got, str) else None) == expected, record["id"]
    assert pandas.isna(spark.loc["empty", "text"]) and "steel supports" in spark.loc["bridge", "text"]


def test_spark_job_on_warc_matches_the_cli(tmp_path: Path, capsys):
    source = tmp_path / "crawl.warc.gz"
    write_warc(source)
    spark = run_job(source, tmp_path / "clean", tmp_path).set_index("url")
    expected = cli_texts(source, tmp_path, capsys)
    assert len(spark) == len(expected) == 2
    for record in expected:
        row = spark.loc[record["url"]]
        assert row["text"] == record["text"] and row["warc_record_id"] == record["warc_record_id"]
        assert "html" not in spark.columns
