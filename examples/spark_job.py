"""Clean web pages on Apache Spark: JSON Lines or WARC files in, Parquet out.

    spark-submit examples/spark_job.py --input 'docs/*.jsonl' --output clean/
    spark-submit examples/spark_job.py --input 'crawl/*.warc.gz' --output clean/
    spark-submit --master spark://host:7077 examples/spark_job.py ...   # a cluster: change the master

Needs `pip install 'cleaner[spark]'` on the driver and every executor. JSON Lines records keep
their fields and gain `text` (null where a page cannot be cleaned); WARC files give one row per
HTML response with its URL, WARC record id and date. `--master local[2]` runs it here without
spark-submit.
"""

from __future__ import annotations

import argparse
import io

from pyspark.sql import SparkSession
from pyspark.sql.types import BinaryType, StringType, StructField, StructType

from cleaner.spark import clean_column
from cleaner.streams import WarcCounts, read_warc

WARC_SCHEMA = StructType(
    [
        StructField("url", StringType()),
        StructField("warc_record_id", StringType()),
        StructField("warc_date", StringType()),
        StructField("html", BinaryType()),
    ]
)


def warc_rows(data: bytes) -> list[tuple]:
    """The HTML responses of one WARC file's bytes, as rows of WARC_SCHEMA."""
    records = read_warc(io.BytesIO(data), "html", WarcCounts())
    return [(r["url"], r["warc_record_id"], r["warc_date"], r["html"]) for r in records]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="JSON Lines or WARC files (a path or glob)")
    parser.add_argument("--output", required=True, help="Parquet folder to write")
    parser.add_argument("--html-field", default="html", help="JSON Lines field holding the page (default: html)")
    parser.add_argument("--text-field", default="text", help="column for the cleaned text (default: text)")
    parser.add_argument("--model", help="a model made by `cleaner train` (default: the bundled model)")
    parser.add_argument("--master", help="Spark master, e.g. local[2] (default: spark-submit's)")
    parser.add_argument("--partitions", type=int, help="partitions to clean in (default: 4 per core)")
    args = parser.parse_args()

    builder = SparkSession.builder.appName("cleaner")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    if args.input.lower().endswith((".warc", ".warc.gz")):
        files = spark.sparkContext.binaryFiles(args.input)
        frame = spark.createDataFrame(files.flatMap(lambda item: warc_rows(item[1])), WARC_SCHEMA)
        html = "html"
    else:
        frame = spark.read.json(args.input)
        html = args.html_field
    # Several tasks per core: an input file splits into few partitions of unequal size, and the
    # core that gets the small one would sit idle while the other cleans the big one.
    frame = frame.repartition(args.partitions or 4 * spark.sparkContext.defaultParallelism)
    cleaned = frame.withColumn(args.text_field, clean_column(html, model=args.model))
    if html == "html" and args.input.lower().endswith((".warc", ".warc.gz")):
        cleaned = cleaned.drop("html")
    cleaned.write.mode("overwrite").parquet(args.output)
    spark.stop()


if __name__ == "__main__":
    main()
