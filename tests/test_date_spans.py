"""DATE spans in whole sentences through the pipeline: the written forms of
rules/patterns/dates.yaml and the `not_followed_by` refusals that need the model's parts of
speech (`le 20 heures`, `en mars 40 chars`)."""
from __future__ import annotations

import pytest

from relation_runs import pipeline_model, run_doc

pytestmark = pytest.mark.model

DCT = "2023-05-10"  # a Wednesday


def dates(text: str, dct: str = DCT) -> list[tuple[str, str | None]]:
    """(text, value) of the DATE mentions of `text`, through the whole pipeline."""
    doc = run_doc(pipeline_model(), text, dct)
    return [(m["text"], m["norm"]["value"]) for m in doc._.arms_mentions if m["label"] == "DATE"]


@pytest.mark.parametrize("sentence,expected", [
    # a year in two digits
    ("En juillet 98, la France a commandé ses premiers chars Leclerc.", [("juillet 98", "1998-07")]),
    ("Le contrat signé le 1er avril 78 courait sur dix ans.", [("1er avril 78", "1978-04-01")]),
    ("Le bordereau daté 18 08 78 a été retrouvé dans les archives.", [("18 08 78", "1978-08-18")]),
    ("Le procès-verbal du 3-7-07 mentionne les obus.", [("3-7-07", "2007-07-03")]),
    # a day alone, a weekday and its day
    ("Le ministre arrivera à Varsovie le 23.", [("le 23", "2023-05-23")]),
    ("Les chars arriveront mercredi 13 à Gdynia.", [("mercredi 13", "2023-09-13")]),
    # the month of this year, a weekday of this month
    ("Les livraisons reprennent en ce mois de septembre.", [("ce mois de septembre", "2023-09")]),
    ("La revue a eu lieu le premier vendredi de ce mois.", [("premier vendredi de ce mois", "2023-05-05")]),
    # numbers set apart oddly
    ("Un rapport daté 11/ 2016 chiffre les exportations.", [("11/ 2016", "2016-11")]),
    ("Un rapport daté 2016 - 11 chiffre les exportations.", [("2016 - 11", "2016-11")]),
    ("Le formulaire américain daté 02/22/2016 vise des F-16.", [("02/22/2016", "2016-02-22")]),
    ("Le communiqué du 12 janvier, 2018 annonce la vente.", [("12 janvier, 2018", "2018-01-12")]),
    ("Dans les années 80's, Bagdad achetait des Mirage F1.", [("années 80's", "198X")]),
    # an offset from the date just narrated
    ("Le contrat est signé le 3 mars 2022. Deux jours après, les chars partent.",
     [("3 mars 2022", "2022-03-03"), ("Deux jours après", "2022-03-05")]),
    ("La commande date du 3 mars 2022. La réunion du jour suivant l'a confirmée.",
     [("3 mars 2022", "2022-03-03"), ("jour suivant", "2022-03-04")]),
])
def test_written_forms(sentence, expected):
    assert dates(sentence) == expected


@pytest.mark.parametrize("sentence,expected", [
    # each sentence holds one of the new forms, and a look-alike refused by what follows it
    ("Le 20 heures a annoncé que le ministre arrivera le 23.", [("le 23", "2023-05-23")]),
    ("Le 1er régiment de chasseurs partira le 23 pour Vilnius.", [("le 23", "2023-05-23")]),
    ("En mars 40 chars ont été livrés, comme en juillet 98.", [("mars", "2023-03"), ("juillet 98", "1998-07")]),
    ("Le ministre partira le 23 ; la délégation, le 16 et le 17 juillet.",
     [("le 23", "2023-05-23"), ("17 juillet", "2023-07-17")]),
    ("Depuis le 18 08 78, le standard répond au 01 45 20 02 14.", [("18 08 78", "1978-08-18")]),
    ("Le 3 mars 2022, deux jours après l'attaque, Kiev a signé. Un an après, les chars sont arrivés.",
     [("3 mars 2022", "2022-03-03"), ("Un an après", "2023")]),
])
def test_what_follows_refuses_a_date(sentence, expected):
    assert dates(sentence) == expected
