"""srsly's msgpack hooks read once (pipeline/msgpack_hooks.py): the same functions, a doc
round trip unchanged, a later registration still seen, and no entry-point scan per call."""
from __future__ import annotations

import catalogue
import numpy
import spacy
import srsly
import srsly.msgpack as packing

from pipeline.msgpack_hooks import KeptRegistry, keep_msgpack_hooks


def test_the_kept_registries_give_srslys_functions():
    originals = {name: getattr(packing, name) for name in ("msgpack_encoders", "msgpack_decoders")}
    originals = {name: (r.registry if isinstance(r, KeptRegistry) else r) for name, r in originals.items()}
    keep_msgpack_hooks()
    keep_msgpack_hooks()  # idempotent: no view of a view
    for name, registry in originals.items():
        kept = getattr(packing, name)
        assert isinstance(kept, KeptRegistry) and kept.registry is registry
        assert kept.get_all() == registry.get_all() and "numpy" in kept.get_all()
    array = numpy.arange(6, dtype="float32").reshape(2, 3)
    assert (srsly.msgpack_loads(srsly.msgpack_dumps({"a": array}))["a"] == array).all()


def test_a_doc_crosses_unchanged():
    keep_msgpack_hooks()
    nlp = spacy.blank("fr")
    doc = nlp("Le Brésil a reçu quatre sous-marins Scorpène.")
    doc.tensor = numpy.ones((len(doc), 4), dtype="float32")
    again = spacy.tokens.Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert [t.text for t in again] == [t.text for t in doc] and (again.tensor == doc.tensor).all()


def test_entry_points_are_read_once_and_a_new_function_is_seen(monkeypatch):
    keep_msgpack_hooks()
    kept = packing.msgpack_encoders
    scans = []
    original = type(kept.registry).get_entry_points
    monkeypatch.setattr(type(kept.registry), "get_entry_points", lambda self: scans.append(1) or original(self))
    kept.get_all()
    before = len(scans)
    for _ in range(5):
        srsly.msgpack_dumps({"x": 1})
    assert len(scans) == before

    def passing(obj, chain=None):
        return obj if chain is None else chain(obj)
    key = ("srsly", "msgpack_encoders", "test_passing")
    try:
        kept.registry.register("test_passing", func=passing)
        assert kept.get_all()["test_passing"] is passing
    finally:
        catalogue.REGISTRY.pop(key, None)
    assert "test_passing" not in kept.get_all()
