"""Clean a column of web pages in Apache Spark (`pip install 'cleaner[spark]'`).

    from cleaner.spark import clean_column
    df.withColumn("text", clean_column("html")).write.parquet("clean/")

The work runs in a pandas UDF: each executor's Python worker loads the model once and cleans
its rows in batches, exactly as `Cleaner.clean_many` does on one machine. The bundled model is
part of the installed package on every executor; a model of your own is broadcast as bytes
once, never pickled with each task or row.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any

from cleaner.api import Cleaner, CleanerConfig
from cleaner.storage import card_path

try:  # PySpark reads the pandas UDF's kind from its type hints, which name pandas.Series
    import pandas as pd
except ImportError:  # the error comes from _pyspark() when clean_column is called
    pd = None


def _pyspark() -> Any:
    try:
        import pandas  # noqa: F401 - pandas UDFs need it
        import pyspark.sql.functions
    except ImportError:
        raise ImportError("cleaner.spark needs PySpark: pip install 'cleaner[spark]'") from None
    return pyspark.sql.functions


def clean_column(column: Any, model: str | Path | None = None, threshold: float | None = None) -> Any:
    """A Spark column holding the cleaned text of `column` (HTML or plain text, string or
    binary); null where a document cannot be cleaned (empty, binary, too large, ...).

    Args:
        column: a column name or Column.
        model: a model file made by `cleaner train` (default: the bundled model).
        threshold: the content probability a block needs to be kept (default: the model's).
    """
    functions = _pyspark()
    config = CleanerConfig() if threshold is None else CleanerConfig(threshold=threshold)
    shipped = None
    if model is not None:
        from pyspark.sql import SparkSession

        session = SparkSession.getActiveSession()
        if session is None:
            raise RuntimeError("clean_column(model=...) needs an active SparkSession to broadcast the model")
        path = Path(model)
        shipped = session.sparkContext.broadcast((path.name, path.read_bytes(), card_path(path).read_bytes()))

    def clean_batch(pages: pd.Series) -> pd.Series:
        cleaner = _cached_cleaner(shipped.value if shipped is not None else None, config)
        records = cleaner.clean_stream(({"html": page} for page in pages), keep_html=False)
        return pd.Series([record.get("text") for record in records], dtype="object")

    return functions.pandas_udf(clean_batch, "string")(column)


@functools.lru_cache(maxsize=4)
def _cached_cleaner(shipped: tuple[str, bytes, bytes] | None, config: CleanerConfig) -> Cleaner:
    """The Cleaner of this Python worker process, made on its first batch."""
    if shipped is None:
        return Cleaner(config=config)
    name, model_bytes, card_bytes = shipped
    folder = Path(tempfile.mkdtemp(prefix="cleaner-model-"))
    (folder / name).write_bytes(model_bytes)
    card_path(folder / name).write_bytes(card_bytes)
    return Cleaner(folder / name, config)
