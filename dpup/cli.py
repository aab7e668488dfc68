"""The ``dpup`` command line (nothing in the library imports this module).

Exit codes are distinct so that scripts and CI can tell outcomes apart:

====  ========================================================================
code  meaning
====  ========================================================================
0     success: every file is a valid agreement (and, for ``check``, nothing
      reaches the threshold; for ``compare``, nothing new does)
1     ``check`` found something at or above the threshold; ``compare``, something
      new; ``notice``, a notice that is not ready to give; ``diff``, drafts that
      declare something different
2     a file is not a valid agreement, does not exist or cannot be read; a
      directory cannot be read or holds no agreement file; two files hold
      agreements with the same id; or (``check``, ``compare``) two agreements
      disagree about what an id is
64    usage error: unknown option, missing argument, a group the files do not
      have (``holders``, ``notice``), a directory of several agreements given to
      ``notice``, an ``-o`` file that exists (``init``) (``EX_USAGE``)
74    the output could not be written (a full disk, say: ``EX_IOERR``)
141   the output was cut off (the reader of a pipe went away)
====  ========================================================================

Problems with a file go to stderr, one per line, as ``file:line: $.path: message (expected
..., found ...)``; a person's mistake never shows a traceback. With ``--format json`` (or
``sarif``) they also go to stdout, as the document a tool reads: every JSON document the command
writes starts with ``"dpup": {"version": ..., "command": ..., "output": N}`` (see
:data:`OUTPUT_VERSIONS`) and has ``problems`` and ``omitted``, empty when every file loaded.

Adding a subcommand: write ``_add_<name>(subparsers)`` that adds its parser and sets
``func`` to a ``_run_<name>(args, out, err) -> int``, call it from :func:`_parser`, and load
files with :func:`load_agreements`, which prints the problems of files that fail and tells the
caller to exit with :data:`EXIT_INVALID`. A subcommand with JSON output loads with
:func:`_load` instead, writes :func:`_document` and gives its name a version in
:data:`OUTPUT_VERSIONS`.
"""

import argparse
import codecs
import contextlib
import difflib
import io
import json
import os
import re
import shlex
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO, cast

import attrs
import networkx as nx

import dpup
from dpup._private.fastpath import sharing
from dpup._private.gcpause import paused_gc
from dpup._private.output import COMMANDS, OUTPUT_VERSIONS
from dpup.errors import MAX_PROBLEMS, AgreementError, Problem
from dpup.files import Format, _lines_in_file, _load_file, repeated_ids
from dpup.model import Agreement
from dpup.render.notice import _lacking
from dpup.report import _field_path

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_CANNOT_WRITE",
    "EXIT_FINDINGS",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "OUTPUT_VERSIONS",
    "Loaded",
    "load_agreements",
    "main",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2
EXIT_USAGE = 64
EXIT_CANNOT_WRITE = 74
EXIT_BROKEN_PIPE = 141

Loaded = list[tuple[str, Agreement]]
"""The agreements that loaded, each with the file name it came from, in the order given."""


_FILES_HELP = (
    "agreement files (.yaml, .yml, .json, .toml), or directories: every agreement file in them "
    "and their subdirectories"
)


def _read_path(text: str) -> str:
    """An agreement file or directory given as an argument: anything but ``-``, which many
    commands read as standard input and dpup would take for a file of that name."""
    if text == "-":
        raise argparse.ArgumentTypeError(
            "'-' (standard input): dpup reads agreements from files only, their names ending in "
            ".yaml, .yml, .json or .toml (which says the format): name the files, or a directory of them"
        )
    return text


class _UsageError(Exception):
    pass


class _Formatter(argparse.HelpFormatter):
    """argparse's help, wrapped at spaces only, so a check's name (``purpose-not-described``)
    or an id is never split at its hyphens."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return textwrap.fill(
            " ".join(text.split()),
            width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_on_hyphens=False,
        )


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit 64, not 2 (2 means an invalid file), and
    whose help is wrapped at spaces only. A command given ``takes_files=True`` (its FILE is
    one or more agreement files or directories) says, when FILE is missing, how to name them:
    under pre-commit as well, which runs the ``dpup-check`` hook with no files of its own."""

    def __init__(self, *args: Any, takes_files: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        # No abbreviated options (--fo for --format): a script's --fail would change meaning,
        # or stop working, the day another option began with it. A near miss is suggested.
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self._takes_files = takes_files

    def error(self, message: str) -> NoReturn:
        text = f"{self.format_usage()}{self.prog}: error: {message}\n"
        if self._takes_files and re.fullmatch(r"the following arguments are required: .*\bFILE\b.*", message):
            text += _no_files_hint(self.prog)
        raise _UsageError(text)


def _option_hint(parser: argparse.ArgumentParser, extras: Sequence[str]) -> str:
    """For the first unknown ``--option`` among ``extras``: the command's options it begins, or
    is close to (``--fo``: ``--format``; ``--fial-on``: ``--fail-on``), as a hint to append."""
    given = next((e.split("=", 1)[0] for e in extras if e.startswith("--")), None)
    if given is None:
        return ""
    options = sorted({o for a in parser._actions for o in a.option_strings if o.startswith("--")})
    close = [o for o in options if o.startswith(given)] or difflib.get_close_matches(given, options, n=2)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def _no_files_hint(prog: str) -> str:
    """What to write when a command that takes agreement files is given none."""
    hint = f"{prog}: name the agreement files, or a directory of them: {prog} agreements/\n"
    if os.environ.get("PRE_COMMIT") == "1":  # set by pre-commit for every hook it runs
        hint += (
            f"{prog}: pre-commit gave this hook no files: in .pre-commit-config.yaml, give it the "
            "directory that holds your agreements, such as args: [agreements/]\n"
        )
    return hint


@attrs.define
class _Loading:
    """What loading the files of a command gave: the agreements that loaded and, in order,
    the problems of those that did not (each with the line printed for it)."""

    loaded: Loaded = attrs.Factory(list)
    problems: list[tuple[Problem, str]] = attrs.Factory(list)
    omitted: dict[str, int] = attrs.Factory(dict)
    """For each file with more problems than are listed, how many more."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, problem: Problem, err: TextIO, text: str | None = None) -> None:
        """Record a problem and print it (as ``text``, where that is not the problem's own)."""
        text = str(problem) if text is None else text
        self.problems.append((problem, text))
        print(text, file=err)

    def extend(self, other: "_Loading") -> None:
        self.problems += other.problems
        self.omitted.update(other.omitted)


def load_agreements(paths: Sequence[str], err: TextIO, format: Format | None = None) -> tuple[Loaded, bool]:
    """Load agreement files for a subcommand.

    A directory stands for every agreement file in it and its subdirectories, in name order
    (:func:`dpup.agreement_files`). Every problem of a file that is not a valid agreement,
    every file or directory that cannot be read and every directory with no agreement file is
    printed to ``err``, one problem per line, and so is every file whose agreement has the id
    of one before it (:func:`dpup.files.repeated_ids`): agreements checked together are
    combined by id.

    Returns
    -------
    loaded : list of (str, Agreement)
        The files that loaded, in the order given (a file whose agreement id was taken by
        an earlier one is left out).
    ok : bool
        Whether every file loaded; if not, the subcommand exits with :data:`EXIT_INVALID`.
    """
    loading = _load(paths, err, format)
    return loading.loaded, loading.ok


def _load(
    paths: Sequence[str], err: TextIO, format: Format | None = None, *, said: set[str] | None = None
) -> _Loading:
    """Load files as :func:`load_agreements` does, keeping the problems for a JSON or SARIF
    document as well as printing them. A problem with a file or directory as a whole (one
    that does not exist or cannot be read) has the path ``$``.

    The problems of a file or path given twice are said once: ``said`` holds the paths whose
    problems were said (by an earlier call, for the other draft of ``compare``, if shared)."""
    loading = _Loading()
    loaded = loading.loaded
    said = set() if said is None else said
    with paused_gc(), sharing():  # as dpup.load_all does: linear time, shared objects
        for given in paths:
            if said and os.path.realpath(given) in said:
                continue
            try:
                files = dpup.agreement_files(given)
            except AgreementError as e:
                for problem in e.problems:
                    loading.problem(problem, err)
                said.add(os.path.realpath(given))
                continue
            except OSError as e:
                where = e.filename or given
                message = f"cannot read the directory: {e.strerror or e}"
                loading.problem(Problem(path=(), message=message, file=where), err, f"{where}: {message}")
                said.add(os.path.realpath(given))
                continue
            for file in files:
                path = str(file)
                if said and os.path.realpath(path) in said:
                    continue
                try:
                    # a file found in a directory is a file: not looked at again for a device
                    loaded.append((path, _load_file(path, format, walked=file is not given)))
                    continue
                except AgreementError as e:
                    for problem in e.problems:
                        loading.problem(problem, err)
                    if e.omitted:
                        loading.omitted[path] = e.omitted
                        print(
                            f"{path}: and {e.omitted:,} more problem{'s' if e.omitted != 1 else ''}, "
                            f"not listed (only the first {MAX_PROBLEMS} of a file are)",
                            file=err,
                        )
                except FileNotFoundError:
                    message = "no such file or directory"
                    loading.problem(Problem(path=(), message=message, file=path), err, f"{path}: {message}")
                except OSError as e:
                    message = f"cannot read the file: {e.strerror or e}"
                    loading.problem(Problem(path=(), message=message, file=path), err, f"{path}: {message}")
                said.add(os.path.realpath(path))  # it did not load: its problems are said
    repeated = repeated_ids(loaded, format)
    for problem in repeated:
        loading.problem(problem, err)
    if repeated:
        firsts: dict[str, tuple[str, Agreement]] = {}
        for path, agreement in loaded:
            firsts.setdefault(agreement.id, (path, agreement))
        loading.loaded = list(firsts.values())
    return loading


def _document(command: str, loading: _Loading, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON document a command writes: ``dpup`` (the version of dpup, the command and the
    version of its output), the command's own ``data`` (none when the files did not load),
    then ``problems`` (each a :meth:`dpup.Problem.to_dict` with the ``text`` printed for it on
    standard error) and ``omitted`` (files with more problems than are listed)."""
    head = {"version": dpup.__version__, "command": command, "output": OUTPUT_VERSIONS[command]}
    return {
        "dpup": head,
        **(data or {}),
        "problems": [{**problem.to_dict(), "text": text} for problem, text in loading.problems],
        "omitted": [{"file": file, "problems": n} for file, n in loading.omitted.items()],
    }


def _write_json(out: TextIO, data: dict[str, Any]) -> None:
    # JSON escapes for a stream that is not UTF-8 (a pipe on Windows, an ASCII locale): the
    # stream's own escapes for what it cannot encode are not JSON
    print(json.dumps(data, indent=2, ensure_ascii=not _utf8(out)), file=out)


# -- validate -----------------------------------------------------------------------------


def _add_validate(sub: "argparse._SubParsersAction[_Parser]") -> None:
    p = sub.add_parser(
        "validate",
        takes_files=True,
        help="check that files are valid agreements",
        description="Load each agreement file (a directory stands for every agreement file in it and "
        "its subdirectories) and report every problem that stops it loading: syntax, wrong types, "
        "unknown keys, missing fields, ids used twice, references to things the agreement does not "
        "declare, two files holding agreements with the same id, and two agreements that disagree "
        "about what an id is (a group in one and a holder in another, say), which dpup check would "
        "refuse. Exit 0 when all are valid, 2 otherwise.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", type=_read_path, help=_FILES_HELP)
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="output format: text, a line for each valid file (problems go to standard error), or "
        "json for tools: the valid agreements and every problem (default: text)",
    )
    p.set_defaults(func=_run_validate)


def _run_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    loading = _load(args.files, err)
    if len(loading.loaded) > 1 and _graph_of(loading, err) is None:
        # Two agreements disagree about what an id is, which check would refuse: the later
        # file, where the problem is said, is not OK.
        later = loading.problems[-1][0].file
        loading.loaded = [(path, a) for path, a in loading.loaded if path != later]
    if args.format == "json":
        valid = [{"file": path, "id": a.id, "flows": len(a.flows)} for path, a in loading.loaded]
        _write_json(out, _document("validate", loading, {"agreements": valid}))
    else:
        for path, agreement in loading.loaded:
            n = len(agreement.flows)
            print(f"{path}: OK ({agreement.id}: {n} flow{'s' if n != 1 else ''})", file=out)
    return EXIT_OK if loading.ok else EXIT_INVALID


# -- check --------------------------------------------------------------------------------


def _add_check(sub: "argparse._SubParsersAction[_Parser]") -> None:
    p = sub.add_parser(
        "check",
        takes_files=True,
        help="check agreements against DPUP and report findings",
        description="Load agreement files and run the check catalogue on them (several files, and "
        "every agreement file in a directory and its subdirectories, are checked together, as one "
        "graph). Exit 0 when nothing reaches the --fail-on threshold, 1 when something does, 2 "
        "when a file is not a valid agreement, does not exist or cannot be read, a directory cannot "
        "be read or holds no agreement file, two files hold agreements with the same id, or two "
        "agreements disagree about what an id is (a group in one and a holder in another, say). "
        "dpup checks lists the checks; dpup checks PM004 explains one.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", type=_read_path, help=_FILES_HELP)
    p.add_argument(
        "--format",
        choices=("text", "json", "sarif", "markdown", "html", "github", "gitlab", "junit"),
        default="text",
        help="output format: text for people, json for tools, sarif (SARIF 2.1.0) for code-review "
        "systems such as GitHub code scanning, markdown for a pull-request comment or a CI job's "
        "summary, html for a web page of its own to send round, open in a browser or print "
        "(with -o review.html), github for annotations on the files' lines in a GitHub Actions job, gitlab for "
        "a GitLab Code Quality report, junit for the test report of Jenkins, Azure Pipelines and "
        "other CI systems (default: text)",
    )
    _add_fail_on(p, "an open finding")
    _add_select(p)
    p.set_defaults(func=_run_check)


def _add_drafts(p: _Parser, *, github: str | None = None, html: str | None = None) -> None:
    """The arguments of a command that takes two drafts (``compare``, ``diff``); ``github``
    and ``html``, what ``--format github`` and ``--format html`` write, where the command
    has them."""
    p.add_argument(
        "before", metavar="BEFORE", type=_read_path, help="the earlier draft: a file or a directory"
    )
    p.add_argument("after", metavar="AFTER", type=_read_path, help="the later draft: a file or a directory")
    p.add_argument(
        "--format",
        choices=("text", "json", "markdown", *(("html",) if html else ()), *(("github",) if github else ())),
        default="text",
        help="output format: text, json, markdown for the pull request that revises the draft"
        + (f", html for {html}" if html else "")
        + (f", github for {github}" if github else "")
        + " (default: text)",
    )


def _add_fail_on(p: _Parser, what: str) -> None:
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "info", "never"),
        default="warning",
        help=f"exit 1 when {what} is at least this severe (default: warning)",
    )


_CHECKS_HELP = (
    "codes (PM004), code prefixes (PM, ME, UH, SV), family names (purpose-mismatch) or check names "
    "(purpose-not-described), separated by commas"
)


def _add_select(p: _Parser) -> None:
    p.add_argument(
        "--select",
        action="append",
        type=_named_checks,
        metavar="CHECKS",
        help=f"report only the findings of these checks: {_CHECKS_HELP} (may be given more than once; "
        "default: every check)",
    )
    p.add_argument(
        "--ignore",
        action="append",
        type=_named_checks,
        metavar="CHECKS",
        help=f"leave out the findings of these checks ({_CHECKS_HELP}); to settle one finding for "
        "good, accept it in the agreement, with the reason, instead",
    )


def _named_checks(text: str) -> frozenset[str]:
    """The codes of the checks a ``--select`` or ``--ignore`` value names (argparse's ``type``)."""
    checks = dpup.catalogue()
    by_name: dict[str, set[str]] = {}
    for c in checks:
        for name in (c.code, c.code[:2], c.family.value, c.name):
            by_name.setdefault(name.upper(), set()).add(c.code)
    codes: set[str] = set()
    for part in text.split(","):
        name = part.strip()
        if not name:
            continue
        found = by_name.get(name.upper())
        if found is None:
            known = sorted(
                {c.code for c in checks} | {c.family.value for c in checks} | {c.name for c in checks}
            )
            close = difflib.get_close_matches(name, known, n=1) or difflib.get_close_matches(
                name.upper(), known, n=1
            )
            hint = f" (did you mean {close[0]}?)" if close else _mentioning(name, checks)
            raise argparse.ArgumentTypeError(f"no check is named {name!r}{hint}; name {_CHECKS_HELP}")
        codes |= found
    if not codes:
        raise argparse.ArgumentTypeError(f"{text!r} names no check; name {_CHECKS_HELP}")
    return frozenset(codes)


def _mentioning(word: str, checks: Sequence["dpup.checks.Check"]) -> str:
    """The checks whose name or description holds ``word`` (a word, not a code), as a hint for
    a name that is no check: ``dpup checks copies`` points at UH006."""
    needle = word.lower().replace("-", " ").replace("_", " ")
    if len(needle) < 3:
        return ""
    found = [
        c.code
        for c in checks
        if needle in c.name.replace("-", " ")
        or re.search(rf"\b{re.escape(needle)}", c.finds.lower().replace("_", " "))
    ]
    if not found or len(found) > 8:
        return ""
    return f" (checks that mention {word!r}: {', '.join(found)})"


def _selected(args: argparse.Namespace, report: dpup.Report) -> dpup.Report:
    """The report with only the findings of the checks ``--select`` and ``--ignore`` leave."""
    if not args.select and not args.ignore:
        return report
    codes = frozenset().union(*args.select) if args.select else {f.code for f in report}
    codes = codes - frozenset().union(*(args.ignore or ()))
    return report.filter(lambda f: f.code in codes)


def _nothing_selected(args: argparse.Namespace, command: str, err: TextIO) -> bool:
    """Whether ``--select`` and ``--ignore`` leave no check at all, after saying so: a run that
    reports nothing and passes is a mistake, not a verdict."""
    if not args.ignore:
        return False
    codes = frozenset().union(*args.select) if args.select else {c.code for c in dpup.catalogue()}
    if codes - frozenset().union(*args.ignore):
        return False
    options = "--select and --ignore leave" if args.select else "--ignore leaves"
    print(f"dpup {command}: {options} no check to report", file=err)
    return True


def _not_shown(args: argparse.Namespace, left_out: int) -> str | None:
    """The line saying how many findings ``--select`` and ``--ignore`` left out, when given."""
    options = " and ".join(o for o in ("--select", "--ignore") if getattr(args, o[2:]))
    if not options:
        return None
    return f"{_plural(left_out, 'finding')} of checks left out by {options} not shown"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _checked(
    paths: Sequence[str], err: TextIO, said: set[str] | None = None
) -> tuple[_Loading, dpup.Report | None]:
    """Load the files, check them as one graph and locate each finding in its file; or print
    why that cannot be done to ``err`` and give no report (the command exits 2)."""
    loading = _load(paths, err, said=said)
    G = _graph_of(loading, err) if loading.ok else None
    if G is None:
        return loading, None
    return loading, _located(dpup.check(G), loading.loaded)


def _graph_of(loading: _Loading, err: TextIO) -> "nx.MultiDiGraph[str] | None":
    """The graph of the agreements loaded, or ``None`` after saying which two files disagree
    about what an id is (a problem of the later file)."""
    loaded = loading.loaded
    try:
        return dpup.graph(*(a for _, a in loaded))  # their ids differ: _load saw to that
    except dpup.GraphError as e:
        where = {a.id: path for path, a in loaded}
        first, later = (where.get(aid, aid) for aid in e.agreements)
        message = f"{e} (agreement {e.agreements[0]!r} is in {first})"
        # at the later agreement's declaration of the id, where there is one
        agreements = {a.id: a for _, a in loaded}
        declared = (
            agreements[e.agreements[1]].where(e.node) if e.node and e.agreements[1] in agreements else None
        )
        path = _field_path(declared) if declared else ()
        line = _lines_in_file(later, [path])[0] if path else None
        expected = found = None
        if e.meanings is not None:
            expected = f"{e.meanings[0]}, as in agreement {e.agreements[0]!r}, or an id of its own"
            found = e.meanings[1]
        problem = Problem(path=path, message=message, expected=expected, found=found, file=later, line=line)
        loading.problem(problem, err)
        return None


def _located(report: dpup.Report, loaded: Loaded) -> dpup.Report:
    # each finding's file and line: only files with findings are read again, each once
    return report.located({a.id: path for path, a in loaded})


def _run_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from dpup.render import render_sarif
    from dpup.render.ci import problems_to_github, problems_to_gitlab, problems_to_junit
    from dpup.render.html import problems_to_html
    from dpup.render.markdown import problems_to_markdown
    from dpup.render.sarif import problems_to_sarif, to_sarif
    from dpup.render.text import render_text

    if _nothing_selected(args, "check", err):
        return EXIT_USAGE
    loading, report = _checked(args.files, err)
    if report is None:
        if args.format == "json":
            _write_json(out, _document("check", loading))
        elif args.format == "sarif":
            log = problems_to_sarif([p for p, _ in loading.problems], omitted=loading.omitted)
            print(json.dumps(log, indent=2, ensure_ascii=not _utf8(out)), file=out)
        elif args.format == "markdown":
            problems = [p for p, _ in loading.problems]
            out.write(problems_to_markdown(problems, omitted=loading.omitted, title=_given(args.files)))
        elif args.format == "html":
            problems = [p for p, _ in loading.problems]
            page = problems_to_html(
                problems, omitted=loading.omitted, title=_given(args.files), ascii=not _utf8(out)
            )
            out.write(page)
        elif args.format == "github":
            out.write(problems_to_github([p for p, _ in loading.problems], omitted=loading.omitted))
        elif args.format == "gitlab":
            issues = problems_to_gitlab([p for p, _ in loading.problems], omitted=loading.omitted)
            print(json.dumps(issues, indent=2, ensure_ascii=not _utf8(out)), file=out)
        elif args.format == "junit":
            problems = [p for p, _ in loading.problems]
            out.write(problems_to_junit(problems, omitted=loading.omitted, ascii=not _utf8(out)))
        return EXIT_INVALID
    loaded = loading.loaded
    every = report
    report = _selected(args, every)
    left_out = len(every) - len(report)
    note = _not_shown(args, left_out)
    if args.format == "json":
        data = report.to_dict()
        if note:
            data["not_shown"] = left_out
        _write_json(out, _document("check", loading, data))
    elif args.format == "sarif":
        if note:  # say so to code scanning, which would otherwise take the findings left out as fixed
            log = to_sarif(report)
            notice = {"level": "note", "message": {"text": f"{note.capitalize()}."}}
            log["runs"][0]["invocations"] = [
                {"executionSuccessful": True, "toolExecutionNotifications": [notice]}
            ]
            print(json.dumps(log, indent=2, ensure_ascii=not _utf8(out)), file=out)
        else:
            print(render_sarif(report, ascii=not _utf8(out)), file=out)
    elif args.format == "markdown":
        verdict = "Fails" if report.fails(args.fail_on) else "Passes"
        print(report.to_markdown(title=_title(args.files, loaded)), file=out)
        if note:
            print(f"{note.capitalize()}.\n", file=out)
        print(f"**{verdict}** at `--fail-on {args.fail_on}`.", file=out)
    elif args.format == "html":  # the verdict, and what was left out, are in the page
        title = _title(args.files, loaded)
        shown = f"{note.capitalize()}." if note else None
        checked = [agreement for _, agreement in loaded]
        out.write(
            report.to_html(
                title=title, fail_on=args.fail_on, note=shown, ascii=not _utf8(out), agreements=checked
            )
        )
    elif args.format == "github":  # the annotations, then the log's lines that are not commands
        verdict = "fails" if report.fails(args.fail_on) else "passes"
        out.write(report.to_github())
        print(f"dpup check {_given(args.files)}: {report.summary()}", file=out)
        if note:
            print(f"{note.capitalize()}.", file=out)
        print(f"{verdict} at --fail-on {args.fail_on}", file=out)
    elif args.format == "gitlab":  # a report of open issues; the job's log says what was left out
        print(report.to_gitlab(ascii=not _utf8(out)), file=out)
        if note:
            print(f"{note.capitalize()}.", file=err)
    elif args.format == "junit":  # a suite for every file checked; the job's log says what was left out
        files = [path for path, _ in loaded]
        out.write(report.to_junit(fail_on=args.fail_on, files=files, ascii=not _utf8(out)))
        if note:
            print(f"{note.capitalize()}.", file=err)
    else:
        title = _title(args.files, loaded)
        verdict = "fails" if report.fails(args.fail_on) else "passes"
        text = render_text(report, title=title, width=_width(out))
        if note:
            text += note + "\n"
        if len(report):  # as a compiler points at its explanation of an error code
            text += f"dpup checks {report[0].code} (or any code above): why a check matters, and the DPUP text it rests on\n"
        print(text + f"{verdict} at --fail-on {args.fail_on}", file=out)
    return EXIT_FINDINGS if report.fails(args.fail_on) else EXIT_OK


# -- compare ------------------------------------------------------------------------------


def _add_compare(sub: "argparse._SubParsersAction[_Parser]") -> None:
    p = sub.add_parser(
        "compare",
        help="compare the findings of two drafts: fixed, new and still open",
        description="Check two drafts (each an agreement file, or a directory standing for every "
        "agreement file in it) and say which findings the later one fixed, which it brought and "
        "which remain. Findings are matched by check, subject and related ids (and agreement, "
        "unless each draft is one agreement), so rewording or reordering a file does not make a "
        "finding new. Exit 0 when no new finding reaches the --fail-on threshold, 1 when one "
        "does, 2 when a file is not a valid agreement or cannot be read (as for check).",
    )
    _add_drafts(
        p,
        github="annotations of the new findings on the later draft's lines in a GitHub Actions job",
        html="a web page of its own to send round, open in a browser or print (with -o revision.html)",
    )
    _add_fail_on(p, "a new open finding")
    _add_select(p)
    p.set_defaults(func=_run_compare)


def _run_compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from dpup.render.ci import problems_to_github
    from dpup.render.html import problems_to_html
    from dpup.render.text import render_comparison

    if _nothing_selected(args, "compare", err):
        return EXIT_USAGE
    said: set[str] = set()  # a file that does not load, given as both drafts, is said once
    loading, before = _checked([args.before], err, said)
    later, after = _checked([args.after], err, said)
    loading.extend(later)
    if before is None or after is None:
        if args.format == "json":
            _write_json(out, _document("compare", loading))
        elif args.format == "github":
            out.write(problems_to_github([p for p, _ in loading.problems], omitted=loading.omitted))
        elif args.format == "html":
            problems = [p for p, _ in loading.problems]
            drafts = f"{_given([args.before])} -> {_given([args.after])}"
            page = problems_to_html(
                problems, omitted=loading.omitted, title=drafts, ascii=not _utf8(out), command="compare"
            )
            out.write(page)
        return EXIT_INVALID
    shown = _selected(args, before), _selected(args, after)
    comparison = dpup.compare(*shown)
    left_out = len(before) + len(after) - len(shown[0]) - len(shown[1])
    note = _not_shown(args, left_out)
    fails = comparison.fails(args.fail_on)
    title = f"{_title([args.before], loading.loaded)} -> {_title([args.after], later.loaded)}"
    verdict = "fails" if fails else "passes"
    reaches = "a new finding reaches it" if fails else "no new finding reaches it"
    if args.format == "json":
        data = comparison.to_dict()
        if note:
            data["not_shown"] = left_out
        _write_json(out, _document("compare", loading, data))
    elif args.format == "markdown":
        print(comparison.to_markdown(title=title), file=out)
        if note:
            print(f"{note.capitalize()} (in the two drafts).\n", file=out)
        print(f"**{verdict.capitalize()}** at `--fail-on {args.fail_on}`: {reaches}.", file=out)
    elif args.format == "html":  # the verdict, and what was left out, are in the page
        shown_note = f"{note.capitalize()} (in the two drafts)." if note else None
        out.write(
            comparison.to_html(title=title, fail_on=args.fail_on, note=shown_note, ascii=not _utf8(out))
        )
    elif args.format == "github":  # only what the later draft brings is annotated
        out.write(comparison.new.to_github())
        print(f"dpup compare {title}: {comparison.summary()}", file=out)
        if note:
            print(f"{note.capitalize()} (in the two drafts).", file=out)
        print(f"{verdict} at --fail-on {args.fail_on}: {reaches}", file=out)
    else:
        text = render_comparison(comparison, title=title, width=_width(out))
        if note:
            text += f"{note} (in the two drafts)\n"
        print(text + f"{verdict} at --fail-on {args.fail_on}: {reaches}", file=out)
    return EXIT_FINDINGS if fails else EXIT_OK


# -- diagram ------------------------------------------------------------------------------


def _add_diagram(sub: "argparse._SubParsersAction[_Parser]") -> None:
    p = sub.add_parser(
        "diagram",
        takes_files=True,
        help="draw the flows of agreements as a Mermaid or Graphviz diagram",
        description="Load agreement files (several files, and every agreement file in a directory, "
        "as one graph) and print a diagram of who sends what to whom: Mermaid, which GitHub, GitLab "
        "and JupyterLab draw from a Markdown code block marked mermaid, or Graphviz DOT. The groups, "
        "holders and flows that open findings are about are drawn red (an error) or orange (a "
        "warning). Exit 0, or 2 when a file is not a valid agreement or cannot be read, or two "
        "agreements disagree about what an id is.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", type=_read_path, help=_FILES_HELP)
    p.add_argument(
        "--format", choices=("mermaid", "dot"), default="mermaid", help="diagram format (default: mermaid)"
    )
    p.add_argument(
        "--direction",
        choices=("LR", "RL", "TB", "BT"),
        default="LR",
        help="which way the flows run: LR (left to right, the default), RL, TB (top to bottom) or BT",
    )
    p.add_argument(
        "--findings",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="check the agreements and mark what findings are about (the default); --no-findings "
        "draws the flows alone",
    )
    p.set_defaults(func=_run_diagram)


def _run_diagram(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    loading = _load(args.files, err)
    G = _graph_of(loading, err) if loading.ok else None
    if G is None:
        return EXIT_INVALID
    report = _located(dpup.check(G), loading.loaded) if args.findings else None
    draw = dpup.to_mermaid if args.format == "mermaid" else dpup.to_dot
    out.write(draw(G, report=report, direction=args.direction))
    return EXIT_OK


# -- holders ------------------------------------------------------------------------------


def _add_holders(sub: "argparse._SubParsersAction[_Parser]") -> None:
    p = sub.add_parser(
        "holders",
        help="who holds information about a group, and whom its people ask",
        description="Load agreement files (several files, and every agreement file in a directory, as "
        "one graph) and list every holder of information about a service-user group: what it holds, "
        "for which purposes, by which flows, and the contact of the access and correction arrangement "
        "that covers it. Exit 0; 2 when a file is not a valid agreement or cannot be read, or two "
        "agreements disagree about what an id is; 64 when the group is not in them.",
    )
    p.add_argument("group", metavar="GROUP", help="the id of a service-user group")
    p.add_argument("files", nargs="+", metavar="FILE", type=_read_path, help=_FILES_HELP)
    p.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="output format: text, json, or markdown for a wiki page or a notice's working copy (default: text)",
    )
    p.set_defaults(func=_run_holders)


def _run_holders(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    loading = _load(args.files, err)
    G = _graph_of(loading, err) if loading.ok else None
    if G is None:
        if args.format == "json":
            _write_json(out, _document("holders", loading))
        return EXIT_INVALID
    try:
        held = dpup.who_holds(G, args.group)
    except KeyError as e:
        print(f"dpup holders: {e.args[0]}", file=err)
        return EXIT_USAGE
    if args.format == "json":
        data = {"group": args.group, "holders": [h.to_dict() for h in held.values()]}
        _write_json(out, _document("holders", loading, data))
        return EXIT_OK
    names = nx.get_node_attributes(G, "name")
    group = (
        f"{args.group} ({names[args.group]})"
        if names.get(args.group, args.group) != args.group
        else args.group
    )
    title = f"Who holds information about {group}, and whom to ask"
    entries = [_holding_lines(h, names) for h in held.values()]
    if args.format == "markdown":
        from dpup.render.markdown import _escape

        lines = [f"## {_escape(title)}", ""]
        if not held:
            lines.append("No flow carries information said to be about this group.")
        for head, rows in entries:
            item = [f"- **{_escape(head[0])}**" + (f": {_escape(head[1])}" if head[1] else "")]
            item += [f"  {_escape(row)}" for row in rows]
            lines += [line + "  " if i < len(item) - 1 else line for i, line in enumerate(item)]
        out.write("\n".join(lines) + "\n")
        return EXIT_OK
    lines = [title, ""]
    if not held:
        lines.append("  No flow carries information said to be about this group.")
    for head, rows in entries:
        lines.append(f"  {head[0]}  {head[1]}".rstrip())
        lines += [f"      {row}" for row in rows]
    print("\n".join(lines), file=out)
    return EXIT_OK


def _holding_lines(h: dpup.Holding, names: dict[str, str]) -> tuple[tuple[str, str], list[str]]:
    """A holder of ``dpup holders``: its id and name (with its organisation's, for a team),
    then a line for each of what it holds, what for, by which flows and whom to ask."""
    name = h.name if h.name != h.holder else ""
    if h.organisation not in (None, h.holder):  # a team: its organisation too
        name += f", {names.get(h.organisation, h.organisation)}"
    rows = [f"holds {', '.join(h.information)}"]
    if h.purposes:
        rows.append(f"for {', '.join(h.purposes)}")
    if h.received_by:
        rows.append(f"received by {', '.join(h.received_by)}")
    if h.sent_by:
        rows.append(f"sent on by {', '.join(h.sent_by)}")
    if h.ask:
        rows.append("ask " + ", ".join(f"{c} ({names[c]})" if names.get(c, c) != c else c for c in h.ask))
    else:
        rows.append("ask: no access and correction arrangement covers it")
    return (h.holder, name), rows


# -- notice -------------------------------------------------------------------------------


def _add_notice(sub: "argparse._SubParsersAction[_Parser]") -> None:
    p = sub.add_parser(
        "notice",
        help="write the plain-language notice for a group of service users",
        description="Write what a group of service users is told under an agreement, in the order of "
        "DPUP's 'what service users need to know': the agreement's own answers, what dpup can say "
        "from its information, holders, purposes, access arrangements and flows, and a placeholder "
        "for everything it leaves unsaid. Exit 0 when the notice is ready to give; 1 when something "
        "is not written yet or a finding of dpup check concerns what it tells (both listed on "
        "standard error); 2 when the file is not a valid agreement or cannot be read; 64 when the "
        "group is not in it, or FILE is a directory of several agreements.",
    )
    p.add_argument("group", metavar="GROUP", help="the id of a service-user group")
    p.add_argument("file", metavar="FILE", type=_read_path, help="an agreement file (YAML, JSON or TOML)")
    p.add_argument(
        "--version",
        dest="notice_version",
        choices=dpup.NOTICE_VERSIONS,
        default="adult",
        help="adult (DPUP's wording) or child (simpler headings and sentences) (default: adult)",
    )
    p.add_argument(
        "--format",
        choices=("text", "markdown", "html", "json"),
        default="text",
        help="output format: text, markdown, html (a web page of its own, to print) or json (default: text)",
    )
    p.set_defaults(func=_run_notice)


def _run_notice(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    loading = _load([args.file], err)
    loaded = loading.loaded
    if not loading.ok:
        if args.format == "json":
            _write_json(out, _document("notice", loading))
        return EXIT_INVALID
    if len(loaded) != 1:
        print(f"dpup notice: {args.file} holds {len(loaded)} agreements; give one agreement file", file=err)
        return EXIT_USAGE
    path, agreement = loaded[0]
    try:
        n = dpup.notice(agreement, args.group, version=args.notice_version)
    except KeyError as e:
        print(f"dpup notice: {e.args[0]}", file=err)
        return EXIT_USAGE
    # its findings placed in the file, as check places them, in the notice's order
    report = dpup.Report.of(n.findings)
    placed = {id(f): g for f, g in zip(report, _located(report, loaded), strict=True)}
    findings = [placed[id(f)] for f in n.findings]
    if args.format == "json":
        data = n.to_dict()
        data["findings"] = [f.to_dict() for f in findings]
        _write_json(out, _document("notice", loading, data))
    elif args.format == "markdown":
        out.write(n.to_markdown())
    elif args.format == "html":
        out.write(n.to_html())
    else:
        out.write(n.to_text(width=min(_width(out), 80)))
    if n.ready:
        return EXIT_OK
    print(f"dpup notice: not ready to give ({_lacking(n)}):", file=err)
    for text in n.unsaid:
        print(f"  not written yet: {text}", file=err)
    for f in findings:
        print(f"  {f.location + ': ' if f.location else ''}{f.code} {f.message}", file=err)
    if n.findings:
        print(f"  (dpup check {path} says how to fix each finding)", file=err)
    return EXIT_FINDINGS


# -- diff ---------------------------------------------------------------------------------


def _add_diff(sub: "argparse._SubParsersAction[_Parser]") -> None:
    p = sub.add_parser(
        "diff",
        help="what changed between two drafts: declarations added, removed and changed",
        description="Compare what two drafts declare: the groups, holders, teams, purposes, "
        "information, flows, explanations, access arrangements, engagement and acceptances "
        "added, removed and changed, field by field. Declarations are matched by id (an access "
        "arrangement by its contact, engagement by whom it is with, an acceptance by its code and "
        "subject), so moving or reformatting one changes nothing. Two drafts of one agreement are "
        "compared whatever their ids; files or directories of several agreements are paired by "
        "agreement id. Exit 0 when nothing changed, 1 when something did (as diff does), 2 when "
        "a file is not a valid agreement or cannot be read.",
    )
    _add_drafts(p)
    p.set_defaults(func=_run_diff)


def _run_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from dpup.render.markdown import _escape

    said: set[str] = set()  # a file that does not load, given as both drafts, is said once
    loading = _load([args.before], err, said=said)
    loading_after = _load([args.after], err, said=said)
    before, after = loading.loaded, loading_after.loaded
    loading.extend(loading_after)
    if not loading.ok:
        if args.format == "json":
            _write_json(out, _document("diff", loading))
        return EXIT_INVALID
    if len(before) == 1 and len(after) == 1:  # two drafts of one agreement, whatever their ids
        pairs, added, removed = [(before[0], after[0])], [], []
    else:
        later = {a.id: (path, a) for path, a in after}
        earlier = {a.id for _, a in before}
        pairs = [((path, a), later[a.id]) for path, a in before if a.id in later]
        removed = [(path, a) for path, a in before if a.id not in later]
        added = [(path, a) for path, a in after if a.id not in earlier]
    compared = [(old[0], new[0], dpup.diff(old[1], new[1])) for old, new in pairs]
    if args.format == "json":
        data = {
            "agreements": [_with_files(d.to_dict(), old, new) for old, new, d in compared],
            "added": [{"id": a.id, "file": path} for path, a in added],
            "removed": [{"id": a.id, "file": path} for path, a in removed],
        }
        _write_json(out, _document("diff", loading, data))
    else:
        markdown = args.format == "markdown"
        blocks = [
            d.to_markdown(title=f"{old} -> {new}") if markdown else d.to_text(title=f"{old} -> {new}")
            for old, new, d in compared
        ]
        lines = [f"added agreement {a.id} ({path})" for path, a in added]
        lines += [f"removed agreement {a.id} ({path})" for path, a in removed]
        if markdown:
            lines = [f"- {_escape(line)}" for line in lines]
        out.write(
            "\n".join(blocks) + ("\n" if blocks and lines else "") + "".join(f"{line}\n" for line in lines)
        )
    differ = bool(added or removed or any(d for _, _, d in compared))
    return EXIT_FINDINGS if differ else EXIT_OK


def _with_files(pair: dict[str, Any], before: str, after: str) -> dict[str, Any]:
    """A diff's :meth:`~dpup.Diff.to_dict` with the file each draft was read from beside its id."""
    pair["before"]["file"], pair["after"]["file"] = before, after
    return pair


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _width(stream: TextIO) -> int:
    """The width to wrap a text report to: the terminal's (at least 60 columns), when writing
    to one, or :data:`dpup.render.text.WIDTH` (100) for a file or a pipe, whatever ``COLUMNS``
    says, so that what a script or CI job saves is the same wherever it runs."""
    from dpup.render.text import WIDTH

    return max(60, shutil.get_terminal_size((WIDTH, 24)).columns) if _is_terminal(stream) else WIDTH


def _title(given: Sequence[str], loaded: Loaded) -> str:
    """The first line of a text report: the arguments as given (the first few of many), and
    how many agreements they stood for, unless that is one file given as itself."""
    if len(given) == 1 and len(loaded) == 1 and loaded[0][0] == given[0]:
        return given[0]
    n = len(loaded)
    return f"{_given(given)} ({n} agreement{'s' if n != 1 else ''})"


def _given(given: Sequence[str]) -> str:
    """The arguments as given, the first few of many."""
    return ", ".join(given) if len(given) <= _TITLE_ARGS else f"{', '.join(given[:_TITLE_ARGS])}, ..."


_TITLE_ARGS = 3
"""How many of the arguments a text report's title shows."""


# -- schema -------------------------------------------------------------------------------


# -- init ---------------------------------------------------------------------------------


def _add_init(sub: "argparse._SubParsersAction[_Parser]") -> None:
    p = sub.add_parser(
        "init",
        help="start a new agreement: write a starter agreement file to fill in, or a bundled example",
        description="Write a starter agreement: a provider reporting to an agency's team, with "
        "every section an agreement has, a comment on each key, and a blank wherever DPUP asks "
        "for something only you can say (a purpose's benefit and authority, what people are "
        "told, their choices). It is a valid agreement, so dpup check lists what is still to "
        "fill in, finding by finding. Written to standard output, or with -o to a new file "
        "(dpup init agreement.yaml, or -o agreement.yaml), in the format its name gives; dpup "
        "init never writes over a file. Exit 0.",
    )
    p.add_argument(
        "path",
        nargs="?",
        metavar="FILE",
        help="the new file to write (the same as -o FILE); default: standard output",
    )
    p.add_argument(
        "--example",
        metavar="NAME",
        type=_example_name,
        help="write a bundled example instead: best-foot-forward (an agreement the DPUP way) or "
        "best-foot-forward-before (its first draft, with 42 findings)",
    )
    p.add_argument(
        "--format",
        choices=("yaml", "json", "toml"),
        help="the file format (default: the one the file's name gives, else yaml); only YAML "
        "keeps the starter's comments and blanks (JSON and TOML leave the blanks out, which "
        "dpup check reports just the same)",
    )
    p.set_defaults(func=_run_init, creates=True)


def _example_name(text: str) -> str:
    """A ``--example`` value, checked (argparse's ``type``)."""
    from dpup import examples

    known = examples.names()
    if text in known:
        return text
    close = difflib.get_close_matches(text.removesuffix(".yaml"), known, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise argparse.ArgumentTypeError(f"no example is named {text!r}{hint}; there are {', '.join(known)}")


def _init_format(args: argparse.Namespace) -> "tuple[Format, None] | tuple[None, str]":
    """The format ``dpup init`` writes, or why the options disagree about it."""
    from dpup.files import _SUFFIXES

    target = args.output if args.output not in (None, "-") else None
    named = _SUFFIXES.get(os.path.splitext(target)[1].lower()) if target else None
    if target and named is None:
        suffixes = ", ".join(_SUFFIXES)
        return (
            None,
            f"{target}: give the file a name ending in {suffixes.replace(', .toml', ' or .toml')}, which dpup reads agreements from",
        )
    if args.format and named and args.format != named:
        return None, f"--format {args.format} and {target}, the name of a {named} file, disagree"
    return cast("Format", args.format or named or "yaml"), None


def _run_init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from importlib import resources

    from dpup import examples

    fmt, wrong = _init_format(args)
    if fmt is None:
        print(f"dpup init: {wrong}", file=err)
        return EXIT_USAGE
    if args.example:
        text = examples.path(args.example).read_text(encoding="utf-8")
    else:
        text = resources.files("dpup._private").joinpath("starter.yaml").read_text(encoding="utf-8")
    if fmt != "yaml":
        text = dpup.dumps(dpup.loads(text, format="yaml"), format=fmt)
    elif not args.example and args.output not in (None, "-"):  # its own name in its first comment
        text = text.replace(
            "#     dpup check agreement.yaml\n", f"#     dpup check {shlex.quote(args.output)}\n", 1
        )
    out.write(text)
    if args.output not in (None, "-"):
        if args.example:
            then = "run"
        elif fmt == "yaml":
            then = "change the ids and names to your own, fill in each blank, and run"
        else:  # JSON and TOML hold no blanks: the findings say what is still to write
            then = "change the ids and names to your own, and run"
        args.written = f"dpup init: wrote {args.output}; now {then} dpup check {shlex.quote(args.output)}"
    elif _is_terminal(out) and not args.example:
        print("dpup init: to write it to a new file: dpup init agreement.yaml", file=err)
    return EXIT_OK


# -- checks -------------------------------------------------------------------------------


def _add_checks(sub: "argparse._SubParsersAction[_Parser]") -> None:
    p = sub.add_parser(
        "checks",
        help="list the checks, or explain some: what each finds, the DPUP text it rests on, and how "
        "to fix what it finds",
        description="Without CHECKS, list every check dpup runs: its code, severity and name, and "
        "what it finds. With CHECKS (codes such as PM004, as a report shows them, or what --select "
        "takes), explain each in full: the DPUP Guideline and Principles it serves, the Privacy Act "
        "2020 principle behind it, what it finds, the words of the DPUP documents it rests on, and "
        "how to fix what it finds. Exit 0.",
    )
    p.add_argument(
        "names",
        nargs="*",
        type=_checks_named,
        metavar="CHECKS",
        help=f"the checks to explain: {_CHECKS_HELP} (default: list every check)",
    )
    p.add_argument(
        "--format",
        choices=["text", "json", "markdown"],
        default="text",
        help="text for a terminal (default); json, the checks in full (every check, when none is "
        "named), for tools; markdown, the same as the documentation's catalogue shows them",
    )
    p.set_defaults(func=_run_checks)


def _checks_named(text: str) -> frozenset[str]:
    """A ``dpup checks`` argument: as ``--select`` takes, but a file's name is told it is not
    a check (``dpup check`` is the command that reads files)."""
    from dpup.files import _SUFFIXES

    try:
        return _named_checks(text)
    except argparse.ArgumentTypeError:
        if os.path.exists(text) or os.path.splitext(text)[1].lower() in _SUFFIXES:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a check: dpup checks explains checks; to check an agreement file, "
                f"run dpup check {text}"
            ) from None
        raise


def _run_checks(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from dpup.render.catalogue import render_catalogue, render_catalogue_text

    named = frozenset().union(*args.names)
    checks = [c for c in dpup.catalogue() if not named or c.code in named]
    if args.format == "json":
        _write_json(out, _document("checks", _Loading(), {"checks": [c.to_dict() for c in checks]}))
    elif args.format == "markdown":
        out.write(render_catalogue(checks))
    else:
        out.write(render_catalogue_text(checks, full=bool(named), width=_width(out)))
        if not named:
            out.write("Explain a check, or a family of them: dpup checks PM004, dpup checks UH\n")
    return EXIT_OK


_SCHEMAS = ("agreement", *COMMANDS)
"""What ``dpup schema`` describes: the agreement file format, or a command's JSON output."""


def _add_schema(sub: "argparse._SubParsersAction[_Parser]") -> None:
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of the agreement file format, for editors, or of a command's "
        "JSON output, for tools",
        description="Print a JSON Schema (draft 7). By default, or with agreement, that of the "
        "agreement file format: save it (dpup schema > agreement.schema.json) and point an editor "
        "at it, so that keys are completed, described and checked as an agreement file is written; "
        "in YAML, with a first line such as '# yaml-language-server: $schema=agreement.schema.json'. "
        "The schema checks a file's shape; dpup validate also checks that ids are unique and "
        "references resolve. With a command's name, that of what the command writes with --format "
        "json (dpup schema check > check-output.schema.json), for a program that reads it to "
        "validate it or generate its types: keys may be added to the output without a new output "
        "version, so the schema does not forbid keys it does not list. Exit 0.",
    )
    p.add_argument(
        "document",
        nargs="?",
        default="agreement",
        type=_schema_name,
        metavar="DOCUMENT",
        help=f"what to describe: {', '.join(_SCHEMAS)} (default: agreement)",
    )
    p.set_defaults(func=_run_schema)


def _schema_name(text: str) -> str:
    """A ``dpup schema`` argument, checked (argparse's ``type``: it says which was meant)."""
    if text in _SCHEMAS:
        return text
    close = difflib.get_close_matches(text, _SCHEMAS, n=1) or difflib.get_close_matches(
        text.lower(), _SCHEMAS, n=1
    )
    from dpup.files import _SUFFIXES

    hint = f" (did you mean {close[0]}?)" if close else ""
    if not close and (os.path.exists(text) or os.path.splitext(text)[1].lower() in _SUFFIXES):
        hint = " (dpup schema takes no files)"
    raise argparse.ArgumentTypeError(
        f"no schema is named {text!r}{hint}; name agreement, or a command with JSON output: "
        + ", ".join(COMMANDS)
    )


def _run_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    schema = dpup.json_schema() if args.document == "agreement" else dpup.output_schema(args.document)
    out.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


# -- the command --------------------------------------------------------------------------


def _parser() -> _Parser:
    parser = _Parser(
        prog="dpup",
        description="Data-sharing agreements as checkable contracts, built on New Zealand's "
        "Data Protection and Use Policy (DPUP).",
        epilog="Exit codes: 0 ok, 1 findings at the threshold (check; new ones, compare), a "
        "notice not ready to give (notice) or drafts that differ (diff), 2 an invalid, missing or "
        "unreadable file or directory, two agreements with the same id or disagreeing about an id, "
        "64 usage error, 74 the output could not be written, 141 output cut off (the reader of a "
        "pipe went away).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {dpup.__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    _add_init(sub)
    _add_validate(sub)
    _add_check(sub)
    _add_checks(sub)
    _add_compare(sub)
    _add_diff(sub)
    _add_diagram(sub)
    _add_holders(sub)
    _add_notice(sub)
    _add_schema(sub)
    for command in sub.choices.values():
        command.set_defaults(command_parser=command)
        command.add_argument(
            "-o",
            "--output",
            metavar="PATH",
            help="write the output to PATH, in UTF-8, instead of to standard output (problems "
            "still go to standard error), making its directory if need be; not written when the "
            "command is used wrongly (exit 64)",
        )
    return parser


def _utf8(stream: TextIO) -> bool:
    """Whether a stream writes UTF-8 (or text, as a ``StringIO`` does, with no encoding)."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _printable(stream: TextIO | None) -> TextIO:
    """The process's own stream, made to print what it cannot encode as escapes: a file name
    that is not UTF-8 (``caf\\xe9.yaml``, which Python holds as ``caf\\udce9.yaml``), or a
    macron on an ASCII stream, must not turn a report into a traceback. Python's streams are
    strict, or, under the C or POSIX locale, ``surrogateescape``, which fails on any character
    the encoding lacks."""
    if stream is None:  # closed (`dpup check x >&-`): Python has no stream for it
        return open(os.devnull, "w", encoding="utf-8")
    failing = ("strict", "surrogateescape")
    if getattr(stream, "errors", None) in failing and isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="backslashreplace")
    return stream


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the ``dpup`` command and return its exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after ``dpup`` (default: ``sys.argv[1:]``).
    out, err : text streams, optional
        Where to write results and problems (default: stdout and stderr, which are set to
        write what they cannot encode, such as a file name that is not UTF-8, as
        backslash escapes rather than fail).
    """
    out = out if out is not None else _printable(sys.stdout)
    # Problems and a notice's blanks quote file names and agreements' text too.
    err = cast(TextIO, _Visible(err if err is not None else _printable(sys.stderr)))
    parser = _parser()
    try:
        args, extras = parser.parse_known_args(argv)
        if extras:  # said by the command's parser, with its usage, not dpup's
            args.command_parser.error(
                f"unrecognized arguments: {' '.join(extras)}{_option_hint(args.command_parser, extras)}"
            )
    except _UsageError as e:
        err.write(str(e))
        return EXIT_USAGE
    except SystemExit as e:  # --help and --version print, then exit 0
        return e.code if isinstance(e.code, int) else EXIT_OK
    run: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.func
    if getattr(args, "path", None) is not None:  # dpup init FILE: the same as -o FILE
        if args.output is not None:
            err.write(f"dpup init: give the new file once: as FILE ({args.path}) or as -o ({args.output})\n")
            return EXIT_USAGE
        args.output = args.path
    if args.output == "":
        err.write("dpup: -o needs the name of a file to write (or -, for standard output)\n")
        return EXIT_USAGE
    if args.output is not None and args.output != "-":
        return _run_to_file(run, args, args.output, err)
    try:
        code = run(args, cast(TextIO, _Visible(out)), err)
        out.flush()  # here, not at exit, so a reader that went away is caught below
        return code
    except BrokenPipeError:
        # The reader went away (`dpup check ... | head`): stop quietly, as other tools do, with
        # the status of a process ended by SIGPIPE, so a pipeline under `set -o pipefail` fails
        # rather than passing a result nobody read.
        _discard(out)
        return EXIT_BROKEN_PIPE
    except OSError as e:
        # Writing failed (a full disk, an I/O error): not findings (1), and no traceback.
        _discard(out)
        with contextlib.suppress(OSError):
            print(f"dpup: cannot write the output: {e.strerror or e}", file=err)
        return EXIT_CANNOT_WRITE


def _run_to_file(
    run: Callable[[argparse.Namespace, TextIO, TextIO], int], args: argparse.Namespace, path: str, err: TextIO
) -> int:
    """Run a command with ``--output PATH``: its output is written to the file once the command
    has finished (so a file given to it is read before anything is written), in a directory
    made for it where there is none, in UTF-8 whatever
    the platform's encoding (PowerShell's ``>`` would write UTF-16), with ``\\n`` line ends.
    Nothing is written when the command is used wrongly, nor over a file it reads."""
    try:
        clash = _reads(args, path)
    except FileNotFoundError:  # the current directory was removed: writing fails below, and says so
        clash = None
    if clash is not None:
        print(f"dpup: --output {path}: {clash}", file=err)
        return EXIT_USAGE
    buffer = io.StringIO()
    code = run(args, cast(TextIO, _Visible(buffer)), err)
    if code == EXIT_USAGE:
        return code
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)  # as pytest's --junitxml does
        mode = "x" if getattr(args, "creates", False) else "w"  # dpup init: a new file, or none
        with open(path, mode, encoding="utf-8", errors="backslashreplace", newline="") as f:
            f.write(buffer.getvalue())
    except OSError as e:
        if isinstance(e, FileExistsError) and e.filename == path:  # dpup init's, made since _reads looked
            print(f"dpup: --output {path}: {_EXISTS}; write the output somewhere else", file=err)
            return EXIT_USAGE
        if isinstance(e, FileExistsError):  # makedirs: a file where a directory of the path goes
            print(
                f"dpup: cannot write the output to {path}: {e.filename} is a file, not a directory", file=err
            )
            return EXIT_CANNOT_WRITE
        print(f"dpup: cannot write the output to {path}: {e.strerror or e}", file=err)
        return EXIT_CANNOT_WRITE
    if getattr(args, "written", None):  # what to do next with the file, once it is there
        print(args.written, file=err)
    return code


_EXISTS = "it exists, and dpup init writes only a new file, never over one"


def _reads(args: argparse.Namespace, path: str) -> str | None:
    """Why the command must not write its output to ``path``: it is a file the command reads,
    or one it would read as an agreement in a directory it is given (and so would every later
    run); ``None`` when it may."""
    from dpup.files import _SCHEMA_SUFFIX, _SUFFIXES

    if getattr(args, "creates", False) and os.path.isdir(path):
        return f"it is a directory: name a new file in it, such as {os.path.join(path, 'agreement.yaml')}"
    if getattr(args, "creates", False) and os.path.lexists(path):
        return f"{_EXISTS}; write the output somewhere else"
    given = [*getattr(args, "files", ()), *(getattr(args, k, None) for k in ("file", "before", "after"))]
    target = os.path.realpath(path)  # a link to a directory given is that directory
    for item in (g for g in given if g is not None):
        if os.path.isdir(item):
            inside = os.path.relpath(target, os.path.realpath(item))
            parts = inside.split(os.sep)
            if (
                parts[0] != os.pardir
                and not any(part.startswith(".") for part in parts)
                and os.path.splitext(parts[-1])[1].lower() in _SUFFIXES
                and not parts[-1].lower().endswith(_SCHEMA_SUFFIX)
            ):
                return (
                    f"it is in {item}, which is read for agreement files, and would be read as one; "
                    "write the output somewhere else"
                )
        elif os.path.realpath(item) == target or (os.path.exists(path) and _same(item, path)):
            return f"it is {item}, a file the command reads; write the output somewhere else"
    return None


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""The control characters a terminal may act on (all but tab and line feed): an agreement's
text (a title in a JSON file, say, which may hold any character) must not move the cursor,
change colours or rewrite the line a CI log shows."""


class _Visible:
    """A text stream that writes every control character but tab and line feed as a visible
    escape (``\\x1b``), so nothing taken from an agreement or a file's name acts on the
    terminal, on standard output or standard error. JSON output writes them as JSON escapes
    already, so it passes unchanged."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(_CONTROL.sub(_escape_control, text))

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding ... as the stream has them
        return getattr(self._stream, name)


def _escape_control(m: "re.Match[str]") -> str:
    return f"\\u{ord(m.group()):04x}"  # in JSON (DEL and C1 are not escaped there), the same character


def _discard(out: TextIO) -> None:
    """Point the process's standard output at nothing, so that Python's own flush of what
    could not be written, at exit, neither fails again nor prints a traceback."""
    if out is sys.stdout:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
