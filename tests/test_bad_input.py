"""Messy real-world input: encodings, BOM, CRLF, binary, HTML, other languages, huge files,
unreadable files, nested folders, bad metadata, exit statuses.

The pure functions of pipeline/read.py and pipeline/pieces.py are tested without the model;
the end-to-end tests (marker `model`) share one `build_nlp()`.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline.__main__ import main
from pipeline.pieces import split_text
from pipeline.read import (InputError, decode, french_share, header_date, is_binary, looks_html,
                           mask_markup, read_document, read_metadata, scan_inputs, text_warnings,
                           valid_date)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_812a8e56a1f28302.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")

ENGLISH = ("The United States approved the sale of F-16 fighter jets to Turkey on Tuesday, according "
           "to the State Department, which said the deal was worth about 20 billion dollars and would "
           "include missiles and upgrades for the fleet of aircraft operated by the Turkish air force.")
SPANISH = ("El gobierno de España firmó el martes un contrato con la empresa Navantia para la "
           "construcción de cinco fragatas F-110, por un valor de 4.300 millones de euros, según "
           "informó el Ministerio de Defensa en un comunicado en el que destacó que se trata del "
           "mayor programa naval de la historia reciente del país.")
GERMAN = ("Die Bundesregierung hat am Dienstag den Export von Leopard-2-Panzern an die Ukraine "
          "genehmigt, wie das Verteidigungsministerium mitteilte. Die Lieferung soll noch in diesem "
          "Jahr beginnen und umfasst auch Munition sowie Ersatzteile für die Fahrzeuge der Armee.")
FRENCH = ("La Pologne a signé jeudi à Varsovie un contrat pour l'achat de 96 hélicoptères Apache, "
          "a annoncé le ministre de la Défense, en ajoutant que les premières livraisons "
          "étaient attendues dans les deux ans et que l'accord comprenait aussi la formation des "
          "équipages et des missiles Hellfire pour l'armée de terre.")
CP1252_LINE = "\nL’Égypte a reçu – selon le ministère – 30 Rafale supplémentaires pour 3,75 Md€.\n"
HTML_PAGE = ("<!DOCTYPE html>\n<html><head><title>Défense</title>\n"
             "<script>var s = \"<p>Rafale</p>\";</script><style>p { color: red }</style></head>\n"
             "<body><!-- menu --><h1>Rafale pour l’Inde</h1>\n"
             "<p>L’Inde a commandé 26 <b>Rafale</b> Marine à <a href=\"/x\">Dassault Aviation</a> "
             "pour 6&nbsp;milliards d’euros en juillet 2023.</p><div>Le Maroc et Israël ont signé "
             "un accord de coopération à Rabat.</div></body></html>\n")


# ---------------------------------------------------------------------- decoding

def test_utf8_plain_text_has_no_warning():
    text, warnings = decode(SEED.read_bytes())
    assert text == SEED_TEXT and warnings == []


def test_utf8_bom_is_kept_and_flagged():
    text, warnings = decode(b"\xef\xbb\xbf" + "Défense".encode("utf-8"))
    assert text == "\ufeffDéfense"                     # as path.read_text(encoding="utf-8")
    assert warnings == ["UTF-8 byte-order mark at start"]


def test_latin1_is_decoded_and_named():
    text, warnings = decode("Le ministère de la Défense a reçu les blindés.".encode("latin-1"))
    assert text == "Le ministère de la Défense a reçu les blindés."
    assert warnings == ["not UTF-8: decoded as Latin-1 (ISO-8859-1)"]


def test_windows_1252_is_decoded_and_named():
    original = "L’armée a reçu des obus de 155 mm – 3 M€ – et des œuvres."
    text, warnings = decode(original.encode("cp1252"))
    assert text == original
    assert warnings == ["not UTF-8: decoded as Windows-1252"]


def test_undefined_windows_1252_bytes_are_replaced_and_counted():
    text, warnings = decode(b"d\xe9fense \x81 et \x9d")
    assert text == "défense \ufffd et \ufffd"
    assert "2 byte(s) undefined in Windows-1252 replaced by U+FFFD" in warnings


def test_utf16_with_bom_is_decoded():
    text, warnings = decode("La Défense".encode("utf-16"))  # with its byte-order mark
    assert text == "La Défense"
    assert warnings == ["not UTF-8: decoded as UTF-16 (byte-order mark)"]
    assert not is_binary("La Défense".encode("utf-16"))


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",                 # NUL bytes
    bytes(range(256)) * 40,                                 # everything
    bytes((i * 97 + 13) % 128 + 128 for i in range(5000)),  # only high bytes, not UTF-8
    b"\x01\x02\x03\x04 texte \x05\x06\x07\x08" * 50,        # control characters
])
def test_binary_data_is_detected(data):
    assert is_binary(data)


@pytest.mark.parametrize("data", [
    SEED.read_bytes(),
    SEED_TEXT.encode("latin-1", errors="replace"),
    "Екатеринбург: поставки С-400 в Индию".encode("utf-8") * 50,   # UTF-8, non-Latin
    SEED_TEXT.replace("\n", "\r\n").encode("utf-8"),
    b"\x0cpage 2\x0c\ttab\x1b",                                     # form feeds, tab, escape
    b"",
])
def test_text_is_not_binary(data):
    assert not is_binary(data)


# ---------------------------------------------------------------------- text checks

def test_html_is_detected_and_masked_without_moving_offsets():
    assert looks_html(HTML_PAGE)
    masked = mask_markup(HTML_PAGE)
    assert len(masked) == len(HTML_PAGE)
    assert "<" not in masked and ">" not in masked and "var s" not in masked and "menu" not in masked
    assert [i for i, c in enumerate(HTML_PAGE) if c == "\n"] == [i for i, c in enumerate(masked) if c == "\n" and HTML_PAGE[i] == "\n"]
    for word in ("Dassault Aviation", "Rafale pour l’Inde", "accord de coopération à Rabat", "juillet 2023"):
        start = HTML_PAGE.index(word)
        assert masked[start:start + len(word)] == word
    # a block tag becomes a line break so that paragraphs stay apart for the model
    assert masked[HTML_PAGE.index("<div>")] == "\n"
    # an inline tag is only spaces
    assert masked[HTML_PAGE.index("<b>"):HTML_PAGE.index("<b>") + 3] == "   "
    assert masked[HTML_PAGE.index("6&nbsp;") + 1:HTML_PAGE.index("6&nbsp;") + 7] == "      "


@pytest.mark.parametrize("text", [SEED_TEXT, "Si x < 3 et y > 2, le prix <estimé> reste bas.",
                                  "Le <b>Rafale</b> est un avion."])
def test_plain_text_is_not_html(text):
    assert not looks_html(text)


def test_fragment_with_several_tags_is_html():
    assert looks_html("<p>Un paragraphe</p><p>Un autre</p><br>")


def test_french_texts_look_french():
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert not any("French" in w for w in text_warnings(text)), path.name
    assert french_share(FRENCH)[0] > 0.2


@pytest.mark.parametrize("text", [ENGLISH, SPANISH, GERMAN])
def test_other_languages_are_flagged(text):
    warnings = text_warnings(text * 2)
    assert any(w.startswith("text does not look French (") for w in warnings), warnings


def test_very_short_texts_are_not_judged():   # under rules/language.yaml's min_words
    assert text_warnings("Breaking: F-16 deal.") == []


def test_crlf_and_cr_line_ends_are_flagged():
    assert "CRLF line ends" in text_warnings(FRENCH.replace(" ", "\r\n", 3))
    assert "CR line ends (no LF)" in text_warnings(FRENCH.replace(" ", "\r", 3))
    assert text_warnings(FRENCH.replace(" ", "\n", 3)) == []


def test_double_encoding_is_flagged():
    mojibake = FRENCH.encode("utf-8").decode("latin-1")
    assert any("double-encoded" in w for w in text_warnings(mojibake))


@pytest.mark.parametrize("text", ["", "   ", "\n\t \r\n"])
def test_empty_text(text):
    assert text_warnings(text) == ["empty text"]


def test_header_date_after_bom():
    assert header_date("\ufeff date 2022-07\nTexte") == "2022-07"
    assert header_date(" date 2022-07\nTexte") == "2022-07"


# ---------------------------------------------------------------------- read_document

def test_read_document_cases(tmp_path, monkeypatch):
    (tmp_path / "vide.txt").write_bytes(b"")
    (tmp_path / "blanc.txt").write_bytes(b"  \n\t\r\n")
    (tmp_path / "bin.txt").write_bytes(b"PK\x03\x04\x00\x00binary zip" * 20)
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf date 2023-02\n" + FRENCH.encode("utf-8"))
    (tmp_path / "page.txt").write_text(HTML_PAGE, encoding="utf-8")
    (tmp_path / "perm.txt").write_text(FRENCH, encoding="utf-8")
    os.symlink(tmp_path / "absent.txt", tmp_path / "lien.txt")

    assert read_document(tmp_path / "vide.txt", {}).warnings == ["empty text"]
    assert read_document(tmp_path / "blanc.txt", {}).warnings == ["empty text"]
    binary = read_document(tmp_path / "bin.txt", {})
    assert binary.warnings == ["binary file: skipped"] and binary.text == "" and binary.model_text == ""
    assert len(binary.sha256) == 64
    bom = read_document(tmp_path / "bom.txt", {})
    assert bom.text == (tmp_path / "bom.txt").read_text(encoding="utf-8") and bom.text[0] == "\ufeff"
    assert bom.warnings == ["UTF-8 byte-order mark at start"]
    assert (bom.dct_value, bom.dct_source) == ("2023-02", "header")
    page = read_document(tmp_path / "page.txt", {})
    assert page.warnings == ["HTML markup in a .txt file"]
    assert page.text == HTML_PAGE and page.model_text == mask_markup(HTML_PAGE)
    broken = read_document(tmp_path / "lien.txt", {})
    assert broken.warnings == ["unreadable: No such file or directory"] and broken.model_text == ""
    folder = tmp_path / "dossier.txt"
    folder.mkdir()
    assert read_document(folder, {}).warnings == ["unreadable: Is a directory"]

    import pipeline.read
    original = pipeline.read.read_regular_file

    def denied(path):
        if path.name == "perm.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return original(path)
    monkeypatch.setattr(pipeline.read, "read_regular_file", denied)
    assert read_document(tmp_path / "perm.txt", {}).warnings == ["unreadable: Permission denied"]


# ---------------------------------------------------------------------- folders and ids

def _tree(root: Path) -> None:
    (root / "2022" / "mars").mkdir(parents=True)
    (root / "2023").mkdir()
    (root / "a.txt").write_text(FRENCH, encoding="utf-8")
    (root / "2022" / "a.txt").write_text(FRENCH, encoding="utf-8")
    (root / "2022" / "mars" / "a.txt").write_text(FRENCH, encoding="utf-8")
    (root / "2023" / "b.TXT").write_text(FRENCH, encoding="utf-8")
    (root / "2023" / "image.png").write_bytes(b"\x89PNG")
    (root / "notes.md").write_text("# notes", encoding="utf-8")
    (root / "2022" / "meta.csv").write_text("doc_id,published\n", encoding="utf-8")


def test_nested_folders_collisions_and_skipped_files(tmp_path):
    _tree(tmp_path)
    plan = scan_inputs([tmp_path])
    assert plan.skipped == 3
    assert plan.messages() == ["3 file(s) without the .txt suffix skipped"]
    assert sorted(plan.doc_ids) == ["2022__a", "2022__mars__a", "a", "b"]
    assert len(set(plan.doc_ids)) == len(plan.doc_ids)
    renamed = [f for f in plan.files if f.warnings]
    assert len(renamed) == 2
    assert all(w.startswith("doc_id collision: 'a' is already ") for f in renamed for w in f.warnings)
    # stable: the same input gives the same ids, in the same order
    assert [(f.path, f.doc_id) for f in scan_inputs([tmp_path]).files] == [(f.path, f.doc_id) for f in plan.files]


def test_same_name_in_two_folders_given_on_the_command_line(tmp_path):
    for name in ("x", "y"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "art.txt").write_text(FRENCH, encoding="utf-8")
    plan = scan_inputs([tmp_path / "x", tmp_path / "y"])
    assert plan.doc_ids == ["art", "y__art"]


def test_the_same_file_twice_is_read_once(tmp_path):
    (tmp_path / "a.txt").write_text(FRENCH, encoding="utf-8")
    assert scan_inputs([tmp_path, tmp_path / "a.txt", tmp_path / "." / "a.txt"]).doc_ids == ["a"]


def test_broken_link_is_listed_and_folder_named_txt_is_searched(tmp_path):
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "lien.txt")
    (tmp_path / "d.txt").mkdir()
    (tmp_path / "d.txt" / "inner.txt").write_text(FRENCH, encoding="utf-8")
    assert scan_inputs([tmp_path]).doc_ids == ["inner", "lien"]


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        scan_inputs([tmp_path / "absent"])


# ---------------------------------------------------------------------- metadata

def test_metadata_bad_dates_unknown_ids_and_variants(tmp_path):
    csv = tmp_path / "meta.csv"
    csv.write_text("\ufeffDoc_ID;Published;source\n"
                   "a;2022-07-18;x\n"
                   "b;18/07/2022;x\n"
                   "c.txt;2021-02;x\n"
                   "d;2022-02-30;x\n"
                   "\n"
                   ";2020;x\n"
                   "a;2023;x\n"
                   "ghost;2020;x\n", encoding="utf-8")
    meta = read_metadata(csv)
    assert dict(meta) == {"a": "2022-07-18", "c": "2021-02", "ghost": "2020"}
    assert meta.warnings == [
        "metadata meta.csv row 3: bad date '18/07/2022' for 'b' (ignored; the header or inferred date is used)",
        "metadata meta.csv row 5: bad date '2022-02-30' for 'd' (ignored; the header or inferred date is used)",
        "metadata meta.csv row 7: no doc_id (row ignored)",
        "metadata meta.csv row 8: 'a' again, with '2023' (row 2's '2022-07-18' kept)",
    ]
    assert meta.unknown(["a", "b", "c", "d"]) == ["metadata meta.csv row 9: unknown doc_id 'ghost' (no such input file)"]


def test_metadata_without_the_columns_is_refused(tmp_path):
    csv = tmp_path / "meta.csv"
    csv.write_text("id,date\na,2022\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column doc_id or published"):
        read_metadata(csv)
    with pytest.raises(InputError, match="cannot read metadata file"):
        read_metadata(tmp_path / "absent.csv")


@pytest.mark.parametrize("value,ok", [("2022", True), ("2022-07", True), ("2022-07-18", True),
                                      ("2022-13", False), ("2022-02-29", False), ("2024-02-29", True),
                                      ("22-07-18", False), ("", False), ("2022/07", False)])
def test_valid_date(value, ok):
    assert valid_date(value) is ok


# ---------------------------------------------------------------------- pieces (no model)

@pytest.mark.parametrize("text,limit", [
    (SEED_TEXT * 3, 2000),
    (SEED_TEXT.replace("\n", "\r\n") * 2, 1500),
    ("mot " * 3000, 1000),                     # no sentence, no paragraph
    ("x" * 5000, 999),                         # no whitespace at all
    ("a\r\n" * 1000, 101),                     # never cut a CRLF pair
])
def test_split_text_covers_the_text_in_small_pieces(text, limit):
    pieces = split_text(text, limit)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a < b for a, b in pieces)
    assert all(b - a <= limit for a, b in pieces)
    assert all(prev[1] == nxt[0] for prev, nxt in zip(pieces, pieces[1:]))
    assert all(not (text[b - 1] == "\r" and text[b:b + 1] == "\n") for _, b in pieces)


def test_split_text_prefers_paragraph_breaks():
    paragraphs = [f"Paragraphe {i}. " + "Une phrase du texte. " * 20 for i in range(30)]
    text = "\n\n".join(paragraphs)
    pieces = split_text(text, 2000)
    assert len(pieces) > 1
    for _, end in pieces[:-1]:
        assert text[end - 2:end] == "\n\n" and text[end:].startswith("Paragraphe")


def test_text_that_fits_is_one_piece():
    assert split_text(SEED_TEXT, 1_000_000) == [(0, len(SEED_TEXT))]


# ---------------------------------------------------------------------- exit statuses

def _main(argv: list[str], capsys) -> tuple[int, str]:
    status = main(argv)
    return status, capsys.readouterr().err


def test_exit_status_without_input(tmp_path, capsys):
    status, err = _main(["extract", str(tmp_path / "absent"), "--out", str(tmp_path / "o")], capsys)
    assert status == 2 and err.strip().startswith("error: no such file or folder") and err.count("\n") == 1
    (tmp_path / "vide").mkdir()
    (tmp_path / "vide" / "a.md").write_text("x", encoding="utf-8")
    status, err = _main(["extract", str(tmp_path / "vide"), "--out", str(tmp_path / "o")], capsys)
    assert status == 2 and err.startswith("error: no .txt file found in") and err.count("\n") == 1


def test_exit_status_when_the_output_cannot_be_written(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(FRENCH, encoding="utf-8")
    blocker = tmp_path / "fichier"
    blocker.write_text("x", encoding="utf-8")
    for out in (blocker, blocker / "sous-dossier"):
        status, err = _main(["extract", str(tmp_path / "in"), "--out", str(out), "--quiet"], capsys)
        assert status == 2 and err.startswith(f"error: cannot write to {out}: ") and err.count("\n") == 1
    assert blocker.read_text(encoding="utf-8") == "x"


def test_exit_status_with_metadata_missing_columns(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "m.csv").write_text("doc_id,date\na,2022\n", encoding="utf-8")
    status, err = _main(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "o"),
                         "--metadata", str(tmp_path / "m.csv"), "--quiet"], capsys)
    assert status == 2 and "has no column published" in err and err.count("\n") == 1
    assert not (tmp_path / "o" / "entities.jsonl").exists()


# ---------------------------------------------------------------------- end to end (model)

@pytest.fixture(scope="module")
def nlp():
    from pipeline.nlp import build_nlp
    return build_nlp()


def _read(out: Path, name: str) -> list[dict]:
    return [json.loads(line) for line in (out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def messy_run(nlp, tmp_path_factory):
    """One run over a folder holding every kind of messy file, and its stderr."""
    import contextlib
    import io

    from pipeline.extract import run_extract
    root = tmp_path_factory.mktemp("messy")
    corpus = root / "corpus"
    (corpus / "sub").mkdir(parents=True)
    seed2 = SEEDS / "003_667dec259b500af9.txt"
    shutil.copy(SEED, corpus / "propre.txt")
    (corpus / "vide.txt").write_bytes(b"")
    (corpus / "blanc.txt").write_bytes(b" \n\n\t ")
    (corpus / "latin1.txt").write_bytes(FRENCH.encode("latin-1"))
    (corpus / "cp1252.txt").write_bytes((SEED_TEXT + CP1252_LINE).encode("cp1252"))
    (corpus / "bom.txt").write_bytes(b"\xef\xbb\xbf" + seed2.read_bytes())
    (corpus / "lf.txt").write_bytes(seed2.read_bytes())
    (corpus / "crlf.txt").write_bytes(seed2.read_bytes().replace(b"\n", b"\r\n"))
    (corpus / "binaire.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    (corpus / "page.txt").write_text(HTML_PAGE, encoding="utf-8")
    (corpus / "anglais.txt").write_text(ENGLISH, encoding="utf-8")
    os.symlink(corpus / "absent.txt", corpus / "lien.txt")
    shutil.copy(seed2, corpus / "sub" / "lf.txt")
    (corpus / "sub" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (corpus / "notes.md").write_text("notes", encoding="utf-8")
    meta = root / "meta.csv"
    meta.write_text("doc_id,published\nlf,2022-02-31\ncp1252,2022-07-19\nfantome,2020\n", encoding="utf-8")
    out = root / "out"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        summary = run_extract([corpus], out, meta, progress=False, nlp=nlp)
    docs = {d["doc_id"]: d for d in _read(out, "documents")}
    return {"out": out, "err": err.getvalue(), "docs": docs, "summary": summary, "corpus": corpus,
            "entities": _read(out, "entities"), "relations": _read(out, "relations")}


EXPECTED_WARNINGS = {
    "propre": [],
    "vide": ["empty text"],
    "blanc": ["empty text"],
    "latin1": ["not UTF-8: decoded as Latin-1 (ISO-8859-1)"],
    "cp1252": ["not UTF-8: decoded as Windows-1252"],
    "bom": ["UTF-8 byte-order mark at start"],
    "lf": ["metadata meta.csv row 2: bad date '2022-02-31' for 'lf' (ignored; the header or inferred date is used)"],
    "crlf": ["CRLF line ends"],
    "binaire": ["binary file: skipped"],
    "page": ["HTML markup in a .txt file"],
    "lien": ["unreadable: No such file or directory"],
}


@pytest.mark.model
def test_every_messy_file_gets_its_warning_in_the_record_and_on_stderr(messy_run):
    docs, err = messy_run["docs"], messy_run["err"]
    assert set(docs) == set(EXPECTED_WARNINGS) | {"anglais", "sub__lf"}
    for doc_id, expected in EXPECTED_WARNINGS.items():
        assert docs[doc_id]["warnings"] == expected, doc_id
        for warning in expected:
            assert f"warning: {doc_id}: {warning}\n" in err
    assert docs["anglais"]["warnings"][0].startswith("text does not look French (")
    assert docs["sub__lf"]["warnings"][0].startswith("doc_id collision: 'lf' is already ")
    assert f"warning: sub__lf: {docs['sub__lf']['warnings'][0]}" in err
    # run-level warnings: skipped files, metadata
    assert "warning: 2 file(s) without the .txt suffix skipped\n" in err
    assert "warning: lf: metadata meta.csv row 2: bad date '2022-02-31' for 'lf'" in err  # a document's
    assert "warning: metadata meta.csv row 4: unknown doc_id 'fantome'" in err
    assert docs["cp1252"]["dct"] == {"value": "2022-07-19", "source": "metadata"}
    assert docs["lf"]["dct"]["source"] != "metadata"


@pytest.mark.model
def test_skipped_files_have_a_record_and_no_entities(messy_run):
    docs, entities = messy_run["docs"], messy_run["entities"]
    with_entities = {e["doc_id"] for e in entities}
    for doc_id in ("vide", "blanc", "binaire", "lien"):
        assert doc_id not in with_entities
    for doc_id in ("binaire", "lien"):
        assert docs[doc_id]["n_chars"] == docs[doc_id]["n_tokens"] == 0
    assert docs["binaire"]["sha256"] != docs["lien"]["sha256"]
    for doc_id in ("propre", "latin1", "cp1252", "bom", "crlf", "lf", "page", "sub__lf"):
        assert doc_id in with_entities, doc_id
    assert messy_run["summary"].documents == len(docs) == 13


@pytest.mark.model
def test_offsets_index_the_text_as_read(messy_run):
    for entity in messy_run["entities"]:
        doc = messy_run["docs"][entity["doc_id"]]
        text, _ = decode(Path(doc["path"]).read_bytes())
        assert text[entity["start"]:entity["end"]] == entity["text"], entity
        assert "\r" not in entity["text"] and "<" not in entity["text"] and "\ufeff" not in entity["text"]


@pytest.mark.model
def test_bom_and_crlf_give_the_same_entities_as_the_plain_file(messy_run):
    by_doc: dict[str, list[dict]] = {}
    for entity in messy_run["entities"]:
        by_doc.setdefault(entity["doc_id"], []).append(entity)
    crlf_text = (SEEDS / "003_667dec259b500af9.txt").read_text(encoding="utf-8").replace("\n", "\r\n")

    def lf_offset(i: int) -> int:  # offset in the CRLF text -> offset in the LF text
        return i - crlf_text[:i].count("\r")

    lf = [(e["label"], e["text"], e["start"], e["norm"]) for e in by_doc["lf"]]
    bom = [(e["label"], e["text"], e["start"] - 1, e["norm"]) for e in by_doc["bom"]]
    crlf = [(e["label"], e["text"], lf_offset(e["start"]), e["norm"]) for e in by_doc["crlf"]]
    assert bom == lf
    assert crlf == lf
    assert [e["sentence"] for e in by_doc["crlf"]] == [e["sentence"] for e in by_doc["lf"]]


@pytest.mark.model
def test_html_page_entities_come_from_the_text_between_tags(messy_run):
    page = [e for e in messy_run["entities"] if e["doc_id"] == "page"]
    found = {(e["label"], e["text"]) for e in page}
    assert {("ORG", "Dassault Aviation"), ("LOC", "Rabat"), ("DATE", "juillet 2023"),
            ("MONEY", "6&nbsp;milliards d’euros")} <= found
    assert ("WEAPON", "Rafale") in found
    for e in page:
        assert HTML_PAGE[e["start"]:e["end"]] == e["text"]
        assert not (HTML_PAGE.index("<script>") <= e["start"] < HTML_PAGE.index("</style>"))
    assert messy_run["docs"]["page"]["n_chars"] == len(HTML_PAGE)


@pytest.mark.model
def test_mentions_across_html_tags_are_dropped_with_their_relations(nlp):
    from spacy.tokens import Doc

    from pipeline.pieces import keep_raw_mentions
    raw = "La <b>France</b> vend pour 6&nbsp;M€."
    masked = mask_markup(raw)
    doc = nlp.make_doc(masked)
    assert masked == "La    France     vend pour 6      M€."
    doc._.arms_mentions = [
        {"label": "LOC", "text": "France", "start": 6, "end": 12},
        {"label": "LOC", "text": "France     vend", "start": 6, "end": 21},
        {"label": "MONEY", "text": "6      M€", "start": 27, "end": 36},
    ]
    doc._.arms_relations = [{"type": "x", "args": {"a": 0, "v": 2}}, {"type": "y", "args": {"a": [0, 1]}},
                       {"type": "z", "args": {"a": 1}}]
    assert isinstance(doc, Doc)
    assert keep_raw_mentions(doc, raw) == 1
    assert [m["text"] for m in doc._.arms_mentions] == ["France", "6&nbsp;M€"]
    assert all(raw[m["start"]:m["end"]] == m["text"] for m in doc._.arms_mentions)
    assert doc._.arms_relations == [{"type": "x", "args": {"a": 0, "v": 1}}]


@pytest.mark.model
def test_a_text_longer_than_max_length_is_one_exact_document(nlp, tmp_path):
    from pipeline.extract import run_extract
    text = "\n\n".join([SEED_TEXT.strip()] * 3)
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    limit = 2000
    saved = nlp.max_length
    nlp.max_length = limit
    try:
        run_extract([tmp_path / "long.txt"], tmp_path / "out", progress=False, nlp=nlp)
    finally:
        nlp.max_length = saved
    [document] = _read(tmp_path / "out", "documents")
    entities = _read(tmp_path / "out", "entities")
    relations = _read(tmp_path / "out", "relations")
    pieces = split_text(text, limit)
    assert len(pieces) >= 7
    assert document["n_chars"] == len(text)
    assert document["warnings"] == [f"long text ({len(text):,} characters, more than the model's "
                                    f"{limit:,}): processed in {len(pieces)} pieces"]
    # ids consecutive, offsets exact, in order
    assert [e["id"] for e in entities] == [f"long:E{n}" for n in range(1, len(entities) + 1)]
    assert [r["id"] for r in relations] == [f"long:R{n}" for n in range(1, len(relations) + 1)]
    assert all(text[e["start"]:e["end"]] == e["text"] for e in entities)
    assert [(e["start"], e["end"]) for e in entities] == sorted((e["start"], e["end"]) for e in entities)
    ids = {e["id"] for e in entities}
    for r in relations:
        for value in r["args"].values():
            assert set(value if isinstance(value, list) else [value]) <= ids
    # the same entities and relations as processing each piece alone, shifted
    alone_entities, alone_evidence, sentences = [], [], 0
    for start, end in pieces:
        doc = nlp(text[start:end])
        alone_entities += [(m["label"], m["start"] + start, m["end"] + start, m["sentence"] + sentences, m["norm"])
                           for m in doc._.arms_mentions]
        alone_evidence += [(r["type"], r["evidence"]["start"] + start, r["evidence"]["end"] + start,
                            r["evidence"]["sentence"] + sentences) for r in doc._.arms_relations]
        sentences += len(list(doc.sents))
    assert [(e["label"], e["start"], e["end"], e["sentence"], e["norm"]) for e in entities] == alone_entities
    assert [(r["type"], r["evidence"]["start"], r["evidence"]["end"], r["evidence"]["sentence"])
            for r in relations] == alone_evidence
    assert document["n_sentences"] == sentences
    assert len(entities) > 60 and max(e["sentence"] for e in entities) > sentences * 2 // 3
