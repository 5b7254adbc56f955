"""Mutation testing: do the package tests and the chapters fail when the package is wrong?

Usage (from the repository root, with the package's environment):

    python tools/mutation.py                       # every mutant of tools/mutants.py
    python tools/mutation.py --mutants id1,id2     # some of them (also MUTANTS=id1,id2 in `make mutation`)
    python tools/mutation.py --no-chapters         # package tests only

For every mutant it copies the repository (without .git, virtual environments and build
outputs) to a temporary directory once, swaps the mutant's snippet into the copy, runs the
package test files that exercise the mutated module (plus the module's doctests) with
``pytest -x``, then each chapter listed for the mutant under nbval, and restores the file.
The working tree is never modified, so an interrupted run leaves nothing mutated. A mutant is
*killed* by a run that fails (a failing test or cell, or a timeout); a run that cannot judge (pytest
exits with a collection error, a usage error, or the interpreter is broken) is reported as an error,
never as a kill.

Before any mutant, the unmutated copy must pass the same test files and chapters (otherwise
every mutant would look killed). The run prints one table (mutant, killed by tests, killed by
chapters) and the totals, and exits non-zero when a target is missed: fewer than 95 % of the
non-equivalent mutants killed by the package tests, a chapter that rebuilds an operator and
kills none of that operator's mutants, or a mutant declared equivalent that something killed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from mutants import MUTANTS, REBUILDS, TESTS, Mutant  # noqa: E402

TARGET = 0.95
IGNORE = shutil.ignore_patterns(".git", ".venv", ".venv-*", "_build", "__pycache__", ".hypothesis",
                                ".pytest_cache", "*.egg-info", ".ipynb_checkpoints")


def check_snippets(mutants: list[Mutant], root: Path = ROOT) -> list[str]:
    """A message for every mutant whose snippet does not occur exactly once (the source drifted)."""
    problems = []
    for m in mutants:
        path = root / m.file
        if not path.is_file():
            problems.append(f"{m.id}: {m.file} does not exist")
            continue
        count = path.read_text(encoding="utf-8").count(m.original)
        if count != 1:
            problems.append(f"{m.id}: the snippet {m.original!r} occurs {count} times in {m.file}, not once")
    return problems


def _run(command: list[str], cwd: Path, timeout: float, extra_env: dict | None = None) -> tuple[str, float]:
    """Run ``command``; return ('pass' | 'fail' | 'timeout', seconds)."""
    env = dict(os.environ, PYTHONPATH=str(cwd), PYTHONDONTWRITEBYTECODE="1", **(extra_env or {}))
    start = time.monotonic()
    # A session of its own, so that a timeout ends pytest and the kernels it started, nothing else.
    try:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
    except OSError as error:  # the interpreter itself is gone
        return f"error ({error.strerror})", time.monotonic() - start
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return "timeout", time.monotonic() - start
    # pytest: 0 all passed, 1 some test (or notebook cell) failed: a verdict. Anything else (2 interrupted or
    # collection errors, 3 internal error, 4 usage error, 5 nothing collected, a broken interpreter) is not
    # a verdict on the mutant, and is never counted as a kill.
    outcome = {0: "pass", 1: "fail"}.get(returncode, f"error (exit {returncode})")
    return outcome, time.monotonic() - start


def environment_ok(copy: Path) -> bool:
    """Whether the interpreter still imports what the runs need, and the copy's package (a broken or
    replaced environment makes every run fail fast, which must not read as mutants killed)."""
    check = ("import pathlib, sys, pytest, nbval, hypothesis, torch, upsampling; "
             "sys.exit(pathlib.Path(upsampling.__file__).resolve().parent != pathlib.Path('upsampling').resolve())")
    return _run([sys.executable, "-c", check], copy, 300)[0] == "pass"


def run_tests(copy: Path, module: str, timeout: float) -> tuple[str, float]:
    files = [*TESTS[module], module]  # the module itself: its doctests (pyproject's addopts has --doctest-modules)
    return _run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", *files],
                copy, timeout)


def run_chapter(copy: Path, chapter: str, timeout: float) -> tuple[str, float]:
    return _run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:xdist", "-p", "no:cacheprovider",
                 "--nbval", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
                 "--nbval-cell-timeout", str(int(timeout)), f"book/{chapter}.ipynb"],
                copy, timeout, {"OMP_NUM_THREADS": "1"})


def _is_error(outcome: str) -> bool:
    return outcome.startswith("error")


def _mark(outcome: str | None) -> str:
    return {"fail": "killed", "timeout": "killed (timeout)", "pass": "survived", None: "-"}.get(outcome, outcome)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutants", default=os.environ.get("MUTANTS", ""),
                        help="comma-separated mutant ids (default: all)")
    parser.add_argument("--no-chapters", action="store_true", help="run the package tests only")
    parser.add_argument("--baseline", choices=("all", "chapters", "none"), default="all",
                        help="what to run on the unmutated copy first (default: the tests and the chapters)")
    parser.add_argument("--report-only", action="store_true", help="print the table of --results and exit")
    parser.add_argument("--test-timeout", type=float, default=600, help="seconds per mutant for the tests")
    parser.add_argument("--chapter-timeout", type=float, default=300, help="seconds per chapter run")
    parser.add_argument("--results", type=Path, help="append each mutant's result to this JSON-lines file; "
                        "mutants already in it are not run again (resume an interrupted run)")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    args = parser.parse_args(argv)

    selected = MUTANTS
    if args.mutants.strip():
        wanted = [w.strip() for w in args.mutants.split(",") if w.strip()]
        known = {m.id for m in MUTANTS}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            print(f"unknown mutant ids: {', '.join(unknown)}", file=sys.stderr)
            return 2
        by_id = {m.id: m for m in MUTANTS}
        selected = [by_id[w] for w in dict.fromkeys(wanted)]  # in the order given
    if args.list:
        for m in selected:
            print(f"{m.id:40} {m.file:28} {m.what}" + (f"  [equivalent: {m.equivalent}]" if m.equivalent else ""))
        return 0
    problems = check_snippets(selected)
    if problems:
        print("the mutant list no longer matches the source; fix tools/mutants.py:", *problems, sep="\n  ",
              file=sys.stderr)
        return 2

    started = time.monotonic()
    rows, done = [], {}
    if args.results and args.results.exists():
        for line in args.results.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            done[record["id"]] = record
    by_id = {m.id: m for m in MUTANTS}
    rows += [(by_id[i], r["tests"], r["chapters"]) for i, r in done.items() if i in {m.id for m in selected}]
    if args.no_chapters:
        rows = [(m, t, {}) for m, t, _ in rows]
    selected = [m for m in selected if m.id not in done]
    if args.report_only:
        return report(rows, sum(r.get("seconds", 0) for r in done.values()), chapters_run=not args.no_chapters)
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(ROOT, copy, ignore=IGNORE, symlinks=True)
        if not selected:
            return report(rows, 0.0, chapters_run=not args.no_chapters)
        modules = sorted({m.file for m in selected})
        chapters = [] if args.no_chapters else sorted({c for m in selected for c in m.chapters})
        if args.baseline != "none":
            if args.baseline == "chapters":
                modules = []
            print(f"baseline: {len(modules)} module(s), {len(chapters)} chapter(s) on the unmutated copy",
                  file=sys.stderr)
            broken = [f"tests of {mod}" for mod in modules if run_tests(copy, mod, args.test_timeout)[0] != "pass"]
            broken += [f"chapter {c}" for c in chapters if run_chapter(copy, c, args.chapter_timeout)[0] != "pass"]
            if broken:
                print("the unmutated package already fails: " + ", ".join(broken), file=sys.stderr)
                return 2
        for n, m in enumerate(selected, 1):
            if not environment_ok(copy):
                print(f"the Python environment ({sys.executable}) no longer imports pytest, nbval, hypothesis, torch "
                      "and the copy's upsampling; stopping before " + m.id, file=sys.stderr)
                report(rows, time.monotonic() - started, chapters_run=not args.no_chapters)
                return 2
            path = copy / m.file
            source = path.read_text(encoding="utf-8")
            path.write_text(source.replace(m.original, m.replacement, 1), encoding="utf-8")
            try:
                tests, t_tests = run_tests(copy, m.file, args.test_timeout)
                by_chapter, t_chapters = {}, 0.0
                if not args.no_chapters:
                    for chapter in m.chapters:
                        by_chapter[chapter], seconds = run_chapter(copy, chapter, args.chapter_timeout)
                        t_chapters += seconds
            finally:
                path.write_text(source, encoding="utf-8")
            rows.append((m, tests, by_chapter))
            if args.results:
                with args.results.open("a", encoding="utf-8") as f:
                    f.write(json.dumps({"id": m.id, "tests": tests, "chapters": by_chapter,
                                        "seconds": round(t_tests + t_chapters)}) + "\n")
            chapters_text = ", ".join(f"{c}: {_mark(o)}" for c, o in by_chapter.items()) or "-"
            print(f"[{n}/{len(selected)}] {m.id}: tests {_mark(tests)} ({t_tests:.0f} s); "
                  f"chapters {chapters_text} ({t_chapters:.0f} s)", file=sys.stderr, flush=True)

    return report(rows, time.monotonic() - started, chapters_run=not args.no_chapters)


def report(rows, seconds: float, chapters_run: bool) -> int:
    order = {m.id: n for n, m in enumerate(MUTANTS)}
    rows = sorted(rows, key=lambda row: order[row[0].id])
    killed = lambda outcome: outcome in ("fail", "timeout")  # noqa: E731
    print()
    header = f"{'mutant':40} {'file':16} {'killed by tests':16} killed by chapters"
    print(header)
    print("-" * len(header))
    for m, tests, by_chapter in rows:
        verdict = lambda o, no: o if _is_error(o) else ("yes" if killed(o) else no)  # noqa: E731
        chapter_text = ", ".join(f"{c} {verdict(o, 'no')}" for c, o in by_chapter.items()) or "-"
        note = f"  (equivalent: {m.equivalent})" if m.equivalent else ""
        print(f"{m.id:40} {Path(m.file).name:16} {verdict(tests, 'NO'):16} {chapter_text}{note}")

    failures = []
    real = [(m, t, c) for m, t, c in rows if not m.equivalent]
    by_tests = sum(killed(t) for _, t, _ in real)
    with_chapters = [(m, c) for m, _, c in real if c]
    by_chapters = sum(any(killed(o) for o in c.values()) for _, c in with_chapters)
    by_either = sum(killed(t) or any(killed(o) for o in c.values()) for _, t, c in real)
    print()
    print(f"mutants: {len(rows)} ({len(rows) - len(real)} declared equivalent)")
    if real:
        rate = by_tests / len(real)
        print(f"killed by the package tests: {by_tests} of {len(real)} non-equivalent ({100 * rate:.1f} %, "
              f"target {100 * TARGET:.0f} %)")
        if rate < TARGET:
            failures.append(f"the package tests kill {100 * rate:.1f} % of the non-equivalent mutants")
    if chapters_run and with_chapters:
        print(f"killed by the chapters: {by_chapters} of the {len(with_chapters)} that list a chapter")
    print(f"killed by tests or chapters: {by_either} of {len(real)}")
    survivors = [m.id for m, t, c in real if not killed(t)]
    if survivors:
        print("surviving the package tests: " + ", ".join(survivors))
    for m, t, c in rows:
        if m.equivalent and (killed(t) or any(killed(o) for o in c.values())):
            failures.append(f"{m.id} is declared equivalent but was killed: its reason is wrong")
    if chapters_run:
        for chapter, module in REBUILDS.items():
            ran = [c[chapter] for m, _, c in real if m.file == module and chapter in c]
            if ran:
                count = sum(map(killed, ran))
                print(f"chapter {chapter}: kills {count} of {len(ran)} mutants of {Path(module).name}")
                if count == 0:
                    failures.append(f"chapter {chapter} kills none of the mutants of {module}")
    errors = [m.id for m, t, c in rows if _is_error(t) or any(map(_is_error, c.values()))]
    if errors:
        failures.append("no verdict (the run itself failed, see the table) for: " + ", ".join(errors))
    print(f"time: {seconds / 60:.1f} min")
    for failure in failures:
        print(f"TARGET MISSED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
