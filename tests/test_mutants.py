"""The mutant list of `make mutation` (tools/mutants.py) still matches the source it mutates.

Running the mutants takes over an hour; these checks take a second and run with the package tests, so a
change to the package that moves or rewrites a mutated line fails here, instead of leaving a
mutant that no longer applies (and would look "killed" or be skipped) in the list.
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from mutants import MUTANTS, REBUILDS, TESTS  # noqa: E402
from mutation import check_snippets  # noqa: E402
from toc import toc_notebooks  # noqa: E402

CHAPTERS = {Path(p).stem for p in toc_notebooks(ROOT)}


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.id for m in MUTANTS])
def test_snippet_occurs_exactly_once(mutant):
    assert check_snippets([mutant]) == []
    assert mutant.replacement != mutant.original


def test_ids_are_unique_and_at_least_40():
    ids = [m.id for m in MUTANTS]
    assert len(ids) == len(set(ids)) and len(ids) >= 40


def test_chapters_and_test_files_exist():
    for m in MUTANTS:
        assert set(m.chapters) <= CHAPTERS, m.id
        assert m.file in TESTS, f"{m.id}: no test files listed for {m.file}"
    for files in TESTS.values():
        assert all((ROOT / f).is_file() for f in files), files


def test_every_rebuilding_chapter_is_run_on_a_mutant_of_its_operator():
    for chapter, module in REBUILDS.items():
        assert chapter in CHAPTERS
        assert any(m.file == module and chapter in m.chapters for m in MUTANTS), chapter


def test_check_snippets_reports_drift(tmp_path):
    # the check itself can fail: a snippet that is missing, or there twice
    (tmp_path / "upsampling").mkdir()
    m = MUTANTS[0]
    (tmp_path / m.file).write_text("nothing of the kind\n")
    assert "occurs 0 times" in check_snippets([m], tmp_path)[0]
    (tmp_path / m.file).write_text(m.original + "\n" + m.original + "\n")
    assert "occurs 2 times" in check_snippets([m], tmp_path)[0]
