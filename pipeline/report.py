"""One self-contained HTML page to read an output directory: texts with highlighted entities.

    >>> from pipeline.report import write_report
    >>> write_report("outputs")            # -> outputs/report.html

The page has a table of contents, counts, and per document its id, path, DCT, warnings, its
text with every mention highlighted by displaCy (colour per label, the normalised values
in a tooltip) and a table of its relations with their evidence sentence. No external CSS,
JavaScript or font: the file can be mailed or opened offline. The same input gives the same
bytes (no timestamp, stable order).
"""
from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable

from .export import atomic_write
from .load import LABELS, RELATION_TYPES, output_files, read_document_text, read_jsonl, span_text, text_bases

COLORS = {
    "PER": "#c9b8ff", "ORG": "#7aecec", "LOC": "#feca74", "WEAPON": "#ff8f8f",
    "MONEY": "#b5e48c", "DATE": "#bfe1d9", "DURATION": "#e2d3a6", "MISC": "#dddddd",
}
# Order of the arguments in the relations table: who, what, then where and when.
ARG_ORDER = ("supplier", "recipient", "weapon", "value", "parties", "participants", "person", "org",
             "signatory", "place", "date")

# displaCy fills {label} {text} {bg} {kb_link} and our per-span params {eid} {title}.
ENT_TEMPLATE = (
    '<mark class="entity" id="{eid}" data-label="{label}" title="{title}" style="background: {bg};">'
    '{text}<span class="entity-label">{label}</span></mark>'
)

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 72rem; padding: 1rem 2rem 4rem; color: #1d1d1f; line-height: 1.45; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 2px solid #ddd; padding-bottom: .2rem; margin-top: 2.5rem; }
code, .mono { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9em; }
nav#toc ol { columns: 2; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #ddd; padding: .3rem .45rem; vertical-align: top; text-align: left; }
th { background: #f4f4f6; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }
.doc-text { border: 1px solid #e5e5e5; border-radius: .4rem; padding: .5rem 1rem; background: #fcfcfc; }
.doc-text .entities { line-height: 2.3 !important; }
mark.entity { padding: .15em .35em; margin: 0 .1em; border-radius: .35em; line-height: 1; cursor: help; }
.entity-label { font-size: .7em; font-weight: 700; margin-left: .35rem; vertical-align: middle; }
.legend span { display: inline-block; padding: .1rem .5rem; margin: 0 .3rem .3rem 0; border-radius: .3rem; font-size: .85rem; }
.warning { color: #9a3412; } .unavailable { background: #fff4e5; border-left: 4px solid #f59e0b; padding: .5rem 1rem; }
.muted { color: #777; }
ul.args, ul.attrs { margin: 0; padding-left: 1rem; }
b.arg { background: #fff3b0; font-weight: 600; border-radius: .2em; padding: 0 .1em; }
"""


def write_report(out_dir: str | Path = "outputs", dest: str | Path | None = None,
                 text_base: str | Path | None = None) -> Path:
    """Write the HTML report of `out_dir` to `dest` (default `out_dir`/report.html).

    Document texts are read from `path` in documents.jsonl, as given (absolute or relative to
    the current directory), then relative to `text_base` (default: `out_dir` or a folder above
    it, see `load.text_bases`).
    """
    out_dir = Path(out_dir)
    dest = Path(dest) if dest is not None else out_dir / "report.html"
    page = render_report(out_dir, text_base=text_base)
    dest.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(dest, lambda tmp: tmp.write_text(page, encoding="utf-8", newline="\n"))
    return dest


def section_id(doc_id: str) -> str:
    """The HTML id of a document's section (`doc-` + doc_id, whitespace replaced)."""
    return "doc-" + re.sub(r"\s", "_", doc_id)


# C0 controls but tab and line ends, DEL and C1 controls: not valid in an HTML page (a text
# file may hold a few); shown as U+FFFD, one character for one, after highlighting.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def render_report(out_dir: str | Path, text_base: str | Path | None = None) -> str:
    """The report page as a string."""
    paths = output_files(out_dir)
    documents = read_jsonl(paths["documents"])
    entities = read_jsonl(paths["entities"])
    relations = read_jsonl(paths["relations"])
    bases = text_bases(out_dir, text_base)

    ents_by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entity in entities:
        ents_by_doc[entity.get("doc_id")].append(entity)
    rels_by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for relation in relations:
        rels_by_doc[relation.get("doc_id")].append(relation)
    by_id = {e.get("id"): e for e in entities}
    known = {d.get("doc_id") for d in documents}
    orphans = sorted(k for k in set(ents_by_doc) | set(rels_by_doc) if k not in known)

    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Extraction report: {esc(str(out_dir))}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        '<h1 id="top">Extraction report</h1>',
        f'<p class="muted">Output directory <code>{esc(str(out_dir))}</code>: {len(documents)} documents, '
        f"{len(entities)} entity mentions, {len(relations)} relations.</p>",
        _summary(entities, relations),
        _legend(),
        '<nav id="toc"><h2>Contents</h2><ol>',
        '<li><a href="#register">Deal register</a> <span class="muted">(deals across documents)</span></li>',
    ]
    for document in documents:
        doc_id = str(document.get("doc_id"))
        dct = document.get("dct") or {}
        parts.append(
            f'<li><a href="#{esc(section_id(doc_id))}">{esc(doc_id)}</a> '
            f'<span class="muted">({len(ents_by_doc.get(doc_id, []))} entities, '
            f'{len(rels_by_doc.get(doc_id, []))} relations, DCT {esc(str(dct.get("value") or "unknown"))}'
            f'{", " + str(len(document.get("warnings") or [])) + " warnings" if document.get("warnings") else ""})</span></li>')
    parts.append("</ol></nav>")
    texts = {str(d.get("doc_id")): read_document_text(d, bases) for d in documents}
    relation_by_id = {r.get("id"): r for r in relations}

    def highlighted_evidence(source: dict[str, Any]) -> str:
        relation = relation_by_id.get(source.get("relation_id"))
        if relation is None:
            return esc(str(source.get("evidence") or "(text unavailable)"))
        return evidence_html(relation, by_id, texts.get(str(relation.get("doc_id"))))

    from .register import run_deals
    parts.append(_register_section(run_deals(out_dir, entities, relations, texts), highlighted_evidence))
    if orphans:
        parts.append(f'<p class="warning">Entities or relations refer to documents missing from '
                     f'documents.jsonl: {esc(", ".join(map(str, orphans)))}</p>')
    for document in documents:
        doc_id = str(document.get("doc_id"))
        # a skipped file (binary, unreadable) was processed as an empty text: show that
        text = "" if document.get("n_chars") == 0 else texts.get(doc_id)
        parts.append(_document_section(document, text, ents_by_doc.get(doc_id, []),
                                       rels_by_doc.get(doc_id, []), by_id))
    parts += ["</body>", "</html>", ""]
    return CONTROL_CHARACTERS.sub("\ufffd", "\n".join(parts))


def _summary(entities: list[dict[str, Any]], relations: list[dict[str, Any]]) -> str:
    labels = Counter(e.get("label") for e in entities)
    types = Counter(r.get("type") for r in relations)
    label_order = [l for l in LABELS if labels[l]] + sorted(str(l) for l in labels if l not in LABELS)
    type_order = [t for t in RELATION_TYPES if types[t]] + sorted(str(t) for t in types if t not in RELATION_TYPES)
    rows = "".join(f"<tr><td>{html.escape(str(l))}</td><td>{labels[l]}</td></tr>" for l in label_order)
    rels = "".join(f"<tr><td>{html.escape(str(t))}</td><td>{types[t]}</td></tr>" for t in type_order)
    return ('<div class="summary"><table style="width:auto;display:inline-table;margin-right:2rem">'
            f"<tr><th>Label</th><th>Mentions</th></tr>{rows}</table>"
            '<table style="width:auto;display:inline-table">'
            f"<tr><th>Relation</th><th>Count</th></tr>{rels}</table></div>")


def _legend() -> str:
    items = "".join(f'<span style="background: {COLORS[l]}">{l}</span>' for l in LABELS)
    return f'<p class="legend">{items} <span class="muted">Hover a mention for its normalised values.</span></p>'


def _format_value(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "null" if value is None else str(value)


def entity_title(entity: dict[str, Any]) -> str:
    """The tooltip of a mention: id, label, source and every norm field."""
    norm = entity.get("norm") if isinstance(entity.get("norm"), dict) else {}
    fields = "; ".join(f"{k}: {_format_value(v)}" for k, v in norm.items())
    short_id = str(entity.get("id", "")).rsplit(":", 1)[-1]
    return f"{short_id} {entity.get('label')} [{entity.get('source')}] {fields}".strip()


def _visible_mentions(entities: list[dict[str, Any]], text: str) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], str]]]:
    """Mentions displaCy can draw (in range, not overlapping an earlier one) and the others with why."""
    shown: list[dict[str, Any]] = []
    hidden: list[tuple[dict[str, Any], str]] = []
    ordered = sorted(entities, key=lambda e: (_int(e.get("start")), -_int(e.get("end")), str(e.get("label"))))
    last_end = 0
    for entity in ordered:
        start, end = entity.get("start"), entity.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            hidden.append((entity, "offsets outside the text"))
        elif start < last_end:
            hidden.append((entity, "overlaps another mention"))
        else:
            shown.append(entity)
            last_end = end
    return shown, hidden


def _int(value: Any) -> int:
    return value if isinstance(value, int) else -1


def _highlighted(text: str, mentions: list[dict[str, Any]]) -> str:
    from spacy import displacy

    spans = [{
        "start": e["start"], "end": e["end"], "label": str(e.get("label")),
        "params": {"eid": html.escape(str(e.get("id")), quote=True),
                   "title": html.escape(entity_title(e), quote=True),
                   "label": html.escape(str(e.get("label")))},
    } for e in mentions]
    return displacy.render({"text": text, "ents": spans, "title": None}, style="ent", manual=True,
                           page=False, jupyter=False,
                           options={"colors": COLORS, "template": ENT_TEMPLATE})


def _document_section(document: dict[str, Any], text: str | None, entities: list[dict[str, Any]],
                      relations: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> str:
    esc = html.escape
    doc_id = str(document.get("doc_id"))
    dct = document.get("dct") or {}
    warnings = document.get("warnings") or []
    sizes = ", ".join(f"{document[k]} {k[2:]}" for k in ("n_chars", "n_tokens", "n_sentences") if k in document)
    warning_html = ("<ul>" + "".join(f'<li class="warning">{esc(str(w))}</li>' for w in warnings) + "</ul>"
                    if warnings else '<span class="muted">none</span>')
    out = [
        f'<section class="document" id="{esc(section_id(doc_id), quote=True)}">',
        f"<h2>{esc(doc_id)}</h2>",
        '<dl class="meta">',
        f"<dt>Path</dt><dd><code>{esc(str(document.get('path')))}</code></dd>",
        f"<dt>DCT</dt><dd>{esc(str(dct.get('value') or 'unknown'))} "
        f'<span class="muted">(source: {esc(str(dct.get("source") or "none"))})</span></dd>',
        f"<dt>Size</dt><dd>{esc(sizes) or '?'}</dd>",
        f"<dt>Warnings</dt><dd>{warning_html}</dd>",
        "</dl>",
        f"<h3>Text and entities ({len(entities)})</h3>",
    ]
    if text is None:
        out.append(f'<p class="unavailable">Text unavailable: <code>{esc(str(document.get("path")))}</code> '
                   "cannot be read from here (missing, or changed since the run: sha256 differs). "
                   "The mentions are listed instead.</p>")
        out.append(_entity_table(entities))
    else:
        shown, hidden = _visible_mentions(entities, text)
        mismatched = [e for e in shown if text[e["start"]:e["end"]] != e.get("text")]
        if mismatched:
            out.append(f'<p class="warning">{len(mismatched)} mention(s) whose text differs from the document '
                       f"at their offsets: {esc(', '.join(str(e.get('id')) for e in mismatched))}</p>")
        out.append(f'<div class="doc-text">{_highlighted(text, shown)}</div>')
        if hidden:
            out.append("<p>Not highlighted:</p>")
            out.append(_entity_table([e for e, _ in hidden], [why for _, why in hidden]))
    out.append(f"<h3>Relations ({len(relations)})</h3>")
    if relations:
        out.append(_relation_table(relations, by_id, text))
    else:
        out.append('<p class="muted">No relation.</p>')
    out.append('<p><a href="#top">Back to top</a></p>')
    out.append("</section>")
    return "\n".join(out)


def _entity_table(entities: list[dict[str, Any]], reasons: list[str] | None = None) -> str:
    esc = html.escape
    head = "<tr><th>id</th><th>label</th><th>text</th><th>start–end</th><th>norm</th>"
    head += "<th>why</th></tr>" if reasons else "</tr>"
    rows = []
    for i, e in enumerate(entities):
        row = (f"<tr><td class=\"mono\">{esc(str(e.get('id')))}</td><td>{esc(str(e.get('label')))}</td>"
               f"<td>{esc(str(e.get('text')))}</td><td>{e.get('start')}–{e.get('end')}</td>"
               f"<td class=\"mono\">{esc(_format_value(e.get('norm')))}</td>")
        row += f"<td>{esc(reasons[i])}</td></tr>" if reasons else "</tr>"
        rows.append(row)
    return f'<table class="entities-table">{head}{"".join(rows)}</table>'


def evidence_html(relation: dict[str, Any], by_id: dict[str, dict[str, Any]], text: str | None) -> str:
    """A relation's evidence sentence, its arguments highlighted (`<b class="arg">`, the role
    in a tooltip); a note when the text is unavailable."""
    esc = html.escape
    evidence = relation.get("evidence") if isinstance(relation.get("evidence"), dict) else {}
    start, end = evidence.get("start"), evidence.get("end")
    sentence = span_text(text, start, end)
    if sentence is None:
        return f'<span class="muted">(text unavailable: {esc(str(start))}–{esc(str(end))})</span>'
    args = relation.get("args") if isinstance(relation.get("args"), dict) else {}
    spans = sorted((e["start"] - start, e["end"] - start, role)
                   for role, value in args.items() for arg in (value if isinstance(value, list) else [value])
                   if (e := by_id.get(arg)) and isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
                   and start <= e["start"] < e["end"] <= end)
    out, at = [], 0
    for left, right, role in spans:
        if left < at:
            continue  # overlaps the previous argument
        out.append(esc(sentence[at:left]))
        out.append(f'<b class="arg" title="{esc(role, quote=True)}">{esc(sentence[left:right])}</b>')
        at = right
    out.append(esc(sentence[at:]))
    return "".join(out)


def _relation_table(relations: list[dict[str, Any]], by_id: dict[str, dict[str, Any]], text: str | None) -> str:
    esc = html.escape

    def arg_html(value: Any) -> str:
        ids = value if isinstance(value, list) else [value]
        shown = []
        for arg in ids:
            entity = by_id.get(arg)
            label = f"«{esc(str(entity.get('text')))}»" if entity else '<span class="warning">unknown id</span>'
            shown.append(f'{label} <a class="mono muted" href="#{esc(str(arg), quote=True)}">'
                         f"{esc(str(arg).rsplit(':', 1)[-1])}</a>")
        return ", ".join(shown)

    rows = []
    for relation in relations:
        args = relation.get("args") if isinstance(relation.get("args"), dict) else {}
        order = [r for r in ARG_ORDER if r in args] + sorted(r for r in args if r not in ARG_ORDER)
        args_html = "".join(f"<li><b>{esc(r)}</b>: {arg_html(args[r])}</li>" for r in order)
        attrs = relation.get("attrs") if isinstance(relation.get("attrs"), dict) else {}
        attrs_html = "".join(f"<li><b>{esc(str(k))}</b>: {esc(_format_value(v))}</li>" for k, v in attrs.items())
        sentence = evidence_html(relation, by_id, text)
        rows.append(
            f"<tr id=\"{esc(str(relation.get('id', '')), quote=True)}\">"
            f"<td class=\"mono\">{esc(str(relation.get('id', '')).rsplit(':', 1)[-1])}</td>"
            f"<td>{esc(str(relation.get('type')))}</td>"
            f'<td><ul class="args">{args_html}</ul></td><td><ul class="attrs">{attrs_html}</ul></td>'
            f"<td>{sentence}</td></tr>")
    return ('<table class="relations"><tr><th>id</th><th>type</th><th>arguments</th><th>attributes</th>'
            f"<th>evidence</th></tr>{''.join(rows)}</table>")


def _register_section(deals: list[dict[str, Any]], evidence: Callable[[dict[str, Any]], str]) -> str:
    """The deal register: one row per deal, each source linking to its relation's row and
    evidence in its document's section, and the conflicts between sources."""
    esc = html.escape

    def side(deal: dict[str, Any], name: str) -> str:
        shown = deal.get(f"{name}_name") or deal.get(f"{name}_country") or "?"
        orgs = deal.get(f"{name}_organisations") or []
        return esc(str(shown)) + (f' <span class="muted">({esc(", ".join(orgs))})</span>' if orgs else "")

    rows = []
    for deal in deals:
        sources = "".join(
            f'<li><a href="#{esc(str(s.get("relation_id")), quote=True)}" class="mono">{esc(str(s.get("relation_id")))}</a> '
            f'{esc(" ".join(str(v) for v in (s.get("status"), s.get("date")) if v))}: '
            f'«{evidence(s)}»</li>' for s in deal.get("sources") or [])
        conflicts = "".join(
            f'<li><b>{esc(str(c.get("attribute")))}</b>: '
            + "; ".join(f'{esc(_format_value(v.get("value")))} ({esc(", ".join(v.get("sources") or []))})'
                        for v in c.get("values") or []) + "</li>" for c in deal.get("conflicts") or [])
        value = (f'{esc(_format_value(deal.get("value_amount")))} {esc(str(deal.get("value_currency")))}'
                 if deal.get("value_amount") is not None else "")
        if deal.get("value_usd") is not None and deal.get("value_currency") != "USD":
            value += f'<br><span class="muted">≈ {deal["value_usd"]:,.0f} USD</span>'
        years = [deal.get("order_year"), *(deal.get("delivery_years") or [])]
        rows.append(
            f'<tr id="{esc(str(deal.get("deal_id")), quote=True)}"><td class="mono">{esc(str(deal.get("deal_id")))}</td>'
            f"<td>{side(deal, 'supplier')} → {side(deal, 'recipient')}</td>"
            f'<td>{esc(str(deal.get("weapon") or deal.get("category") or ""))}</td>'
            f'<td>{esc(str(deal.get("status")))}</td>'
            f'<td>{" / ".join("–" if q is None else str(q) for q in (deal.get("quantity_ordered"), deal.get("quantity_delivered")))}</td>'
            f'<td>{esc(", ".join(str(y) for y in years if y is not None))}</td><td>{value}</td>'
            f'<td><ul class="args">{sources}</ul></td><td><ul class="attrs">{conflicts}</ul></td></tr>')
    head = ("<tr><th>deal</th><th>supplier → recipient</th><th>weapon</th><th>status</th>"
            "<th>ordered / delivered</th><th>years</th><th>value</th><th>sources</th><th>conflicts</th></tr>")
    return (f'<div class="register" id="register"><h2>Deal register</h2>'
            f'<p class="muted">{len(deals)} deals across the documents (deals.jsonl).</p>'
            f'<table class="deals">{head}{"".join(rows)}</table></div>')
