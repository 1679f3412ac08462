"""Hostile input (issue 14): unusable arguments, numbers past 64 bits, spans the normalisers
cannot read, odd files and names, signals, concurrent runs, and a generated hostile corpus
that must give valid outputs, the right exit codes and byte-identical reruns.

The fast tests run without the model; those marked `model` run the pipeline.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
import srsly

from pipeline.__main__ import main
from pipeline.export import neutralise_formula
from pipeline.language import load_language_rules
from pipeline.normalize.money import normalize_money
from pipeline.normalize.numbers import parse_number
from pipeline.read import (invisible_offsets, printable_id, read_document, read_metadata, scan_inputs,
                           text_warnings,
                           without_offsets)
from pipeline.resolve import unreadable_norm

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_812a8e56a1f28302.txt"
OUTPUT_NAMES = ("documents.jsonl", "entities.jsonl", "relations.jsonl")


def _previous_outputs(out: Path) -> dict[str, bytes]:
    """Stand-in outputs of an earlier run, to check they survive a refused one."""
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_NAMES:
        (out / name).write_bytes(f"earlier {name}\n".encode())
    return _snapshot(out)


def _snapshot(out: Path) -> dict[str, bytes]:
    """The files of an output folder (but the run lock, which names the last run's pid)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and p.name != ".extract.lock"}


# ---------------------------------------------------------------------- arguments

@pytest.mark.parametrize("option,value", [("--batch-size", "0"), ("--batch-size", "-1"),
                                          ("--workers", "0"), ("--workers", "-3")])
def test_unusable_numbers_stop_the_run_before_anything_is_touched(tmp_path, capsys, option, value):
    out = tmp_path / "out"
    before = _previous_outputs(out)
    status = main(["extract", str(SEED), "--out", str(out), option, value])
    err = capsys.readouterr().err
    assert status == 2
    assert err == f"error: {option} must be at least 1 (got {value})\n"
    assert _snapshot(out) == before


def test_scheduler_without_dask_is_refused_before_the_run(tmp_path, capsys):
    out = tmp_path / "out"
    before = _previous_outputs(out)
    assert main(["extract", str(SEED), "--out", str(out), "--scheduler", "tcp://x:1"]) == 2
    assert capsys.readouterr().err == "error: --scheduler needs --engine dask\n"
    assert _snapshot(out) == before


# ---------------------------------------------------------------------- numbers and norms

@pytest.mark.parametrize("text,value", [("999999999999999999999 €", 1e21),
                                        ("9 223 372 036 854 775 808 €", 9223372036854775808.0)])
def test_amounts_past_64_bits_are_floats_that_cross_processes(text, value):
    amount = normalize_money(text)["amount"]
    assert isinstance(amount, float) and amount == value
    assert srsly.msgpack_loads(srsly.msgpack_dumps({"amount": amount})) == {"amount": value}


def test_amounts_within_64_bits_stay_exact_ints():
    assert parse_number("123 456 789 012 345") == 123456789012345
    assert normalize_money("4,35 millions d'euros")["amount"] == 4350000


@pytest.mark.parametrize("label,norm,missing", [
    ("MONEY", {"amount": None, "currency": "JPY", "qualifier": "exact"}, "amount"),  # ¥ 0,0,0
    ("DATE", {"value": None, "mod": None}, "value"),                                   # 31 février 2023
    ("DURATION", {"value": None, "mod": None}, "value"),
    ("MONEY", {"amount": 0, "currency": "EUR", "qualifier": "exact"}, None),
    ("LOC", {"name": "Ailleurs", "type": None, "country": None}, None),
])
def test_a_mention_without_its_required_norm_is_found(label, norm, missing):
    assert unreadable_norm({"label": label, "norm": norm}) == missing


# ---------------------------------------------------------------------- walking the input

def _linked_tree(tmp_path: Path) -> Path:
    """corpus/ with a plain article, links that leave it, a loop, a FIFO and odd names."""
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    (corpus / "sub").mkdir(parents=True)
    outside.mkdir()
    (corpus / "plain.txt").write_text("La France a livré des Rafale.", encoding="utf-8")
    (outside / "far.txt").write_text("Le Brésil a acheté des Gripen.", encoding="utf-8")
    os.symlink(outside / "far.txt", corpus / "far.txt")              # a file outside
    os.symlink(outside, corpus / "elsewhere")                         # a folder outside
    os.symlink(corpus / "plain.txt", corpus / "sub" / "again.txt")   # inside: kept
    os.symlink(corpus, corpus / "sub" / "up")                         # a folder loop
    os.symlink("self.txt", corpus / "self.txt")                       # a link to itself
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "new\nline.txt").write_text("Le Chili a commandé des radars.", encoding="utf-8")
    (corpus / "bidi\u202etxt.txt").write_text("L'Inde a reçu des chars.", encoding="utf-8")
    return corpus


def test_links_leaving_the_tree_loops_and_fifos_are_skipped_with_a_warning(tmp_path):
    corpus = _linked_tree(tmp_path)
    plan = scan_inputs([corpus])
    assert sorted(f.path.name for f in plan.files) == ["bidi\u202etxt.txt", "new\nline.txt", "plain.txt",
                                                       "self.txt"]
    assert plan.messages() == [
        f"{corpus}/elsewhere: symbolic link to a folder outside {corpus} not followed "
        "(--follow-symlinks to read it)",
        f"{corpus}/far.txt: symbolic link to a file outside {corpus} not followed "
        "(--follow-symlinks to read it)",
        f"{corpus}/pipe.txt: FIFO, not a regular file: skipped",
    ]


def test_follow_symlinks_reads_the_links_that_leave_the_tree_once(tmp_path):
    corpus = _linked_tree(tmp_path)
    plan = scan_inputs([corpus], follow_symlinks=True)
    names = sorted(f.path.name for f in plan.files)
    assert names.count("far.txt") == 1 and "plain.txt" in names   # far.txt reached twice, read once
    assert plan.messages() == [f"{corpus}/pipe.txt: FIFO, not a regular file: skipped"]


def test_a_link_loop_or_fifo_named_on_the_command_line_is_no_traceback(tmp_path):
    corpus = _linked_tree(tmp_path)
    assert [f.doc_id for f in scan_inputs([corpus / "self.txt"]).files] == ["self"]
    looping = read_document(corpus / "self.txt", {})
    assert looping.warnings == ["unreadable: Too many levels of symbolic links"]
    assert scan_inputs([corpus / "pipe.txt"]).messages() == [
        f"{corpus}/pipe.txt: FIFO, not a regular file: skipped"]
    fifo = read_document(corpus / "pipe.txt", {})   # opened without blocking
    assert fifo.warnings == ["unreadable: FIFO, not a regular file"] and fifo.text == ""


@pytest.mark.parametrize("name,doc_id", [("new\nline", "new_line"), ("tab\there", "tab_here"),
                                         ("bidi\u202etxt", "bidi_txt"), ("zero\u200bwidth", "zero_width"),
                                         ("\x00\x01", "__"), ("Défense 2024", "Défense 2024")])
def test_doc_ids_have_no_control_or_invisible_character(name, doc_id):
    assert printable_id(name) == doc_id


def test_a_renamed_doc_id_is_warned(tmp_path):
    corpus = _linked_tree(tmp_path)
    by_name = {f.path.name: f for f in scan_inputs([corpus]).files}
    assert by_name["new\nline.txt"].doc_id == "new_line"
    assert by_name["new\nline.txt"].warnings == [
        "file name 'new\\nline.txt' has control or invisible characters: doc_id 'new_line'"]
    assert by_name["plain.txt"].warnings == []


def test_a_bad_metadata_date_is_also_in_the_documents_warnings(tmp_path):
    corpus = _linked_tree(tmp_path)
    meta = tmp_path / "meta.csv"
    meta.write_text("doc_id,published\nplain,2023-02-31\nghost,2020-13\n", encoding="utf-8")
    dates = read_metadata(meta)
    plan, run_level = dates.attach_warnings(scan_inputs([corpus]))
    plain = next(f for f in plan.files if f.doc_id == "plain")
    assert plain.warnings == ["metadata meta.csv row 2: bad date '2023-02-31' for 'plain' (ignored; "
                              "the header or inferred date is used)"]
    assert run_level == ["metadata meta.csv row 3: bad date '2020-13' for 'ghost' (ignored; "
                         "the header or inferred date is used)"]


def test_the_report_carries_no_control_character(tmp_path):
    from pipeline.report import render_report
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "bin.txt").write_bytes(b"\x7fELF\x00\x01\x02 Rafale \x00\x1b")
    (tmp_path / "bell.txt").write_text("La France\x07 a vendu\x00 des chars.", encoding="utf-8")
    documents = [_document_line("bin", tmp_path / "bin.txt", n_chars=0, warnings=["binary file: skipped"]),
                 _document_line("bell", tmp_path / "bell.txt", n_chars=33, warnings=[])]
    (out / "documents.jsonl").write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    (out / "entities.jsonl").write_text("", encoding="utf-8")
    (out / "relations.jsonl").write_text("", encoding="utf-8")
    page = render_report(out)
    assert "ELF" not in page                             # a skipped file shows as the empty text
    assert "La France\ufffd a vendu\ufffd des chars." in page
    assert not re.search("[\x00-\x08\x0b\x0e-\x1f\x7f]", page)


def _document_line(doc_id: str, path: Path, n_chars: int, warnings: list[str]) -> dict:
    data = path.read_bytes()
    return {"doc_id": doc_id, "path": str(path), "sha256": hashlib.sha256(data).hexdigest(),
            "n_chars": n_chars, "n_tokens": 0, "n_sentences": 0,
            "dct": {"value": None, "source": None}, "warnings": warnings}


# ---------------------------------------------------------------------- CSV exports

@pytest.mark.parametrize("value,written", [
    ("=cmd|' -C calc'!A0", "'=cmd|' -C calc'!A0"), ("+33 1 23", "'+33 1 23"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Rafale", "Rafale"), ("", ""), (None, None), (-3, -3)])
def test_formula_cells_are_neutralised(value, written):
    assert neutralise_formula(value) == written


def test_a_hostile_file_name_reaches_no_csv_cell_as_a_formula(tmp_path):
    import csv

    from pipeline.export import export
    out = tmp_path / "out"
    out.mkdir()
    doc_id = "=cmd|' -C calc'!A0"
    article = tmp_path / f"{doc_id}.txt"
    article.write_text("@Rafale", encoding="utf-8")
    document = _document_line(doc_id, article, n_chars=7, warnings=["-1 warning"])
    entity = {"id": f"{doc_id}:E1", "doc_id": doc_id, "label": "WEAPON", "text": "@Rafale", "start": 0,
              "end": 7, "sentence": 0, "source": "rules",
              "norm": {"name": "Rafale", "variant": None, "category": "combat_aircraft",
                       "manufacturer": "Dassault Aviation", "country": "FRA"}}
    (out / "documents.jsonl").write_text(json.dumps(document) + "\n", encoding="utf-8")
    (out / "entities.jsonl").write_text(json.dumps(entity) + "\n", encoding="utf-8")
    (out / "relations.jsonl").write_text("", encoding="utf-8")
    paths = export(out, "csv")
    cells = [cell for path in paths for row in csv.reader(path.open(encoding="utf-8")) for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'=cmd|' -C calc'!A0" in cells and "'=cmd|' -C calc'!A0:E1" in cells and "'@Rafale" in cells


# ---------------------------------------------------------------------- invisible characters

def test_invisible_characters_are_found_but_a_leading_byte_order_mark():
    text = "\ufeffLa Fra\u200bnce, \u202eRa\u00adfale\u202c et \u2066Gripen\u2069."
    hidden = invisible_offsets(text)
    assert [text[i] for i in hidden] == ["\u200b", "\u202e", "\u00ad", "\u202c", "\u2066", "\u2069"]
    assert without_offsets(text, hidden) == "\ufeffLa France, Rafale et Gripen."


def test_the_invisible_characters_kept_in_the_rule_cache_are_unicodes_format_characters(tmp_path, monkeypatch):
    import sys
    import unicodedata

    from pipeline import read
    from pipeline.rule_cache import CACHE_ENV
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    read._invisible_chars.cache_clear()
    expected = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    assert set(read._format_characters()) == expected and "\u200b" in expected
    assert read._invisible_chars() == expected
    read._invisible_chars.cache_clear()  # as a new process would
    monkeypatch.setattr(read, "_format_characters", lambda: pytest.fail("scanned again"))
    assert read._invisible_chars() == expected
    read._invisible_chars.cache_clear()


def test_offsets_on_the_text_without_them_are_mapped_back_to_the_raw_text():
    from types import SimpleNamespace

    from pipeline.pieces import restore_offsets
    raw = "La Fra\u200bnce vend des \u200bRa\u00adfale\u200b."
    hidden = invisible_offsets(raw)
    seen = without_offsets(raw, hidden)
    assert seen == "La France vend des Rafale."
    mentions = [{"start": 3, "end": 9, "text": "France"}, {"start": 19, "end": 25, "text": "Rafale"}]
    doc = SimpleNamespace(_=SimpleNamespace(arms_mentions=mentions, arms_relations=[
        {"type": "arms_transfer", "evidence": {"start": 0, "end": 26, "sentence": 0}}]))
    restore_offsets(doc, hidden)
    assert [raw[m["start"]:m["end"]] for m in doc._.arms_mentions] == ["Fra\u200bnce", "Ra\u00adfale"]
    assert doc._.arms_relations[0]["evidence"] == {"start": 0, "end": len(raw), "sentence": 0}


# ---------------------------------------------------------------------- signals and concurrent runs

def test_a_second_run_on_a_busy_output_folder_stops_with_a_clear_message(tmp_path, capsys):
    from pipeline.lock import output_lock
    out = tmp_path / "out"
    before = _previous_outputs(out)
    with output_lock(out):                      # a first run holds the folder
        status = main(["extract", str(SEED), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == (f"error: another run (pid {os.getpid()}) is writing to {out}; wait for it to "
                   "finish or choose another --out\n")
    assert _snapshot(out) == before


def test_the_lock_is_free_again_after_a_run(tmp_path):
    from pipeline.lock import output_lock
    with output_lock(tmp_path):
        pass
    with output_lock(tmp_path):                 # not held any more: no OutputBusy
        pass


def _running_extract(corpus: Path, out: Path, *options: str):
    """`python -m pipeline extract` in a subprocess, returned once it is writing its outputs."""
    import subprocess
    import sys
    import time
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(corpus), "--out", str(out),
                                "--quiet", *options], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while len(list(out.glob(".*.jsonl.tmp"))) < 3:
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the run did not start writing in time"
        time.sleep(0.1)
    time.sleep(3)   # well into the run: the workers are busy with their batches
    return process


@pytest.mark.model
@pytest.mark.parametrize("signum", ["SIGTERM", "SIGINT"])
def test_a_signal_ends_a_two_worker_run_quickly_and_cleanly(tmp_path, signum):
    import shutil
    import signal
    import time
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(300):                        # several minutes of work for two workers
        shutil.copy(SEED, corpus / f"copy_{n:03d}.txt")
    out = tmp_path / "out"
    before = _previous_outputs(out)
    process = _running_extract(corpus, out, "--workers", "2")
    sent = time.monotonic()
    process.send_signal(getattr(signal, signum))
    _, err = process.communicate(timeout=60)
    assert time.monotonic() - sent < 20
    assert process.returncode == 130, err
    assert err.decode().splitlines() == ["error: interrupted; the previous outputs are left as they were"]
    assert list(out.glob(".*.tmp")) == []
    assert _snapshot(out) == before


# ---------------------------------------------------------------------- the hostile corpus (model)

ARTICLE = ("La France a livré 26 Rafale au Maroc pour 3 milliards d'euros en juillet 2023, a annoncé "
           "le ministère des Armées dans un communiqué publié à Paris.")


def write_hostile_corpus(root: Path) -> Path:
    """corpus/ under `root`: one file per hostile case (and a plain article), links and a FIFO.

    Returns the corpus folder. Each case is a kind of file a real corpus or a hostile user
    brings; the expected handling is in the README ("Messy input").
    """
    corpus, outside = root / "corpus", root / "outside"
    (corpus / "deep" / "er" / "still").mkdir(parents=True)
    outside.mkdir()
    cases: dict[str, bytes] = {
        "plain": ARTICLE.encode(),
        "huge_amount": "Le Qatar a payé 999999999999999999999 € pour des Rafale français.".encode(),
        "bad_day": "Le contrat avec la Grèce a été signé le 31 février 2023 à Athènes.".encode(),
        "bad_amount": "Le Japon a versé ¥ 0,0,0 pour des chars Type 10.".encode(),
        "zero_width": "La Fra\u200bnce a vendu des Ra\u00adfale à l'Inde pour 9\u200b000 millions d'euros.".encode(),
        "bidi": "\u202eLe Maroc\u202c a signé avec la \u2066France\u2069 un accord le 12 mars 2022.".encode(),
        "emoji": "🇫🇷👨\u200d👩\u200d👧 !!! ??? … « » — 123 456".encode(),
        "empty": b"",
        "blank": b" \n\t\r\n ",
        "binary": b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4,
        "nul_inside": ARTICLE.encode() + b"\x00\x00" + ARTICLE.encode(),
        "latin1": ARTICLE.encode("latin-1"),
        "utf16": ARTICLE.encode("utf-16"),
        "bad_utf8": ARTICLE.encode() + b" \xff\xfe\x81 " + ARTICLE.encode(),
        "crlf": (ARTICLE + "\n" + ARTICLE + "\n").replace("\n", "\r\n").encode(),
        "html": f"<html><body><p>{ARTICLE}</p><script>x='<p>'</script></body></html>".encode(),
        "english": b"The United States approved the sale of F-16 jets to Turkey on Tuesday, officials said.",
        "control_chars": ("La Grèce\x07 a reçu\x1b des chars.\x0c" + ARTICLE).encode(),
        "no_spaces": ("Rafale" * 20_000).encode(),            # 120,000 characters, no break: hard cuts
        "=cmd|' -C calc'!A0": ARTICLE.encode(),               # formula injection in the file name
        "new\nline": ARTICLE.encode(),
        "right\u202eto-left": ARTICLE.encode(),
    }
    for name, data in cases.items():
        (corpus / f"{name}.txt").write_bytes(data)
    (corpus / "deep" / "er" / "still" / "plain.txt").write_bytes(ARTICLE.encode())   # a doc_id collision
    (corpus / "UPPER.TXT").write_bytes(ARTICLE.encode())
    (outside / "secret.txt").write_text("Mot de passe : hunter2 pour la base de Toulon.", encoding="utf-8")
    os.symlink(outside / "secret.txt", corpus / "passwd.txt")          # leaves the tree
    os.symlink(outside, corpus / "out_folder")                          # leaves the tree
    os.symlink("loop.txt", corpus / "loop.txt")                         # a link to itself
    os.symlink(corpus, corpus / "deep" / "back")                        # a folder loop
    os.symlink(corpus / "missing.txt", corpus / "broken.txt")           # a broken link
    os.mkfifo(corpus / "fifo.txt")                                      # would block a reader
    return corpus


def _cli(*args: str, timeout: float = 600):
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile corpus extracted twice (--workers 1 and 2), validated, reported, exported."""
    root = tmp_path_factory.mktemp("hostile")
    corpus = write_hostile_corpus(root)
    runs = {workers: _cli("extract", str(corpus), "--out", str(root / f"out{workers}"), "--quiet",
                          "--workers", str(workers)) for workers in (1, 2)}
    out = root / "out1"
    return {"root": root, "corpus": corpus, "out": out, "runs": runs,
            "validate": _cli("validate", "--out", str(out)),
            "report": _cli("report", "--out", str(out)),
            "export": _cli("export", "--pred", str(out), "--format", "csv"),
            "docs": {d["doc_id"]: d for d in map(json.loads, (out / "documents.jsonl").open(encoding="utf-8"))},
            "entities": [json.loads(line) for line in (out / "entities.jsonl").open(encoding="utf-8")]}


@pytest.mark.model
def test_the_hostile_corpus_runs_without_traceback_and_validates(hostile):
    for workers, run in hostile["runs"].items():
        assert run.returncode == 0, (workers, run.stderr)
        assert "Traceback" not in run.stderr
    for step in ("validate", "report", "export"):
        assert hostile[step].returncode == 0, (step, hostile[step].stdout, hostile[step].stderr)
        assert "Traceback" not in hostile[step].stderr
    assert hostile["validate"].stderr.strip() == f"0 problem(s) in {hostile['out']}/"


@pytest.mark.model
def test_the_hostile_corpus_gives_byte_identical_outputs_with_one_or_two_workers(hostile):
    for name in OUTPUT_NAMES:
        assert (hostile["root"] / "out1" / name).read_bytes() == (hostile["root"] / "out2" / name).read_bytes()


@pytest.mark.model
def test_every_hostile_case_is_a_warning_and_the_run_goes_on(hostile):
    docs, err, corpus = hostile["docs"], hostile["runs"][1].stderr, hostile["corpus"]
    assert "passwd" not in docs and "hunter2" not in (hostile["out"] / "entities.jsonl").read_text()
    assert f"warning: {corpus}/passwd.txt: symbolic link to a file outside {corpus} not followed" in err
    assert f"warning: {corpus}/fifo.txt: FIFO, not a regular file: skipped" in err
    assert docs["loop"]["warnings"] == ["unreadable: Too many levels of symbolic links"]
    assert docs["broken"]["warnings"] == ["unreadable: No such file or directory"]
    assert docs["binary"]["warnings"] == docs["nul_inside"]["warnings"] == ["binary file: skipped"]
    assert docs["new_line"]["warnings"][0] == ("file name 'new\\nline.txt' has control or invisible "
                                               "characters: doc_id 'new_line'")
    assert "right_to-left" in docs and "UPPER" in docs and "deep__er__still__plain" in docs
    assert docs["english"]["warnings"] == ["text does not look French (a short text; detected: english)"]
    assert docs["bad_day"]["warnings"] == ["DATE '31 février 2023' at 40: no readable value, mention not written"]
    assert docs["bad_amount"]["warnings"] == ["MONEY '¥ 0,0,0' at 17: no readable amount, mention not written"]
    assert docs["no_spaces"]["warnings"] == ["long text (120,000 characters, more than the model's 100,000): "
                                             "processed in 2 pieces"]
    huge = [e for e in hostile["entities"] if e["doc_id"] == "huge_amount" and e["label"] == "MONEY"]
    assert [e["norm"]["amount"] for e in huge] == [1e21]


@pytest.mark.model
def test_invisible_characters_hide_no_entity_and_offsets_index_the_raw_text(hostile):
    raw = (hostile["corpus"] / "zero_width.txt").read_text(encoding="utf-8")
    found = {(e["label"], e["text"]): e for e in hostile["entities"] if e["doc_id"] == "zero_width"}
    assert {("LOC", "Fra\u200bnce"), ("WEAPON", "Ra\u00adfale"), ("LOC", "Inde"),
            ("MONEY", "9\u200b000 millions d'euros")} <= set(found)
    france = found[("LOC", "Fra\u200bnce")]
    assert (france["start"], france["end"]) == (3, 10) and raw[3:10] == "Fra\u200bnce"
    assert france["norm"]["country"] == "FRA"
    assert found[("MONEY", "9\u200b000 millions d'euros")]["norm"]["amount"] == 9_000_000_000
    assert hostile["docs"]["zero_width"]["n_chars"] == len(raw)


@pytest.mark.model
def test_the_report_and_the_csv_exports_of_the_hostile_corpus_are_inert(hostile):
    import csv
    page = (hostile["out"] / "report.html").read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b\x0e-\x1f\x7f]", page)
    cells = [cell for path in sorted((hostile["out"] / "csv").glob("*.csv"))
             for row in csv.reader(path.open(encoding="utf-8", newline="")) for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'=cmd|' -C calc'!A0" in cells


@pytest.mark.model
@pytest.mark.parametrize("args,message", [
    (["--batch-size", "0"], "error: --batch-size must be at least 1 (got 0)"),
    (["--workers", "-1"], "error: --workers must be at least 1 (got -1)"),
    (["--engine", "local", "--scheduler", "tcp://nowhere:1"], "error: --scheduler needs --engine dask"),
    (["{root}/absent"], "error: no such file or folder: {root}/absent"),
    (["{corpus}/fifo.txt"], "error: no .txt file found in {corpus}/fifo.txt"),
    (["--metadata", "{root}/nometa.csv"], "error: cannot read metadata file {root}/nometa.csv: "
                                          "No such file or directory"),
])
def test_a_refused_run_exits_2_in_one_line_and_leaves_the_outputs_intact(hostile, args, message):
    root, corpus, out = hostile["root"], hostile["corpus"], hostile["out"]
    before = _snapshot(out)
    args = [a.format(root=root, corpus=corpus) for a in args]
    paths = [] if args and args[0].startswith(str(root)) else [str(corpus)]
    run = _cli("extract", *paths, *args, "--out", str(out), "--quiet")
    assert run.returncode == 2, run.stderr
    assert run.stderr.splitlines()[-1] == message.format(root=root, corpus=corpus)
    assert "Traceback" not in run.stderr
    assert _snapshot(out) == before


# ---------------------------------------------------------------------- language of short texts

def test_every_language_example_is_judged_as_it_says():
    rules = load_language_rules()
    for text, french in rules.examples:
        warnings = text_warnings(text)
        flagged = any(w.startswith("text does not look French") for w in warnings)
        assert flagged is not french, (text, warnings)


def test_a_16_word_english_article_is_flagged_with_its_language():
    text = "The United States approved the sale of F-16 jets to Turkey on Tuesday, officials said."
    assert text_warnings(text) == ["text does not look French (a short text; detected: english)"]


def test_the_language_rules_are_checked_at_load(tmp_path):
    (tmp_path / "language.yaml").write_text("languages: [ENGLISH, KLINGON]\nmin_words: 5\n"
                                            "examples: [{text: a, french: true}]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="including FRENCH"):
        load_language_rules(tmp_path)
    (tmp_path / "language.yaml").write_text("languages: [FRENCH]\nmin_words: 0\n"
                                            "examples: [{text: a, french: true}]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="min_words must be an integer >= 1"):
        load_language_rules(tmp_path)
