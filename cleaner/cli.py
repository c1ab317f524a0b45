"""The command line: `cleaner clean`, `cleaner train`, `cleaner evaluate`."""

from __future__ import annotations

import argparse
import gc
import glob
import json
import multiprocessing
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from threadpoolctl import threadpool_limits

from cleaner.api import BATCH_SIZE, INPUT_FORMATS, CleanedBlock, Cleaner, CleanerConfig, CleanResult
from cleaner.blocks import SegmentedPage
from cleaner.corpus import select_pages
from cleaner.errors import CleanerError, InputError
from cleaner.evaluate import (
    Intervals,
    PageScore,
    Summary,
    block_report,
    bootstrap_intervals,
    cross_validate,
    evaluate_files,
    summarize,
)
from cleaner.files import atomic_path, write_text_atomically
from cleaner.labelling import classify_page, render_labelled, uncertainty
from cleaner.storage import bundled_model_path, load_model, read_card, save_model, write_card
from cleaner.streams import WarcCounts, is_warc, open_decompressed, open_output, read_jsonl, read_warc, write_jsonl
from cleaner.training import train_model

# Seconds one document may take in `cleaner clean`: a WCXB page takes 20 ms, the slowest 19 MB
# page we built (190,000 paragraphs) 14 s.
DEFAULT_TIMEOUT = 60.0
OUTPUT_FORMATS = {"text": "txt", "html": "html", "markdown": "md", "json": "json"}
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
STDIN = "-"


class Job(NamedTuple):
    """One document to clean: where it comes from and where its output goes (None: stdout)."""

    source: str
    target: str | None


def render(result: CleanResult, output_format: str) -> str:
    """The result in one of OUTPUT_FORMATS, ending with a newline when not empty."""
    if output_format == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False) + "\n"
    if output_format == "html":
        return result.html
    if output_format == "markdown":
        return result.markdown
    return result.text + "\n" if result.text else ""


def input_format_for(source: str, configured: str) -> str:
    """The input format of a file: the configured one, else by suffix, else sniffed."""
    if configured != "auto" or source == STDIN:
        return configured
    suffix = Path(source).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "auto"


_worker_cleaner: Cleaner | None = None


def settle_garbage_collector() -> None:
    """Tune the garbage collector of a process that only cleans, once its model is loaded.

    Cleaning makes no reference cycles, so the collector finds next to nothing, but its full
    passes walk every object of the process, the model included. Freezing what exists after
    loading and collecting less often made `cleaner clean` about 20 % faster (235 WCXB pages
    in batches of 8, 2026-11-28: 51 pages/s by default, 61 with these settings, 63 with the
    collector off).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def _start_worker(model: str | None, config: CleanerConfig) -> None:
    """Load the model once in a worker process, which computes on one thread.

    Each worker has a core; OpenMP threads of their own would only fight over them
    (235 pages with -j 2 on 2 cores: 8.4 s with the default threads, 6.9 s with one).
    """
    global _worker_cleaner
    # Ctrl-C reaches every process of the terminal's group: the main process stops handing out
    # work and lets the batches in hand finish, so a worker must not die in the middle of one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threadpool_limits(1)
    _worker_cleaner = Cleaner(model, config)
    settle_garbage_collector()


class DocumentTimeout(Exception):
    """Cleaning took longer than the time limit."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout in the block after `seconds` (no limit for None or 0, or off the
    main thread, where no alarm signal can be delivered)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def clean_within(
    cleaner: Cleaner, documents: list[bytes], input_format: str, timeout: float | None
) -> list[CleanResult | CleanerError]:
    """clean_many within `timeout` seconds a document; when the batch runs out of time, its
    documents are cleaned one at a time, so only the slow one fails."""
    try:
        with time_limit(timeout * len(documents) if timeout else None):
            return cleaner.clean_many(documents, input_format)
    except DocumentTimeout:
        pass
    results: list[CleanResult | CleanerError] = []
    for data in documents:
        try:
            with time_limit(timeout):
                results += cleaner.clean_many([data], input_format)
        except DocumentTimeout:
            results.append(InputError(f"took longer than {timeout:g} s to clean (--timeout)"))
    return results


def clean_jobs(
    jobs: Sequence[Job], output_format: str, cleaner: Cleaner | None = None, timeout: float | None = None
) -> list[tuple[str, str | None]]:
    """Clean documents and write their outputs; returns (source, error message or None) for each."""
    cleaner = cleaner or _worker_cleaner
    assert cleaner is not None, "clean_jobs runs in a worker started by _start_worker"
    problems: dict[int, str] = {}
    by_format: dict[str, list[tuple[int, bytes]]] = {}
    for number, job in enumerate(jobs):
        try:
            data = sys.stdin.buffer.read() if job.source == STDIN else Path(job.source).read_bytes()
        except IsADirectoryError:
            problems[number] = "is a folder (name it as an input to clean the files in it)"
            continue
        except OSError as error:
            problems[number] = error.strerror or str(error)
            continue
        chosen = input_format_for(job.source, cleaner.config.input_format)
        by_format.setdefault(chosen, []).append((number, data))
    for chosen, documents in by_format.items():
        results = clean_within(cleaner, [data for _, data in documents], chosen, timeout)
        for (number, _), result in zip(documents, results):
            if isinstance(result, CleanerError):
                problems[number] = str(result)
                continue
            try:
                _write_output(jobs[number], render(result, output_format))
            except OSError as error:
                problems[number] = error.strerror or str(error)
    return [(job.source, problems.get(number)) for number, job in enumerate(jobs)]


def _write_output(job: Job, output: str) -> None:
    if job.target is None:
        sys.stdout.write(output)
        sys.stdout.flush()
    else:
        write_text_atomically(Path(job.target), output)


def expand_inputs(inputs: Sequence[str], suffixes: set[str] | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """Files from files, folders (their files, not recursive), globs and "-"; and errors.

    With `suffixes`, folders and globs give only files with those suffixes.
    """
    sources: list[str] = []
    errors: list[tuple[str, str]] = []
    for item in inputs:
        path = Path(item)
        if item == STDIN or path.is_file():
            sources.append(item)
        elif path.is_dir():
            found = [p for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith(".")]
            sources.extend(str(p) for p in found if suffixes is None or p.suffix.lower() in suffixes)
        elif glob.has_magic(item) and glob.glob(item):
            found = sorted(Path(p) for p in glob.glob(item) if Path(p).is_file())
            sources.extend(str(p) for p in found if suffixes is None or p.suffix.lower() in suffixes)
        else:
            errors.append((item, "no such file or folder"))
    return sources, errors


def plan_jobs(
    sources: list[str], output_dir: Path | None, output_format: str
) -> tuple[list[Job], list[tuple[str, str]]]:
    """A job per source with its output path; sources whose output would clash get errors."""
    if output_dir is None:
        return [Job(s, None) for s in sources], []
    inputs = {Path(s).resolve() for s in sources if s != STDIN}
    jobs: list[Job] = []
    errors: list[tuple[str, str]] = []
    taken: dict[Path, str] = {}
    for source in sources:
        stem = "stdin" if source == STDIN else Path(source).stem
        target = output_dir / f"{stem}.{OUTPUT_FORMATS[output_format]}"
        resolved = target.resolve()
        if resolved in inputs:
            errors.append((source, f"output {target} would overwrite an input; choose another -o folder"))
        elif resolved in taken:
            errors.append((source, f"output {target} is already the output of {taken[resolved]}"))
        else:
            taken[resolved] = source
            jobs.append(Job(source, str(target)))
    return jobs, errors


class Progress:
    """A one-line progress bar on a terminal; silent when stderr is not one."""

    def __init__(self, total: int, stream: TextIO):
        self.total = total
        self.done = 0
        self.stream = stream
        self.shown = total > 1 and stream.isatty()

    def step(self, count: int = 1) -> None:
        """Count finished documents and redraw."""
        self.done += count
        if self.shown:
            width = 30
            filled = width * self.done // self.total
            self.stream.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


def clean_config(args: argparse.Namespace, input_format: str) -> CleanerConfig:
    """The cleaning options given to `cleaner clean`."""
    return CleanerConfig(
        threshold=args.threshold,
        input_format=input_format,
        safe_html=not args.keep_markup,
        max_bytes=int(args.max_size * 1_000_000),
    )


def run_stream(args: argparse.Namespace) -> int:
    """`cleaner clean` over JSON Lines records (--input-format jsonl) or WARC files: one JSON
    line out per record (per HTML response of a WARC), in order, to -o FILE or stdout."""
    config = clean_config(args, "auto")
    output = Path(args.output) if args.output else None
    if output is not None and output.is_dir():
        print(f"cleaner: {output} is a folder; records go to one JSON Lines file (-o out.jsonl)", file=sys.stderr)
        return 2
    if args.jobs > 1:
        print("cleaner: records of a stream are cleaned in one process; -j spreads files only", file=sys.stderr)
    cleaner = Cleaner(args.model, config)
    settle_garbage_collector()
    warc_counts = WarcCounts()
    unreadable: list[str] = []

    def records() -> Iterator[dict[str, Any]]:
        for source in args.inputs or [STDIN]:
            try:
                raw = sys.stdin.buffer if source == STDIN else open(source, "rb")  # noqa: SIM115 - closed below
            except OSError as error:
                unreadable.append(source)
                print(f"cleaner: {source}: {error.strerror or error}", file=sys.stderr)
                continue
            with raw:
                if is_warc(source):
                    yield from read_warc(raw, args.html_field, warc_counts)
                else:
                    yield from read_jsonl(open_decompressed(raw), source, args.error_field)

    cleaned = failed = 0
    warc = bool(args.inputs) and all(is_warc(item) for item in args.inputs)
    stream = cleaner.clean_stream(
        records(), args.html_field, args.text_field, args.error_field, keep_html=not warc, batch_size=BATCH_SIZE
    )

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal cleaned, failed
        for record in stream:
            if args.error_field in record:
                failed += 1
            else:
                cleaned += 1
            yield record

    try:
        if output is None:
            write_jsonl(counted(), sys.stdout.buffer)
            sys.stdout.flush()
        else:
            with atomic_path(output) as temporary, open_output(temporary, output.suffix) as sink:
                write_jsonl(counted(), sink)
    except (KeyboardInterrupt, Interrupted):
        print("cleaner: stopped; no output file was written", file=sys.stderr)
        return 130
    summary = f"cleaner: {cleaned} records cleaned, {failed} failed"
    if warc_counts.skipped:
        summary += f", {warc_counts.skipped} WARC records skipped (not HTML responses)"
    print(summary + (f", {len(unreadable)} inputs unreadable" if unreadable else ""), file=sys.stderr)
    return 1 if failed or unreadable else 0


class Interrupted(Exception):
    """The run was asked to stop by a signal (SIGTERM)."""


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def run_clean(args: argparse.Namespace) -> int:
    """`cleaner clean`: clean every input; 0 when all succeeded, 1 when any failed."""
    warcs = [is_warc(item) for item in args.inputs]
    if args.input_format == "jsonl" or (args.inputs and all(warcs)):
        return run_stream(args)
    if any(warcs):
        print("cleaner: WARC files go with other WARC or JSON Lines inputs only", file=sys.stderr)
        return 2
    if not args.inputs:
        print("cleaner: no inputs (name files, folders, globs, or - for stdin)", file=sys.stderr)
        return 2
    config = clean_config(args, args.input_format)
    sources, errors = expand_inputs(args.inputs)
    output_dir = Path(args.output) if args.output else None
    if output_dir is None and len(sources) + len(errors) > 1:
        print("cleaner: several inputs need -o DIR for their outputs", file=sys.stderr)
        return 2
    if sources.count(STDIN) > 1:
        print("cleaner: stdin (-) can be read only once", file=sys.stderr)
        return 2
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
    jobs, clashes = plan_jobs(sources, output_dir, args.format)
    errors += clashes
    skipped = 0
    if args.skip_existing:
        todo = [job for job in jobs if job.target is None or not Path(job.target).exists()]
        skipped, jobs = len(jobs) - len(todo), todo
    for source, message in errors:
        print(f"cleaner: {source}: {message}", file=sys.stderr)
    outcomes: list[tuple[str, str | None]] = []
    stopped_by = None
    previous_handler = signal.signal(signal.SIGTERM, _interrupt)
    try:
        if jobs:
            _run_jobs(jobs, args, config, Progress(len(jobs), sys.stderr), outcomes)
    except CleanerError as error:
        print(f"cleaner: {error}", file=sys.stderr)
        return 1
    except BrokenProcessPool:
        print("cleaner: a worker process died (out of memory?); outputs written so far are whole", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        stopped_by = signal.SIGINT
    except Interrupted as interruption:
        stopped_by = interruption.args[0]
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
    failures = errors + [(source, problem) for source, problem in outcomes if problem is not None]
    for source, problem in failures[len(errors) :]:
        print(f"cleaner: {source}: {problem}", file=sys.stderr)
    if args.errors:
        lines = "".join(json.dumps({"source": s, "error": e}, ensure_ascii=False) + "\n" for s, e in failures)
        write_text_atomically(Path(args.errors), lines)
    summary = f"{len(outcomes) - len(failures) + len(errors)} cleaned, {len(failures)} failed"
    if skipped:
        summary += f", {skipped} skipped (output exists)"
    if stopped_by is not None:
        print(
            f"cleaner: stopped by {signal.Signals(stopped_by).name}: {summary}, {len(jobs) - len(outcomes)} not "
            "started; run again with --skip-existing to finish",
            file=sys.stderr,
        )
        return 128 + int(stopped_by)
    if len(jobs) + len(errors) + skipped > 1:
        print(f"cleaner: {summary}", file=sys.stderr)
    return 1 if failures else 0


def _run_jobs(
    jobs: list[Job],
    args: argparse.Namespace,
    config: CleanerConfig,
    progress: Progress,
    outcomes: list[tuple[str, str | None]],
) -> None:
    """Clean the jobs in batches, adding each finished one's outcome to `outcomes` (which keeps
    what was done when a signal stops the run)."""
    if args.jobs <= 1 or len(jobs) == 1 or any(job.source == STDIN for job in jobs):
        cleaner = Cleaner(args.model, config)
        settle_garbage_collector()
        for batch in _batches(jobs, BATCH_SIZE):
            outcomes += clean_jobs(batch, args.format, cleaner, args.timeout)
            progress.step(len(batch))
        return
    Cleaner(args.model, config)  # fail early, in this process, when the model cannot be loaded
    # Workers are spawned, not forked: a fork of a process whose BLAS or OpenMP threads are
    # running can deadlock, and spawning costs about a second per worker, once per run.
    context = multiprocessing.get_context("spawn")
    size = max(1, min(BATCH_SIZE, -(-len(jobs) // args.jobs)))
    batches = _batches(jobs, size)
    with ProcessPoolExecutor(args.jobs, context, initializer=_start_worker, initargs=(args.model, config)) as pool:
        futures = [pool.submit(clean_jobs, batch, args.format, None, args.timeout) for batch in batches]
        collected = 0
        try:
            for future in futures:
                outcomes += future.result()
                collected += 1
                progress.step(len(batches[collected - 1]))
        except BaseException:
            # Stopped (a signal): drop the batches not started, let the ones in hand finish
            # their writes, and count them.
            for future in futures:
                future.cancel()
            pool.shutdown(wait=True)
            for future in futures[collected:]:
                if future.done() and not future.cancelled() and future.exception() is None:
                    outcomes += future.result()
            raise


def _batches(jobs: list[Job], size: int) -> list[list[Job]]:
    return [jobs[start : start + size] for start in range(0, len(jobs), size)]


def run_train(args: argparse.Namespace) -> int:
    """`cleaner train`: build a model from labelled data and write it with its card."""
    model = train_model([Path(p) for p in args.data], split=args.split, random_state=args.random_state)
    save_model(model, Path(args.output))
    data = model.card["training_data"]
    print(f"trained on {data['pages']} pages ({data['blocks']}); wrote {args.output}")
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    """`cleaner evaluate`: score a model, or cross-validate training, against labelled pages."""
    files = select_pages([Path(p) for p in args.pages], args.split)
    if not files:
        print("cleaner: no pages among the inputs", file=sys.stderr)
        return 1
    config = CleanerConfig(threshold=args.threshold, input_format=args.input_format)
    if args.cv is not None:
        if args.cv < 2:
            print("cleaner: --cv needs 2 folds or more", file=sys.stderr)
            return 2
        if args.model or args.record:
            print("cleaner: --cv trains its own models; it takes no --model or --record", file=sys.stderr)
            return 2
        evaluation = cross_validate(files, args.cv, config, args.random_state)
    else:
        evaluation = evaluate_files(Cleaner(args.model, config), files, args.input_format)
    summary = summarize(evaluation.scores)
    intervals = bootstrap_intervals(evaluation.scores) if len(evaluation.scores) > 1 else None
    if evaluation.scores:
        _print_scores(evaluation.scores, summary, intervals, sys.stdout)
        sys.stdout.write("\n")
    sys.stdout.write(block_report(evaluation.true_labels, evaluation.predicted_labels))
    if args.record:
        if not args.model:
            print("cleaner: --record needs --model (the bundled model is read-only)", file=sys.stderr)
            return 2
        model_path = Path(args.model)
        card = read_card(model_path)
        card.setdefault("metrics", {})[args.record] = {
            "pages": summary.pages,
            "precision": round(summary.precision, 4),
            "recall": round(summary.recall, 4),
            "f1": round(summary.f1, 4),
            "promo_leak": round(summary.promo_leak, 4),
            "snippets": summary.snippets,
            "input_format": args.input_format,
            "threshold": args.threshold,
        }
        if intervals is not None:
            card["metrics"][args.record]["intervals_95"] = {
                "f1": [round(v, 4) for v in intervals.f1],
                "promo_leak": [round(v, 4) for v in intervals.promo_leak],
            }
        write_card(model_path, card)
    return 0


def run_export(args: argparse.Namespace) -> int:
    """`cleaner export`: write pages with the model's labels, to correct and train on."""
    cleaner = Cleaner(args.model, CleanerConfig(threshold=args.threshold))
    sources, errors = expand_inputs(args.inputs, HTML_SUFFIXES)
    output_dir = Path(args.output)
    output_dir.mkdir(parents=True, exist_ok=True)
    classified: dict[str, tuple[SegmentedPage, list[CleanedBlock]]] = {}
    for source in sources:
        try:
            classified[source] = classify_page(Path(source).read_bytes(), cleaner)
        except (OSError, CleanerError) as error:
            errors.append((source, getattr(error, "strerror", None) or str(error)))
    flagged: dict[str, set[int]] = {source: set() for source in classified}
    if args.uncertain is not None:
        ranked = sorted(
            (uncertainty(block, cleaner.config.threshold), source, index)
            for source, (_, blocks) in classified.items()
            for index, block in enumerate(blocks)
        )
        for _, source, index in ranked[: args.uncertain]:
            flagged[source].add(index)
        flagged = {source: marks for source, marks in flagged.items() if marks}
    for source, marks in flagged.items():
        page, blocks = classified[source]
        write_text_atomically(output_dir / f"{Path(source).stem}.html", render_labelled(page, blocks, marks))
        for index in sorted(marks):
            print(f"{source}: {blocks[index].label} {blocks[index].content_probability:.2f} {blocks[index].text[:80]}")
    for source, message in errors:
        print(f"cleaner: {source}: {message}", file=sys.stderr)
    print(f"cleaner: exported {len(flagged)} pages to {output_dir}", file=sys.stderr)
    return 1 if errors else 0


def run_info(args: argparse.Namespace) -> int:
    """`cleaner info`: print the model card."""
    path = Path(args.model) if args.model else bundled_model_path()
    card = read_card(path)
    load_model(path)  # says whether this installation can use it
    print(json.dumps(dict(card, path=str(path)), indent=2, sort_keys=True))
    return 0


def _print_scores(scores: list[PageScore], summary: Summary, intervals: Intervals | None, out: TextIO) -> None:
    out.write(f"{'page':<32} {'precision':>9} {'recall':>7} {'f1':>6} {'leaked':>7}\n")
    for s in scores:
        out.write(f"{s.name:<32} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.leaked:>3}/{s.snippets:<3}\n")
    out.write(
        f"{'mean of ' + str(summary.pages) + ' pages':<32} {summary.precision:9.3f} {summary.recall:7.3f} "
        f"{summary.f1:6.3f}   promo leak {summary.promo_leak:.1%} of {summary.snippets} snippets\n"
    )
    if intervals is not None:
        out.write(
            f"95% interval (pages resampled): F1 {intervals.f1[0]:.3f}-{intervals.f1[1]:.3f}, "
            f"promo leak {intervals.promo_leak[0]:.1%}-{intervals.promo_leak[1]:.1%}\n"
        )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(prog="cleaner", description="Strip boilerplate and promos from web pages.")
    commands = parser.add_subparsers(dest="command", required=True)

    clean = commands.add_parser("clean", help="clean HTML pages or plain text")
    clean.add_argument("inputs", nargs="*", help="files, folders, globs, or - for stdin (JSON Lines: stdin when none)")
    clean.add_argument("-o", "--output", help="folder for the outputs, one <stem>.<ext> per input")
    clean.add_argument(
        "-f", "--format", choices=sorted(OUTPUT_FORMATS), default="text", help="output format (default: text)"
    )
    clean.add_argument(
        "--input-format",
        choices=(*INPUT_FORMATS, "jsonl"),
        default="auto",
        help="html, text, or auto: by file suffix, else by content; jsonl: records with a document "
        "field (gzip or zstd compressed too); .warc and .warc.gz files are read as WARC",
    )
    clean.add_argument("--html-field", default="html", help="JSON Lines: the field holding the page (default: html)")
    clean.add_argument(
        "--text-field", default="text", help="JSON Lines: the field for the cleaned text (default: text)"
    )
    clean.add_argument("--error-field", default="error", help="JSON Lines: the field for errors (default: error)")
    clean.add_argument(
        "--keep-markup",
        action="store_true",
        help="with --format html, keep scripts, event handlers, iframes and embeds (default: sanitized)",
    )
    clean.add_argument(
        "--threshold",
        type=_probability,
        default=CleanerConfig().threshold,
        help=f"keep blocks whose content probability is at least this (default: {CleanerConfig().threshold})",
    )
    clean.add_argument("--model", help="model file made by `cleaner train` (default: the bundled model)")
    clean.add_argument("-j", "--jobs", type=int, default=1, help="processes to clean with (default: 1)")
    clean.add_argument(
        "--skip-existing", action="store_true", help="leave inputs whose output exists (to finish a stopped run)"
    )
    clean.add_argument("--errors", metavar="FILE", help="write one JSON line per failed input to FILE")
    clean.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds one document may take before it fails (default: {DEFAULT_TIMEOUT:g}; 0: no limit)",
    )
    clean.add_argument(
        "--max-size",
        type=float,
        default=CleanerConfig().max_bytes / 1_000_000,
        help=f"largest document in MB, after decompression (default: {CleanerConfig().max_bytes / 1_000_000:g})",
    )
    clean.set_defaults(run=run_clean)

    train = commands.add_parser("train", help="train a model on labelled pages")
    train.add_argument(
        "data", nargs="+", help="labelled pages (training_data/) or ground-truth pages, files or folders"
    )
    train.add_argument("-o", "--output", required=True, help="model file to write, e.g. models/mysite.skops")
    train.add_argument("--split", help="from folders whose index.json names splits, use only this one (e.g. dev)")
    train.add_argument("--random-state", type=int, default=0, help="seed (default: 0)")
    train.set_defaults(run=run_train)

    evaluate = commands.add_parser("evaluate", help="score a model against labelled or ground-truth pages")
    evaluate.add_argument(
        "pages",
        nargs="+",
        help="labelled pages, or pages <id>.html with <id>.truth.txt (and <id>.without.txt), or folders",
    )
    evaluate.add_argument("--model", help="model file (default: the bundled model)")
    evaluate.add_argument("--threshold", type=_probability, default=CleanerConfig().threshold)
    evaluate.add_argument("--split", help="only pages of this split (e.g. test) where index.json names splits")
    evaluate.add_argument(
        "--input-format",
        choices=("html", "text"),
        default="html",
        help="text: clean each page's truth lines with its must-drop snippets put between them",
    )
    evaluate.add_argument("--record", metavar="NAME", help="store the mean scores under this name in the model's card")
    evaluate.add_argument(
        "--cv", type=int, metavar="K", help="cross-validate: train K models, each tested on the pages it did not see"
    )
    evaluate.add_argument("--random-state", type=int, default=0, help="seed of the --cv models (default: 0)")
    evaluate.set_defaults(run=run_evaluate)

    export = commands.add_parser("export", help="write pages with the model's labels, to correct and train on")
    export.add_argument("inputs", nargs="+", help="HTML files, folders or globs")
    export.add_argument("-o", "--output", required=True, help="folder for the labelled pages")
    export.add_argument(
        "--uncertain",
        type=int,
        metavar="N",
        help='only pages holding the N blocks the model is least sure of, marked data-check="uncertain"',
    )
    export.add_argument("--model", help="model file (default: the bundled model)")
    export.add_argument("--threshold", type=_probability, default=CleanerConfig().threshold)
    export.set_defaults(run=run_export)

    info = commands.add_parser("info", help="show a model's card: data, labels, versions, metrics")
    info.add_argument("--model", help="model file (default: the bundled model)")
    info.set_defaults(run=run_info)
    return parser


def _probability(value: str) -> float:
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except CleanerError as error:
        print(f"cleaner: {error}", file=sys.stderr)
        return 1
