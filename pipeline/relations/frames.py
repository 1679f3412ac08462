"""Deals at the document level: the statements of one transfer, made in several sentences,
become one relation.

A restatement (same recipient country and weapon, and no conflicting supplier country,
quantity or date) is merged into the first statement, which keeps the most complete
attributes; different deals for the same weapon stay apart.
"""
from __future__ import annotations

from .rules import RelationRules
from .transfers import sentence_transfers
from .view import DocView


def document_transfers(view: DocView, rules: RelationRules) -> list[dict]:
    """The arms transfers of a document, one per weapon and batch."""
    carry: dict = {}
    statements = [r for s in range(len(view.sents)) for r in sentence_transfers(view, rules, s, carry)]
    return merge_transfers(statements)


def merge_transfers(relations: list[dict]) -> list[dict]:
    """One relation per transfer: restatements merged into the first statement."""
    merged: list[dict] = []
    for rel in relations:
        rel.pop("trigger")
        key = (rel["attrs"]["recipient_country"], rel.pop("weapon_key"))
        rel["_key"] = key
        kept = next((m for m in merged if m["_key"] == key and compatible(m, rel)), None)
        if kept is None:
            merged.append(rel)
            continue
        for role, value in rel["args"].items():
            kept["args"].setdefault(role, value)
        for attr, value in rel["attrs"].items():
            if kept["attrs"].get(attr) is None and value is not None:
                kept["attrs"][attr] = value
        kept.setdefault("_dates", set()).update(rel.get("_dates", set()))
    for rel in merged:
        rel.pop("_key")
        rel.pop("_dates", None)
    return merged


def compatible(a: dict, b: dict) -> bool:
    """Two statements of one transfer: no attribute or date they both give differs."""
    for attr in ("supplier_country", "quantity"):
        if a["attrs"].get(attr) is not None and b["attrs"].get(attr) is not None \
                and a["attrs"][attr] != b["attrs"][attr]:
            return False
    return not (a.get("_dates") and b.get("_dates") and not a["_dates"] & b["_dates"])
