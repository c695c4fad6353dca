"""The command line: the only place that prints, draws progress bars or exits."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path, PurePosixPath

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

import hgsite
from hgsite.build import build
from hgsite.commands.duplicates import duplicates_report
from hgsite.commands.importing import check_project, import_events
from hgsite.commands.xmp import current_tags, write_sidecars
from hgsite.config import Config, Overrides, config_path, load_config
from hgsite.errors import ConfigError, HgsiteError
from hgsite.events.transfer import BadLine, Merge
from hgsite.remembered import remember_sources
from hgsite.report import BuildReport, Failure, Progress, grouped

log = logging.getLogger("hgsite")
_SHOWN_PER_REASON = 10
_SHOWN_BAD_LINES = 5  # of each imported file
_STAGE_NAMES = {
    "walk": "finding photos",
    "hash": "hashing",
    "images": "images",
    "posters": "video posters",
    "videos": "videos",
    "site": "writing site",
}
_SECONDS_STAGES = ("videos", "video:")  # bars that count seconds of video, not files
_COUNTING_STAGES = ("walk",)  # bars that count up without a total


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hgsite", description="Static gallery for photo collections.")
    parser.add_argument("--version", action="version", version=f"hgsite {hgsite.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = commands.add_parser("build", help="index sources, extract previews and write the site")
    b.add_argument(
        "sources", nargs="*", metavar="SOURCE", help="folders with photos (default: from config, or .)"
    )
    b.add_argument("-o", "--output", help="output folder (default: site)")
    b.add_argument("-c", "--config", type=Path, help="config file (default: ./hgsite.toml if present)")
    b.add_argument("-j", "--jobs", type=int, help="worker processes (default: one per core)")
    b.add_argument("--query", help='build only what this search finds, e.g. "tag:holiday and year:2024"')
    b.add_argument("--strict", action="store_true", default=None, help="exit 1 if any file failed")
    b.add_argument("--no-video", action="store_true", help="leave videos out (do not read or convert them)")
    b.add_argument(
        "--cluster", metavar="ADDRESS",
        help="run the per-photo work on a Dask cluster, e.g. tcp://nas:8786 (docs/cluster.md)",
    )  # fmt: skip
    b.add_argument(
        "--progressive",
        action="store_true",
        help="first build of a big archive: write the site every few hundred photos",
    )
    b.add_argument("-v", "--verbose", action="count", default=0, help="more output (-vv for debug)")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bars, errors only")
    b.add_argument("--debug", action="store_true", help="show tracebacks")
    s = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild on change and reload the page")
    s.add_argument("sources", nargs="*", metavar="SOURCE", help="folders with photos (default: as for build)")
    s.add_argument("-o", "--output", help="output folder (default: site)")
    s.add_argument("-c", "--config", type=Path, help="config file (default: ./hgsite.toml if present)")
    s.add_argument("-p", "--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("-v", "--verbose", action="count", default=0, help="more output")
    s.add_argument("-q", "--quiet", action="store_true", help="errors only")
    s.add_argument("--debug", action="store_true", help="show tracebacks")
    i = commands.add_parser("import", help="merge tag events exported from the gallery into events.ndjson")
    i.add_argument("files", nargs="+", type=Path, metavar="FILE", help="ndjson files exported by the page")
    i.add_argument("-c", "--config", type=Path, help="config file (default: ./hgsite.toml if present)")
    i.add_argument("-n", "--dry-run", action="store_true", help="show what would change, change nothing")
    i.add_argument("-v", "--verbose", action="count", default=0, help="list every unknown target")
    i.add_argument("-q", "--quiet", action="store_true", help="errors only")
    i.add_argument("--debug", action="store_true", help="show tracebacks")
    x = commands.add_parser(
        "xmp", help="write the tags into XMP sidecar files (digiKam, darktable, Lightroom)"
    )
    x.add_argument("sources", nargs="*", metavar="SOURCE", help="folders with photos (default: as for build)")
    where = x.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help="write sidecars into this folder, mirroring the sources")
    where.add_argument(
        "--next-to-originals", action="store_true", help="write photo.jpg.xmp beside each photo"
    )
    x.add_argument("-c", "--config", type=Path, help="config file (default: ./hgsite.toml if present)")
    x.add_argument("-n", "--dry-run", action="store_true", help="show what would be written")
    x.add_argument("-v", "--verbose", action="count", default=0, help="list every file written")
    x.add_argument("-q", "--quiet", action="store_true", help="errors only")
    x.add_argument("--debug", action="store_true", help="show tracebacks")
    d = commands.add_parser("duplicates", help="list near-duplicate and duplicate photos of the last build")
    d.add_argument("-c", "--config", type=Path, help="config file (default: ./hgsite.toml if present)")
    d.add_argument("--json", action="store_true", help="print JSON instead of text")
    d.set_defaults(quiet=False, verbose=0, debug=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    level = logging.ERROR if args.quiet else (logging.DEBUG if args.verbose > 1 else logging.INFO)
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr)
    try:
        return {"build": _build, "serve": _serve, "import": _import, "xmp": _xmp, "duplicates": _duplicates}[
            args.command
        ](args)
    except ConfigError as error:
        for problem in error.problems:
            print(f"hgsite: error: {problem}", file=sys.stderr)
        return 2
    except HgsiteError as error:
        if args.debug:
            raise
        print(f"hgsite: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("hgsite: interrupted; the cache and the previous site are intact", file=sys.stderr)
        return 130


def _progress_factory(enabled: bool) -> Progress:
    @contextlib.contextmanager
    def progress(stage: str, total: int) -> Iterator[Callable[[int], None]]:
        if not enabled or (total == 0 and stage not in _COUNTING_STAGES):
            yield lambda n: None
            return
        seconds = stage.startswith(_SECONDS_STAGES)
        name = _STAGE_NAMES.get(stage) or _short(stage.removeprefix("video:"))
        with tqdm(total=total or None, desc=name, unit="s" if seconds else " files", leave=False) as bar:
            yield bar.update

    return progress


def _short(name: str, width: int = 28) -> str:
    """A file name for a progress bar: its end, which is the part people recognise."""
    return name if len(name) <= width else "…" + name[-(width - 1) :]


def _build(args: argparse.Namespace) -> int:
    overrides = Overrides(
        tuple(args.sources), args.output, args.jobs, args.strict, args.no_video, args.query, args.cluster
    )
    config = load_config(args.config, overrides)
    bars = not args.quiet and sys.stderr.isatty()

    def round_done(report: BuildReport) -> None:
        if not args.quiet:
            print(f"hgsite: {report.entries} items in {report.output}; {report.remaining} new files to go",
                  file=sys.stderr)  # fmt: skip

    with logging_redirect_tqdm():
        report = build(config, _progress_factory(bars), progressive=round_done if args.progressive else None)
    _summarise(report, args.quiet, args.verbose, summary=report.entries > 0)
    if report.entries == 0:
        where = ", ".join(str(s) for s in config.sources)
        problem = f"all {len(report.failures)} media files failed" if report.failures else "no photos found"
        hint = _hint(config, "give the folders with your photos once: hgsite build ~/Pictures")
        print(
            f"hgsite: error: nothing to show ({problem} in {where}); site not written{hint}", file=sys.stderr
        )
        return 1
    _remember(args, config)
    return 1 if config.strict and report.failures else 0


def _hint(config: Config, hint: str) -> str:
    """What to do, when the sources are the default one (the project folder, which holds no photos)."""
    return f"; {hint}" if config.sources == (config.project,) else ""


def _remember(args: argparse.Namespace, config: Config) -> None:
    """After a build of folders given on the command line: keep them in the config for the next commands."""
    note = remember_sources(config_path(args.config), config) if args.sources else None
    if note is not None and not args.quiet:
        print(f"hgsite: {note}", file=sys.stderr)


def _summarise(report: BuildReport, quiet: bool, verbose: int, summary: bool = True) -> None:
    """Failures and warnings always; unless quiet, the files not shown and (with `summary`) one line."""
    for reason, failures in report.grouped_failures():
        shown = failures if verbose else failures[:_SHOWN_PER_REASON]
        for failure in shown:
            print(f"hgsite: skipped {failure.path}: {reason}", file=sys.stderr)
        if len(failures) > len(shown):
            more = len(failures) - len(shown)
            print(f"hgsite: ... and {more} more files: {reason} (-v lists all)", file=sys.stderr)
    for warning in report.warnings:
        print(f"hgsite: warning: {warning.path}: {warning.reason}", file=sys.stderr)
    if quiet:
        return
    _not_shown(report.not_shown, verbose)
    if report.workers:
        made = ", ".join(f"{worker} {count}" for worker, count in sorted(report.workers.items()))
        print(f"hgsite: items made by the cluster's workers: {made}", file=sys.stderr)
    if verbose:
        stages = ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in report.seconds.items())
        print(f"hgsite: seconds by stage: {stages}", file=sys.stderr)
    if summary:
        print(_summary(report), file=sys.stderr)


def _not_shown(files: list[Failure], verbose: int) -> None:
    """Files of the sources that are not in the site: named with -v, else counted by reason."""
    for reason, group in grouped(files):
        if verbose:
            for file in group:
                print(f"hgsite: not shown {file.path}: {reason}", file=sys.stderr)
            continue
        kinds = Counter(PurePosixPath(file.path).suffix.lower() or "no extension" for file in group)
        listed = ", ".join(f"{kind} {count}" for kind, count in kinds.most_common(5))
        listed += ", ..." if len(kinds) > 5 else ""
        print(f"hgsite: not shown: {_count(len(group), 'file')} ({listed}): {reason} (-v names them)",
              file=sys.stderr)  # fmt: skip


def _summary(report: BuildReport) -> str:
    seconds = sum(report.seconds.values())
    state = "written" if report.site_written else "unchanged"
    failed = f", {len(report.failures)} failed" if report.failures else ""
    videos = f", {report.transcoded} web videos" if report.transcoded else ""
    other = f"; {_count(len(report.not_shown), 'other file')} not shown" if report.not_shown else ""
    state = f"nothing changed since the last build; site {state}" if report.replayed else f"site {state}"
    return (
        f"hgsite: {report.entries} items from {report.files} files ({report.extracted} processed, "
        f"{report.previews} previews{videos}{failed}{other}) in {seconds:.1f} s; {state}: {report.output}"
    )


def _import(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    if args.config is None:
        check_project(config)
    result = import_events(config, args.files, args.dry_run)
    _report_import(result, config.events.name, args.dry_run, args.quiet, args.verbose)
    return 1 if (result.bad or result.not_events) and not (result.new or result.already) else 0


def _report_import(result: Merge, log_name: str, dry_run: bool, quiet: bool, verbose: int) -> None:
    for whole in result.not_events:
        print(f"hgsite: {whole.file}: {whole.reason}; file skipped", file=sys.stderr)
    _report_bad_lines(result.bad, verbose)
    for file, event in result.conflicts:
        print(f"hgsite: {file}: event {event.id} differs from the one already in {log_name}; kept that one",
              file=sys.stderr)  # fmt: skip
    for event, missing in result.unknown_targets[: None if verbose else _SHOWN_PER_REASON]:
        print(f"hgsite: warning: event {event.id} names unknown items ({', '.join(missing[:3])}); kept",
              file=sys.stderr)  # fmt: skip
    hidden = len(result.unknown_targets) - _SHOWN_PER_REASON
    if hidden > 0 and not verbose:
        print(f"hgsite: ... and {hidden} more events with unknown items (-v lists all)", file=sys.stderr)
    if dry_run:
        for event in result.new:
            changes = ", ".join(f"{'+' if a == 'addTag' else '-'}{tag}" for a, tag in event.actions)
            print(f"{event.date}  {event.id}  {changes}  ({len(event.targets)} items)")
    if quiet:
        return
    verb = "would import" if dry_run else "imported"
    counts = [f"{result.already} already there", f"{_count(len(result.bad), 'bad line')} skipped"]
    if result.not_events:
        counts.append(f"{_count(len(result.not_events), 'file')} skipped")
    counts.append(_count(len(result.conflicts), "conflict"))
    print(
        f"hgsite: {verb} {_count(len(result.new), 'new event')} into {log_name} ({', '.join(counts)})",
        file=sys.stderr,
    )


def _report_bad_lines(bad: list[BadLine], verbose: int) -> None:
    """The bad lines of each file: the first few, then how many more (all of them with -v)."""
    by_file: dict[str, list[BadLine]] = {}
    for line in bad:
        by_file.setdefault(line.file, []).append(line)
    for file, lines in by_file.items():
        shown = lines if verbose else lines[:_SHOWN_BAD_LINES]
        for line in shown:
            print(f"hgsite: {file} line {line.line}: {line.reason}; line skipped", file=sys.stderr)
        if len(lines) > len(shown):
            more = _count(len(lines) - len(shown), "more bad line")
            print(f"hgsite: {file}: ... and {more} skipped (-v lists all)", file=sys.stderr)


def _count(number: int, noun: str) -> str:
    """ "1 new event", "2 new events"."""
    return f"{number} {noun}{'s' * (number != 1)}"


def _xmp(args: argparse.Namespace) -> int:
    config = load_config(args.config, Overrides(sources=tuple(args.sources)))
    out = args.out.resolve() if args.out is not None else None
    if out is not None and any(out.is_relative_to(source) for source in config.sources):
        print(f"hgsite: error: {out} is inside a source folder; use --next-to-originals to write there",
              file=sys.stderr)  # fmt: skip
        return 2
    files = current_tags(config)
    if not files:
        where = ", ".join(str(s) for s in config.sources)
        hint = _hint(config, "run it in the gallery's folder, or give the folders: hgsite xmp ~/Pictures ...")
        print(f"hgsite: error: no photos found in {where}{hint}", file=sys.stderr)
        return 1
    result = write_sidecars(files, out, args.dry_run)
    for skipped in result.skipped:
        print(f"hgsite: skipped {skipped.path}: {skipped.reason}", file=sys.stderr)
    if args.verbose or args.dry_run:
        for path in result.written:
            print(path)
    if not args.quiet:
        verb = "would write" if args.dry_run else "wrote"
        print(f"hgsite: {verb} {len(result.written)} sidecars ({result.unchanged} unchanged, "
              f"{len(result.skipped)} skipped)", file=sys.stderr)  # fmt: skip
    return 0


def _serve(args: argparse.Namespace) -> int:
    from hgsite.serve import serve  # tornado is only needed here

    overrides = Overrides(tuple(args.sources), args.output)
    config = load_config(args.config, overrides)
    for name in ("livereload", "tornado.access", "tornado.application", "tornado.general"):
        logging.getLogger(name).setLevel(logging.WARNING)
    address = f"http://{args.host}:{args.port}/"
    builds, remembered = 0, False

    def on_build(report: BuildReport | None, error: str | None) -> None:
        nonlocal builds, remembered
        builds += 1
        if error is not None:
            print(f"hgsite: error: {error} (still serving the last good site)", file=sys.stderr)
        elif report is not None:
            _summarise(report, args.quiet, args.verbose)
            if not remembered and report.entries > 0:  # the first build that showed something
                remembered = True
                _remember(args, config)
        if builds == 1:
            print(f"hgsite: serving {config.output} on {address} (Ctrl-C stops)", file=sys.stderr)

    if not args.quiet:
        print(f"hgsite: building {config.output} first; then serving it on {address}", file=sys.stderr)
    bars = _progress_factory(not args.quiet and sys.stderr.isatty())
    with logging_redirect_tqdm(), _said_once():
        serve(lambda: load_config(args.config, overrides), args.port, args.host, on_build, bars)
    if not args.quiet:
        print(f"hgsite: stopped; {config.output} no longer loads the live-reload script", file=sys.stderr)
    return 0


@contextlib.contextmanager
def _said_once() -> Iterator[None]:
    """hgsite's informational lines are said once, not again by every rebuild (which ffmpeg reads the
    videos, ...). A filter on the handlers: one on the "hgsite" logger would miss its children's lines."""
    said: dict[str, logging.LogRecord] = {}  # each line, with the record that said it (to every handler)

    def first_time(record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO or not record.name.startswith("hgsite"):
            return True
        return said.setdefault(record.getMessage(), record) is record

    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(first_time)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(first_time)


def _alike(similarity: float) -> str:
    """How alike a group's loosest pair is, rounded down: a cosine of 0.996 is "0.99 or more", since
    nothing is more alike than 1.00."""
    if similarity >= 1 - 1e-6:
        return "the same picture (similarity 1.00)"
    return f"similarity {math.floor(similarity * 100) / 100:.2f} or more"


def _duplicates(args: argparse.Namespace) -> int:
    report = duplicates_report(load_config(args.config).cache)
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
        return 0
    for number, group in enumerate(report["near"], 1):
        print(f"near-duplicates {number}: {len(group['items'])} items, {_alike(group['similarity'])}")
        for item in group["items"]:
            print("  " + " = ".join(item["files"]))  # one content stored twice shows as a = b
    for item in report["exact"]:
        print(f"identical content in {len(item['files'])} files:")
        print("  " + "\n  ".join(item["files"]))
    near, exact = len(report["near"]), len(report["exact"])
    print(
        f"hgsite: {near} near-duplicate group{'s' * (near != 1)} (similarity >= {report['threshold']}), "
        f"{exact} item{'s' * (exact != 1)} stored in several files",
        file=sys.stderr,
    )
    return 0
