"""Score predicted JSONL outputs against a gold annotation, as SCHEMA.md defines it.

Mentions: same document and label; *lenient* pairs need overlapping spans, *strict* pairs
equal offsets. Pairs are one-to-one, found as a maximum bipartite matching (augmenting
paths) over inputs sorted by content, so the result never depends on the order of the input
lines. A prediction left unpaired that would pair with an `optional` gold mention is neither
a true nor a false positive; an unmatched optional gold mention is no error.

Normalisation accuracy: over lenient pairs, the share whose key `norm` fields equal the
gold's (an `X` in a gold value is a wildcard for one character).

Relations: a predicted relation pairs with a gold one of the same document and type when
its key agrees (arms_transfer: recipient_country and the weapon's name, or its category when
the gold weapon has no name; agreement: parties; meeting: the two participants; holds_role:
the person). Attribute accuracy is the share of pairs whose other attributes all agree;
the per-attribute shares are printed too.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .config import ENTITY_LABELS

NORM_KEYS = {
    "PER": ("name",), "ORG": ("name",), "LOC": ("name",),
    "WEAPON": ("name", "category"),
    "MONEY": ("amount", "currency", "qualifier"),
    "DATE": ("value", "mod"), "DURATION": ("value", "mod"),
}
RELATION_TYPES = ("arms_transfer", "agreement", "meeting", "holds_role")
RELATION_ATTRS = {
    "arms_transfer": ("supplier_country", "quantity", "value", "date", "status"),
    "agreement": ("kind", "signatory", "date", "place"),
    "meeting": ("date", "place"),
    "holds_role": ("role", "country"),
}


# ---------------------------------------------------------------------------- reading


def read_jsonl(path: Path) -> list[dict]:
    """Records of a JSON-lines file; a bad line raises ValueError naming file and line."""
    records = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not valid JSON ({error.msg})") from error
    return records


# ---------------------------------------------------------------------------- comparing


def values_equal(pred: Any, gold: Any) -> bool:
    """Equality with `X` wildcards in gold strings and a tolerance for numbers."""
    if isinstance(gold, str) and isinstance(pred, str) and "X" in gold:
        pattern = "".join("." if ch == "X" else re.escape(ch) for ch in gold)
        return re.fullmatch(pattern, pred) is not None
    if isinstance(gold, (int, float)) and isinstance(pred, (int, float)) \
            and not isinstance(gold, bool) and not isinstance(pred, bool):
        return math.isclose(float(pred), float(gold), rel_tol=1e-9, abs_tol=1e-9)
    return pred == gold


def max_matching(left: list, right: list, edge: Callable[[Any, Any], bool],
                 preference: Callable[[Any, Any], tuple] | None = None) -> list[tuple[int, int]]:
    """Maximum one-to-one pairing of `left` and `right` items (Kuhn's augmenting paths).

    Items must come sorted by content; each left item tries its candidates in order of
    `preference` (smaller first), so the pairing is deterministic and order-independent.
    """
    candidates = []
    for i, a in enumerate(left):
        options = [j for j, b in enumerate(right) if edge(a, b)]
        if preference:
            options.sort(key=lambda j: (preference(a, right[j]), j))
        candidates.append(options)
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(left)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


@dataclass
class Score:
    """Counts for one row of a table."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    norm_ok: int = 0
    norm_total: int = 0
    attr_ok: dict = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def norm_accuracy(self) -> float:
        return self.norm_ok / self.norm_total if self.norm_total else 0.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.norm_ok += other.norm_ok
        self.norm_total += other.norm_total
        for key, value in other.attr_ok.items():
            self.attr_ok[key] = self.attr_ok.get(key, 0) + value


# ---------------------------------------------------------------------------- mentions


def _mention_key(m: dict) -> tuple:
    return (m["doc_id"], m["start"], m["end"], m.get("text", ""), json.dumps(m.get("norm"), sort_keys=True))


def _overlap(a: dict, b: dict) -> bool:
    return a["doc_id"] == b["doc_id"] and a["start"] < b["end"] and b["start"] < a["end"]


def _same_offsets(a: dict, b: dict) -> bool:
    return a["doc_id"] == b["doc_id"] and a["start"] == b["start"] and a["end"] == b["end"]


def _preference(a: dict, b: dict) -> tuple:
    overlap = min(a["end"], b["end"]) - max(a["start"], b["start"])
    return (not _same_offsets(a, b), -overlap, b["start"])


def norm_agrees(label: str, pred: dict, gold: dict) -> bool:
    """The key `norm` fields of SCHEMA.md agree."""
    pn, gn = pred.get("norm") or {}, gold.get("norm") or {}
    return all(values_equal(pn.get(key), gn.get(key)) for key in NORM_KEYS[label])


def score_mentions(pred: list[dict], gold: list[dict], label: str, strict: bool) -> Score:
    """P/R counts (and, when lenient, normalisation counts) for one label."""
    pred = sorted((m for m in pred if m["label"] == label), key=_mention_key)
    required = sorted((g for g in gold if g["label"] == label and not g.get("optional")), key=_mention_key)
    optional = [g for g in gold if g["label"] == label and g.get("optional")]
    edge = _same_offsets if strict else _overlap
    pairs = max_matching(pred, required, edge, _preference)
    paired = {i for i, _ in pairs}
    score = Score(tp=len(pairs), fn=len(required) - len(pairs))
    for i, mention in enumerate(pred):
        if i not in paired and not any(edge(mention, g) for g in optional):
            score.fp += 1
    if not strict:
        score.norm_total = len(pairs)
        score.norm_ok = sum(norm_agrees(label, pred[i], required[j]) for i, j in pairs)
    return score


# ---------------------------------------------------------------------------- relations


def flatten_predicted(relations: list[dict], entities: list[dict]) -> list[dict]:
    """Predicted relations in the gold's flat, by-value shape."""
    by_id = {e["id"]: e for e in entities}

    def norm(ref: Any) -> dict:
        return (by_id.get(ref) or {}).get("norm") or {} if isinstance(ref, str) else {}

    flat = []
    for rel in relations:
        args, attrs = rel.get("args", {}), rel.get("attrs", {})
        item = {"doc_id": rel["doc_id"], "type": rel["type"]}
        if rel["type"] == "arms_transfer":
            weapon, value = norm(args.get("weapon")), norm(args.get("value"))
            item.update({
                "supplier_country": attrs.get("supplier_country"),
                "recipient_country": attrs.get("recipient_country"),
                "weapon": weapon.get("name"), "weapon_category": weapon.get("category"),
                "quantity": attrs.get("quantity"),
                "value": {"amount": value.get("amount"), "currency": value.get("currency")} if value else None,
                "date": norm(args.get("date")).get("value"),
                "status": attrs.get("status"),
            })
        elif rel["type"] == "agreement":
            item.update({"parties": sorted(attrs.get("parties") or []), "kind": attrs.get("kind"),
                         "signatory": norm(args.get("signatory")).get("name"),
                         "date": norm(args.get("date")).get("value"),
                         "place": norm(args.get("place")).get("name")})
        elif rel["type"] == "meeting":
            item.update({"participants": sorted(attrs.get("participants") or []),
                         "date": norm(args.get("date")).get("value"),
                         "place": norm(args.get("place")).get("name")})
        elif rel["type"] == "holds_role":
            item.update({"person": norm(args.get("person")).get("name"),
                         "role": attrs.get("role"), "country": attrs.get("country")})
        flat.append(item)
    return flat


def relation_key_agrees(pred: dict, gold: dict) -> bool:
    """Same document and type, and the type's key (SCHEMA.md) agrees."""
    if pred["doc_id"] != gold["doc_id"] or pred["type"] != gold["type"]:
        return False
    kind = gold["type"]
    if kind == "arms_transfer":
        if pred.get("recipient_country") != gold.get("recipient_country"):
            return False
        if gold.get("weapon"):
            return pred.get("weapon") == gold["weapon"]
        return pred.get("weapon_category") == gold.get("weapon_category")
    if kind == "agreement":
        return sorted(pred.get("parties") or []) == sorted(gold.get("parties") or [])
    if kind == "meeting":
        return sorted(pred.get("participants") or []) == sorted(gold.get("participants") or [])
    return pred.get("person") == gold.get("person")


def attribute_agrees(kind: str, attr: str, pred: dict, gold: dict) -> bool:
    p, g = pred.get(attr), gold.get(attr)
    if attr == "value":
        if not p or not g:
            return not (p or g)
        return values_equal(p.get("amount"), g.get("amount")) and p.get("currency") == g.get("currency")
    return values_equal(p, g)


def _relation_order(r: dict) -> tuple:
    return (r["doc_id"], json.dumps({k: v for k, v in r.items() if k != "evidence"},
                                    sort_keys=True, ensure_ascii=False))


def match_relations(pred: list[dict], gold: list[dict], kind: str) -> tuple[list, list, list[tuple[int, int]]]:
    """The relations of one type, sorted, and the pairs (pred index, gold index) matched."""
    pred = sorted((r for r in pred if r["type"] == kind), key=_relation_order)
    gold = sorted((r for r in gold if r["type"] == kind), key=_relation_order)
    attrs = RELATION_ATTRS[kind]

    def disagreements(p: dict, g: dict) -> tuple:
        return (sum(not attribute_agrees(kind, a, p, g) for a in attrs),)

    return pred, gold, max_matching(pred, gold, relation_key_agrees, disagreements)


def score_relations(pred: list[dict], gold: list[dict], kind: str) -> Score:
    """P/R counts and attribute agreement for one relation type."""
    pred, gold, pairs = match_relations(pred, gold, kind)
    attrs = RELATION_ATTRS[kind]
    score = Score(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs))
    score.norm_total = len(pairs)
    for i, j in pairs:
        agree = [attribute_agrees(kind, a, pred[i], gold[j]) for a in attrs]
        score.norm_ok += all(agree)
        for attr, ok in zip(attrs, agree):
            score.attr_ok[attr] = score.attr_ok.get(attr, 0) + ok
    return score


# ---------------------------------------------------------------------------- tables


@dataclass
class Evaluation:
    lenient: dict[str, Score]
    strict: dict[str, Score]
    relations: dict[str, Score]

    def total_lenient(self) -> Score:
        """The lenient mention score over every label."""
        return self.total(self.lenient)

    @staticmethod
    def total(scores: dict[str, Score]) -> Score:
        total = Score()
        for label in ENTITY_LABELS:
            total.add(scores[label])
        return total

    def table(self) -> str:
        lines = ["label      gold  pred   P_len  R_len  F1_len   P_str  R_str  F1_str   norm_acc"]
        for label in ENTITY_LABELS:
            le, st = self.lenient[label], self.strict[label]
            lines.append(f"{label:<9} {le.tp + le.fn:5d} {le.tp + le.fp:5d}   {le.precision:5.2f}  "
                         f"{le.recall:5.2f}  {le.f1:6.2f}   {st.precision:5.2f}  {st.recall:5.2f}  "
                         f"{st.f1:6.2f}   {le.norm_accuracy:8.2f}")
        total_le, total_st = self.total_lenient(), self.total(self.strict)
        lines.append(f"{'ALL':<9} {total_le.tp + total_le.fn:5d} {total_le.tp + total_le.fp:5d}   "
                     f"{total_le.precision:5.2f}  {total_le.recall:5.2f}  {total_le.f1:6.2f}   "
                     f"{total_st.precision:5.2f}  {total_st.recall:5.2f}  {total_st.f1:6.2f}   "
                     f"{total_le.norm_accuracy:8.2f}")
        lines.append("")
        lines.append("relation        gold  pred     P      R     F1   attr_acc   per attribute")
        for kind in RELATION_TYPES:
            sc = self.relations[kind]
            per_attr = "  ".join(f"{a}={sc.attr_ok.get(a, 0) / sc.tp:.2f}" if sc.tp else f"{a}=-"
                                 for a in RELATION_ATTRS[kind])
            lines.append(f"{kind:<14} {sc.tp + sc.fn:5d} {sc.tp + sc.fp:5d}  {sc.precision:5.2f}  "
                         f"{sc.recall:5.2f}  {sc.f1:5.2f}   {sc.norm_accuracy:8.2f}   {per_attr}")
        return "\n".join(lines)


def evaluate_records(pred_entities: list[dict], gold_entities: list[dict],
                     pred_relations: list[dict], gold_relations: list[dict],
                     doc_ids: Iterable[str] | None = None) -> Evaluation:
    """Score records already in memory (gold relations flat, predicted ones with ids)."""
    if doc_ids is not None:
        keep = set(doc_ids)
        pred_entities = [m for m in pred_entities if m["doc_id"] in keep]
        pred_relations = [r for r in pred_relations if r["doc_id"] in keep]
    flat = flatten_predicted(pred_relations, pred_entities)
    return Evaluation(
        lenient={label: score_mentions(pred_entities, gold_entities, label, False) for label in ENTITY_LABELS},
        strict={label: score_mentions(pred_entities, gold_entities, label, True) for label in ENTITY_LABELS},
        relations={kind: score_relations(flat, gold_relations, kind) for kind in RELATION_TYPES},
    )


def relation_details(pred_dir: Path, gold_dir: Path, kind: str) -> str:
    """Per document, the relations of one type: matched (with the attributes that differ),
    missed (gold only) and spurious (predicted only); for reading errors, not for scoring."""
    gold_docs = {d["doc_id"] for d in read_jsonl(Path(gold_dir) / "documents.jsonl")}
    relations_path = Path(pred_dir) / "relations.jsonl"
    pred_relations = [r for r in (read_jsonl(relations_path) if relations_path.exists() else [])
                      if r["doc_id"] in gold_docs]
    flat = flatten_predicted(pred_relations, read_jsonl(Path(pred_dir) / "entities.jsonl"))
    pred, gold, pairs = match_relations(flat, read_jsonl(Path(gold_dir) / "relations.jsonl"), kind)
    shown = ("supplier_country", "recipient_country", "weapon", "weapon_category", "parties",
             "participants", "person", *RELATION_ATTRS[kind])

    def brief(r: dict) -> str:
        return " ".join(f"{a}={r[a]}" for a in dict.fromkeys(shown) if a in r and r[a] is not None)

    lines = []
    matched_pred, matched_gold = {i for i, _ in pairs}, {j for _, j in pairs}
    for doc_id in sorted({r["doc_id"] for r in pred + gold}):
        lines.append(f"== {doc_id}")
        for i, j in pairs:
            if gold[j]["doc_id"] == doc_id:
                wrong = [a for a in RELATION_ATTRS[kind] if not attribute_agrees(kind, a, pred[i], gold[j])]
                diff = "; ".join(f"{a}: {pred[i].get(a)} (gold {gold[j].get(a)})" for a in wrong)
                lines.append(f"  ok    {brief(gold[j])}" + (f"   DIFF {diff}" if diff else ""))
        lines += [f"  miss  {brief(g)}" for j, g in enumerate(gold) if j not in matched_gold and g["doc_id"] == doc_id]
        lines += [f"  extra {brief(p)}" for i, p in enumerate(pred) if i not in matched_pred and p["doc_id"] == doc_id]
    return "\n".join(lines)


def evaluate_dirs(pred_dir: Path, gold_dir: Path) -> Evaluation:
    """Score `pred_dir/*.jsonl` against `gold_dir/*.jsonl`, on the gold's documents."""
    gold_docs = [d["doc_id"] for d in read_jsonl(Path(gold_dir) / "documents.jsonl")]
    relations_path = Path(pred_dir) / "relations.jsonl"
    return evaluate_records(
        read_jsonl(Path(pred_dir) / "entities.jsonl"), read_jsonl(Path(gold_dir) / "entities.jsonl"),
        read_jsonl(relations_path) if relations_path.exists() else [],
        read_jsonl(Path(gold_dir) / "relations.jsonl"),
        doc_ids=gold_docs,
    )
