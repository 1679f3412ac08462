"""Safety of the outputs: a run that is killed, terminated or fails leaves the previous
outputs byte-identical, and what it leaves behind does not break the next run.

The kill tests start `python -m pipeline extract` in a subprocess on a corpus long enough
(200 copies of a seed) to be stopped halfway, once the temporary files exist.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.write import OUTPUT_FILES, REGISTER_FILE, OutputWriter, check_writable, remove_stale_temporaries

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "002_d949aff4953623e3.txt"
START_TIMEOUT = 180   # seconds to wait for the subprocess to load the model and begin


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.jsonl").read_bytes() for name in OUTPUT_FILES + (REGISTER_FILE,)}


def _temporaries(out: Path) -> list[Path]:
    return sorted(out.glob(".*.jsonl.tmp"))


def _dead_pid() -> int:
    """The pid of a process that has finished (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# ---------------------------------------------------------------------- no model

def _record_doc():
    """A stand-in with what write_doc reads from a processed spaCy doc."""
    import spacy
    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")
    from pipeline import components  # noqa: F401  (registers doc._.arms_source etc.)
    doc = nlp("Le Maroc achète des drones.")
    doc._.arms_source = {"doc_id": "d", "path": "d.txt", "sha256": "0" * 64,
                    "dct": {"value": None, "source": None}, "warnings": []}
    doc._.arms_mentions = [{"label": "LOC", "text": "Maroc", "start": 3, "end": 8, "sentence": 0,
                       "source": "rules", "norm": {"name": "Maroc", "type": "country", "country": "MAR"}}]
    doc._.arms_relations = []
    return doc


def test_a_failed_run_leaves_the_previous_outputs_and_no_temporary_file(tmp_path):
    with OutputWriter(tmp_path) as writer:
        writer.write_doc(_record_doc())
    before = _snapshot(tmp_path)
    assert b'"d:E1"' in before["entities"]
    for error in (RuntimeError("boom"), KeyboardInterrupt()):
        with pytest.raises(type(error)):
            with OutputWriter(tmp_path) as writer:
                writer.write_doc(_record_doc())
                writer.write_doc(_record_doc())
                assert len(_temporaries(tmp_path)) == 3
                raise error
        assert _snapshot(tmp_path) == before
        assert _temporaries(tmp_path) == []


def test_outputs_get_the_usual_file_mode(tmp_path):
    with OutputWriter(tmp_path) as writer:
        writer.write_doc(_record_doc())
    umask = os.umask(0)
    os.umask(umask)
    for name in OUTPUT_FILES:
        assert (tmp_path / f"{name}.jsonl").stat().st_mode & 0o777 == 0o666 & ~umask


def test_stale_temporaries_of_dead_runs_are_removed_and_live_ones_kept(tmp_path):
    dead = _dead_pid()
    stale = [tmp_path / f".{name}.{dead}.abc123.jsonl.tmp" for name in OUTPUT_FILES]
    live = tmp_path / f".entities.{os.getppid()}.xyz.jsonl.tmp"     # the parent: alive
    own = tmp_path / f".relations.{os.getpid()}.xyz.jsonl.tmp"
    other = [tmp_path / ".entities.abc.jsonl.tmp", tmp_path / "notes.jsonl.tmp",
             tmp_path / f".report.{dead}.x.jsonl.tmp"]
    for path in [*stale, live, own, *other]:
        path.write_text("{}\n", encoding="utf-8")
    removed = remove_stale_temporaries(tmp_path)
    assert sorted(removed) == sorted(stale)
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in [live, own, *other])
    # and a writer opened there does the same, then writes as usual
    for path in stale:
        path.write_text("half a line", encoding="utf-8")
    with OutputWriter(tmp_path) as writer:
        writer.write_doc(_record_doc())
    assert not any(p.exists() for p in stale)
    assert (tmp_path / "entities.jsonl").read_text(encoding="utf-8").count("\n") == 1


def test_check_writable(tmp_path):
    assert check_writable(tmp_path / "new" / "folder") is None
    assert (tmp_path / "new" / "folder").is_dir() and list((tmp_path / "new" / "folder").iterdir()) == []
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert check_writable(blocker).startswith(f"cannot write to {blocker}: ")
    assert check_writable(blocker / "sub").startswith(f"cannot write to {blocker / 'sub'}: ")


# ---------------------------------------------------------------------- killed runs (model)

@pytest.fixture(scope="module")
def nlp():
    from pipeline.nlp import build_nlp
    return build_nlp()


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    root = tmp_path_factory.mktemp("atomic")
    small, large = root / "small", root / "large"
    small.mkdir()
    large.mkdir()
    shutil.copy(SEED, small / "a.txt")
    for n in range(200):
        shutil.copy(SEED, large / f"copy_{n:03d}.txt")
    return small, large


def _complete_run(nlp, corpus: Path, out: Path) -> dict[str, bytes]:
    from pipeline.extract import run_extract
    run_extract([corpus], out, progress=False, nlp=nlp)
    assert _temporaries(out) == []
    return _snapshot(out)


def _start(corpus: Path, out: Path) -> subprocess.Popen:
    """`python -m pipeline extract` in a subprocess; returns once its temporaries exist."""
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(corpus),
                                "--out", str(out), "--quiet"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + START_TIMEOUT
    while len(_temporaries(out)) < len(OUTPUT_FILES):
        if process.poll() is not None:
            raise AssertionError(f"the run ended before it could be stopped: {process.stderr.read()!r}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("the run did not begin in time")
        time.sleep(0.05)
    time.sleep(0.5)  # let it write some records
    return process


@pytest.mark.model
def test_sigkill_keeps_the_previous_outputs_and_the_next_run_works(nlp, corpora, tmp_path):
    small, large = corpora
    out = tmp_path / "out"
    before = _complete_run(nlp, small, out)

    process = _start(large, out)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    left = _temporaries(out)
    assert len(left) == len(OUTPUT_FILES)          # a killed process cannot clean up...
    assert _snapshot(out) == before                 # ...but the outputs are untouched
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == \
        sorted(f"{name}.jsonl" for name in OUTPUT_FILES + (REGISTER_FILE,))

    after = _complete_run(nlp, small, out)          # the next run is not disturbed
    assert after == before                           # (deterministic output)
    assert not any(p.exists() for p in left)         # and removes the dead run's leftovers


@pytest.mark.model
def test_sigterm_removes_the_temporaries_and_keeps_the_previous_outputs(nlp, corpora, tmp_path):
    small, large = corpora
    out = tmp_path / "out"
    before = _complete_run(nlp, small, out)
    process = _start(large, out)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.decode().strip().splitlines()[-1] == \
        "error: interrupted; the previous outputs are left as they were"
    assert _temporaries(out) == []
    assert _snapshot(out) == before
