"""pipeline.report: one self-contained HTML page per output directory."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.report import render_report, section_id, write_report

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "outputs"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def jsonl(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


class Page(HTMLParser):
    """Checks nesting (every non-void tag closed in order) and collects sections and marks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.problems: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.tags: Counter = Counter()
        self.marks: dict[str, list[dict]] = defaultdict(list)  # section id -> marks
        self._mark: dict | None = None
        self._section: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] += 1
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs:
            self.srcs.append(attrs["src"])
        if tag == "section":
            self._section = attrs.get("id")
        if tag == "mark":
            self._mark = {"id": attrs.get("id"), "label": attrs.get("data-label"), "title": attrs.get("title"),
                          "text": ""}
            self.marks[self._section].append(self._mark)
        if tag not in VOID:
            self.stack.append((tag, attrs.get("id")))

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] += 1
        if tag not in VOID:
            self.problems.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()
        if tag == "mark":
            self._mark = None
        if tag == "section":
            self._section = None

    def handle_data(self, data):
        # the label <span> inside a mark comes after the mention text: keep only the first chunk
        if self._mark is not None and self.stack and self.stack[-1][0] == "mark":
            self._mark["text"] += data


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert parser.problems == [], parser.problems[:10]
    assert parser.stack == [], parser.stack
    return parser


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        dest = write_report(FIXTURE, tmp_path_factory.mktemp("report") / "report.html")
    finally:
        os.chdir(cwd)
    return dest


def test_report_is_well_formed_and_lists_every_document(report):
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    parsed = parse(page)
    documents = jsonl(FIXTURE / "documents.jsonl")
    for doc in documents:
        assert section_id(doc["doc_id"]) in parsed.ids
        assert f"#{section_id(doc['doc_id'])}" in parsed.hrefs  # table of contents
        assert doc["path"] in page
    assert parsed.tags["section"] == len(documents)
    assert "toc" in parsed.ids
    assert len(parsed.ids) == len(set(parsed.ids)), "duplicate HTML ids"


def test_every_mention_is_highlighted_with_its_norm(report):
    parsed = parse(report.read_text(encoding="utf-8"))
    entities = jsonl(FIXTURE / "entities.jsonl")
    per_doc: dict[str, list[dict]] = defaultdict(list)
    for entity in entities:
        per_doc[entity["doc_id"]].append(entity)
    for doc_id, expected in per_doc.items():
        marks = parsed.marks[section_id(doc_id)]
        assert len(marks) == len(expected), doc_id
        expected = sorted(expected, key=lambda e: (e["start"], e["end"]))
        assert [m["text"].strip() for m in marks] == [e["text"].strip() for e in expected]
        assert [m["id"] for m in marks] == [e["id"] for e in expected]
        assert [m["label"] for m in marks] == [e["label"] for e in expected]
        for mark, entity in zip(marks, expected):
            for key, value in entity["norm"].items():
                if isinstance(value, str):
                    assert f"{key}: {value}" in mark["title"]


def test_relations_table_shows_evidence(report):
    page = report.read_text(encoding="utf-8")
    parsed = parse(page)
    relations = jsonl(FIXTURE / "relations.jsonl")
    assert page.count('<table class="relations">') == len({r["doc_id"] for r in relations})
    text = (ROOT / "seeds" / "000_812a8e56a1f28302.txt").read_text(encoding="utf-8")
    heron = next(r for r in relations if r["attrs"].get("quantity") == 3)
    sentence = text[heron["evidence"]["start"]:heron["evidence"]["end"]]
    import html

    plain = re.sub(r'<b class="arg" title="[a-z]+">|</b>', "", page)   # the sentence, arguments unmarked
    assert html.escape(sentence) in plain
    # the relation's arguments are highlighted inside its evidence, with their role
    assert '<b class="arg" title="weapon">Heron</b>' in page
    assert '<b class="arg" title="recipient">Maroc</b>' in page
    # argument links point at highlighted mentions
    for relation in relations:
        for value in relation["args"].values():
            for arg in value if isinstance(value, list) else [value]:
                assert f"#{arg}" in parsed.hrefs


def test_self_contained(report):
    page = report.read_text(encoding="utf-8")
    parsed = parse(page)
    assert parsed.srcs == []
    assert parsed.tags["link"] == 0 and parsed.tags["script"] == 0
    assert all(h.startswith("#") for h in parsed.hrefs)
    assert "http://" not in page and "https://" not in page
    assert "@import" not in page and "url(" not in page


def test_deterministic_and_atomic(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    shutil.copytree(FIXTURE, out)
    first = write_report(out)
    assert first == out / "report.html"
    content = first.read_bytes()
    second = write_report(out)
    assert second.read_bytes() == content
    assert sorted(p.name for p in out.iterdir()) == ["documents.jsonl", "entities.jsonl", "relations.jsonl",
                                                      "report.html"]


def _write(out: Path, documents, entities, relations) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("documents", documents), ("entities", entities), ("relations", relations)):
        (out / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                           encoding="utf-8")
    return out


def test_unreadable_text_is_said_and_mentions_listed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    documents = [dict(d, path=f"gone/{d['doc_id']}.txt") for d in jsonl(FIXTURE / "documents.jsonl")]
    out = _write(tmp_path / "out", documents, jsonl(FIXTURE / "entities.jsonl"), jsonl(FIXTURE / "relations.jsonl"))
    page = write_report(out).read_text(encoding="utf-8")
    parsed = parse(page)
    assert page.count("Text unavailable") == len(documents)
    assert sum(len(m) for m in parsed.marks.values()) == 0
    assert "Aviv Kochavi" in page  # listed in the entity table instead


def test_escaping_overlaps_and_bad_offsets(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = 'Le <b>Rafale</b> & "Mirage 2000" vendus à l\'Inde.\n'
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    import hashlib

    documents = [{"doc_id": "x", "path": "doc.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(),
                  "n_chars": len(text), "n_tokens": 12, "n_sentences": 1, "dct": {"value": None, "source": None},
                  "warnings": ["<not French?>"]}]
    def ent(n, label, start, end, norm):
        return {"id": f"x:E{n}", "doc_id": "x", "label": label, "text": text[start:end], "start": start, "end": end,
                "sentence": 0, "source": "rules", "norm": norm}
    weapon = {"name": "Rafale", "category": "combat_aircraft", "manufacturer": "Dassault Aviation", "country": "FRA"}
    entities = [
        ent(1, "WEAPON", 6, 12, weapon),
        ent(2, "WEAPON", 20, 31, dict(weapon, name="Mirage 2000")),
        ent(3, "MISC", 20, 26, {}),                      # overlaps E2
        ent(4, "LOC", 44, 48, {"name": "Inde", "type": "country", "country": "IND"}),
        dict(ent(5, "LOC", 0, 2, {}), start=90, end=95),  # outside the text
    ]
    out = _write(tmp_path / "out", documents, entities, [])
    page = write_report(out).read_text(encoding="utf-8")
    parsed = parse(page)
    assert "<b>Rafale</b>" not in page and "&lt;b&gt;" in page
    assert "&lt;not French?&gt;" in page
    marks = parsed.marks["doc-x"]
    assert [m["id"] for m in marks] == ["x:E1", "x:E2", "x:E4"]
    assert "manufacturer: Dassault Aviation" in marks[0]["title"]
    assert "overlaps another mention" in page and "offsets outside the text" in page
    assert "No relation." in page


def test_missing_output_file_raises(tmp_path):
    (tmp_path / "documents.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="entities.jsonl"):
        render_report(tmp_path)


@pytest.mark.browser
def test_chromium_renders_every_section(report, tmp_path):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", report.resolve().as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    for doc in jsonl(FIXTURE / "documents.jsonl"):
        assert f'id="{section_id(doc["doc_id"])}"' in dom
    assert dom.count('class="entity"') == len(jsonl(FIXTURE / "entities.jsonl"))


def test_register_page_links_each_deal_to_its_evidence(report):
    page = report.read_text(encoding="utf-8")
    parsed = parse(page)
    assert "register" in parsed.ids and "#register" in parsed.hrefs
    transfers = [r for r in jsonl(FIXTURE / "relations.jsonl") if r["type"] == "arms_transfer"]
    for relation in transfers:   # every transfer statement is a source of a deal, linked to its row
        assert f"#{relation['id']}" in parsed.hrefs and relation["id"] in parsed.ids
    start = page.index('id="register"')
    register = page[start:page.index("</table></div>", start)]
    heron = next(row for row in register.split("<tr ")[1:] if "Heron" in row)
    assert "Israël" in heron and "Maroc" in heron
    assert "<b>date</b>: 2014 (000_812a8e56a1f28302:R" in heron and "; 2013 (002_d949aff4953623e3:R" in heron
