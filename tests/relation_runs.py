"""The model tests' way to run the pipeline on a sentence of their own: one model for the
test session, the doc, and the relations with their arguments resolved to mentions."""
from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def pipeline_model():
    from pipeline.nlp import build_nlp
    return build_nlp()


def run_doc(nlp, text, dct="2023-05"):
    """The doc of `text` (published at `dct`) through the whole pipeline."""
    doc = nlp.make_doc(text)
    doc._.arms_source = {"doc_id": "t", "dct": {"value": dct, "source": "metadata"}}
    return nlp(doc)


def run(nlp, text, dct="2023-05"):
    """The relations of `text` (published at `dct`), each argument replaced by its mention."""
    doc = run_doc(nlp, text, dct)
    mentions = doc._.arms_mentions

    def resolve(value):
        return [mentions[i] for i in value] if isinstance(value, list) else mentions[value]
    return [{**r, "args": {k: resolve(v) for k, v in r["args"].items()}} for r in doc._.arms_relations]
