"""Pure parts of the resolver, on hand-made records and candidates (no model)."""
from __future__ import annotations

from pipeline.resolve import Candidate, choose_longest, drop_descriptions_around_names, settle_currencies


def money(text, currency):
    return {"label": "MONEY", "text": text, "norm": {"amount": 1, "currency": currency, "qualifier": "exact"}}


def place(country):
    return {"label": "LOC", "text": "x", "norm": {"name": "x", "type": "country", "country": country}}


def test_bare_dinars_take_the_documents_country():
    records = [place("DZA"), place("DZA"), place("FRA"), money("2 milliards de dinars", None)]
    settle_currencies(records)
    assert records[-1]["norm"]["currency"] == "DZD"


def test_bare_roupies_in_an_indonesian_article():
    records = [place("IDN"), money("8 000 milliards de roupies", "INR")]
    settle_currencies(records)
    assert records[-1]["norm"]["currency"] == "IDR"


def test_bare_francs_after_spelt_out_swiss_francs():
    records = [place("FRA"), money("6 milliards de francs suisses", "CHF"), money("2 milliards de francs", None)]
    settle_currencies(records)
    assert records[-1]["norm"]["currency"] == "CHF"


def test_settled_words_are_left_alone():
    records = [place("CAN"), money("50 millions de dollars", "USD")]
    settle_currencies(records)
    assert records[-1]["norm"]["currency"] == "USD"


def test_longest_candidate_wins_then_label_priority():
    year = Candidate("DATE", 3, 4, "rules", "pattern", "date_year")
    weapon = Candidate("WEAPON", 2, 4, "rules", "lexicon", "Mirage 2000")
    same_span_org = Candidate("ORG", 10, 11, "rules", "lexicon", "X")
    same_span_weapon = Candidate("WEAPON", 10, 11, "rules", "lexicon", "X")
    chosen = choose_longest([year, weapon, same_span_org, same_span_weapon])
    assert weapon in chosen and year not in chosen
    assert same_span_weapon in chosen and same_span_org not in chosen


def test_a_description_gives_way_to_the_name_inside_it():
    description = Candidate("ORG", 0, 8, "rules", "pattern", "org_general_staff")
    name = Candidate("ORG", 3, 8, "rules", "lexicon", "Forces armées royales")
    assert drop_descriptions_around_names([description, name]) == [name]


def test_a_failing_step_leaves_a_warning_and_empty_output():
    import spacy
    from spacy.tokens import Doc

    from pipeline import components  # noqa: F401  (registers the Doc extensions)
    from pipeline.resolve import run_guarded
    doc = spacy.blank("fr")("Un texte.")
    doc._.arms_source = {"doc_id": "x", "warnings": []}

    def broken(_doc: Doc) -> Doc:
        raise KeyError("boom")
    assert run_guarded(doc, broken, "relation extraction", "relations") is doc
    assert doc._.arms_relations == []
    assert doc._.arms_source["warnings"] == ["relation extraction failed (KeyError: 'boom'); no relations written"]
