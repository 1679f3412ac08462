"""Which occurrence a year-less DATE takes, by the verbs of its sentence (rules/date_direction.yaml,
pipeline/date_direction.py): the examples of the rules file and whole sentences through the
pipeline."""
from __future__ import annotations

import pytest

from pipeline.date_direction import date_direction, load_direction_rules
from pipeline.lexicons import RuleError

from relation_runs import pipeline_model, run_doc

DCT = "2023-05-10"  # a Wednesday


def first_date(text: str, dct: str = DCT):
    """The doc of `text` and its first DATE mention, through the whole pipeline."""
    doc = run_doc(pipeline_model(), text, dct)
    return doc, next(m for m in doc._.arms_mentions if m["label"] == "DATE")


EXAMPLES = [example.split(" => ") for example in load_direction_rules().examples]


@pytest.mark.model
@pytest.mark.parametrize("sentence,direction", EXAMPLES)
def test_direction_examples(sentence, direction):
    doc, date = first_date(sentence)
    start, end = date["token_start"], date["token_end"]
    sent = next(s for s in doc.sents if s.start <= start < s.end)
    assert date_direction(sent, start, end, load_direction_rules()) == direction


@pytest.mark.model
@pytest.mark.parametrize("sentence,value", [
    # a future clause: the next occurrence
    ("Le ministre se rendra à Alger lundi.", "2023-05-15"),
    ("Je reviendrai mardi à Varsovie.", "2023-05-16"),
    ("Lundi, le ministre signera l'accord à Séoul.", "2023-05-15"),
    ("Les chars seront livrés en octobre à Gdynia.", "2023-10"),
    ("Le ministre va se rendre en décembre à Varsovie.", "2023-12"),
    ("L'Élysée a indiqué que le ministre se rendrait le 3 juin à Alger.", "2023-06-03"),
    ("Le contrat doit être signé en juin à Varsovie.", "2023-06"),
    ("Selon l'armée, les chars seraient livrés en mars.", "2024-03"),
    ("Le sommet, prévu le 11 juillet à Vilnius, portera sur l'Ukraine.", "2023-07-11"),
    # a past or present clause: the most recent occurrence, as before
    ("Le ministre s'est rendu à Alger lundi.", "2023-05-08"),
    ("Les chars ont été livrés en octobre à Gdynia.", "2022-10"),
    ("L'attaque aurait fait trois morts le 3 juin près de Kharkiv.", "2022-06-03"),
    ("Le ministre serait arrivé le 3 juin à Kiev.", "2022-06-03"),
    ("Le ministre se rend à Alger lundi.", "2023-05-08"),
    # no verb: the nearer occurrence
    ("Sommet de l'OTAN le 11 juillet à Vilnius.", "2023-07-11"),
    ("Paris, le 8 mai.", "2023-05-08"),
])
def test_year_less_dates_follow_the_tense(sentence, value):
    assert first_date(sentence)[1]["norm"]["value"] == value


def test_direction_rules_are_checked(tmp_path):
    """The real file with one value broken fails at load, naming the key."""
    from pipeline.config import RULES_DIR

    real = (RULES_DIR / "date_direction.yaml").read_text(encoding="utf-8")
    (tmp_path / "date_direction.yaml").write_text(real.replace("without_verb: nearest", "without_verb: sometimes"),
                                                  encoding="utf-8")
    with pytest.raises(RuleError, match="without_verb"):
        load_direction_rules(tmp_path)


@pytest.mark.model
def test_doc_words_read_what_the_tokens_say():
    from pipeline.date_direction import DocWords, _WORDS
    from pipeline.normalize.dates import fold
    doc = run_doc(pipeline_model(), "Les frégates seront livrées à Brest ; la marine les aurait commandées.", DCT)
    words = DocWords(doc)
    for token in doc:
        word = words[token.i]
        assert (word.pos, word.lemma, word.text) == (token.pos, fold(token.lemma_), fold(token.text))
        assert word.verb_forms == tuple(token.morph.get("VerbForm"))
        assert (word.tenses, word.moods) == (tuple(token.morph.get("Tense")), tuple(token.morph.get("Mood")))
    assert words[2] is DocWords(doc)[2]  # the same word, from the memo
    _WORDS.clear()
    assert words[2] == DocWords(doc)[2]  # and the same once the memo is emptied
