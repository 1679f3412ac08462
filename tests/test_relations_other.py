"""Agreements, meetings and roles on short French sentences of our own, one construction each
(the kinds the press writes; none is taken from a real article).

Each case states what a careful reader takes from the sentence (SCHEMA.md `agreement`,
`meeting`, `holds_role`).
"""
from __future__ import annotations

import pytest

from relation_runs import pipeline_model, run

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp():
    return pipeline_model()


def of_type(relations, kind):
    return [r for r in relations if r["type"] == kind]


def parties(nlp, text):
    return sorted(a["attrs"]["parties"] for a in of_type(run(nlp, text), "agreement"))


def pairs(nlp, text):
    return sorted(m["attrs"]["participants"] for m in of_type(run(nlp, text), "meeting"))


def roles(nlp, text):
    return {r["args"]["person"]["norm"]["name"]: r["attrs"] for r in of_type(run(nlp, text), "holds_role")}


# ---------------------------------------------------------------- agreements

@pytest.mark.parametrize("text,expected", [
    # coordinated subjects
    ("Le Maroc et Israël ont signé un accord de défense en novembre 2021.", [["ISR", "MAR"]]),
    # an incise between the subjects and the verb
    ("En 2023, l'Arménie et l'Inde, après des mois de discussions, ont conclu un plan de coopération.",
     [["ARM", "IND"]]),
    # the passive agent
    ("Un accord de coopération signé en 2019 par la Grèce et Chypre encadre les exercices communs.",
     [["CYP", "GRC"]]),
    # `entre X et Y`
    ("Un traité d'amitié a été signé entre l'Italie et la Libye.", [["ITA", "LBY"]]),
    # `avec X`; the other countries of the sentence are not parties
    ("La Pologne a signé un accord-cadre avec la Corée du Sud, alors que l'Allemagne et la France "
     "proposaient leurs propres chars.", [["KOR", "POL"]]),
    # a second agreement by ellipsis
    # `avec X` between the verb and the noun
    ("Le Maroc a signé avec Israël un accord-cadre de coopération sécuritaire.", [["ISR", "MAR"]]),
    # a bare `traité` signed
    ("Moscou et Pyongyang ont signé un traité de partenariat stratégique global.", [["PRK", "RUS"]]),
    ("Le Maroc a signé un protocole d'accord avec la Turquie pour la maintenance, et un autre avec "
     "l'Inde pour la formation des pilotes.", [["IND", "MAR"], ["MAR", "TUR"]]),
    # a signatory gives his country; the venue abroad gives the other
    ("Margarita Robles, ministre espagnole de la Défense, a signé à Rabat un mémorandum d'entente.",
     [["ESP", "MAR"]]),
])
def test_agreement_parties(nlp, text, expected):
    assert parties(nlp, text) == expected


@pytest.mark.parametrize("text", [
    # consent, not an agreement
    "La France et l'Allemagne se sont mises d'accord sur le calendrier du programme.",
    "Paris et Berlin sont tombés d'accord après deux jours de discussions.",
    # a purchase called `accord`: an arms transfer
    "Le Qatar a conclu un accord avec la France pour l'acquisition de 36 Rafale.",
    "L'Indonésie a conclu un accord qui porte sur la fourniture de frégates par l'Italie.",
    # to come, hoped for, refused
    "L'Inde et la France pourraient signer un accord de coopération navale l'an prochain.",
    "Le Brésil et la Suède discutent d'un éventuel accord de défense.",
    "Le gouvernement serbe refuse de signer l'accord avec la Russie.",
    "Les Philippines et le Japon signeront un accord de défense en juillet.",
    "L'Égypte et la Russie n'ont pas signé d'accord.",
    "Les négociations sur un accord de paix entre la Russie et l'Ukraine sont au point mort.",
    "Tokyo et Manille ont engagé des pourparlers en vue de la signature d'un accord de sécurité.",
])
def test_not_an_agreement(nlp, text):
    assert parties(nlp, text) == []


def test_restatement_completes_the_agreement(nlp):
    text = ("La Grèce a signé un accord de défense avec la France. "
            "Cet accord, signé le 28 septembre 2021 à Paris, prévoit une assistance mutuelle.")
    found = of_type(run(nlp, text), "agreement")
    assert [a["attrs"]["parties"] for a in found] == [["FRA", "GRC"]]


def test_pronoun_subject_is_the_state_named_before(nlp):
    text = ("Le ministère saoudien de la Défense n'a pas répondu. Le royaume a doublé son budget militaire. "
            "Il a signé un protocole d'accord avec l'Espagne pour la production de munitions.")
    assert parties(nlp, text) == [["ESP", "SAU"]]


def test_an_alliance_of_companies_has_their_names(nlp):
    text = "Thales a conclu une alliance avec la société sud-coréenne Hanwha Aerospace."
    assert parties(nlp, text) == [["Hanwha Aerospace", "Thales"]]


# ---------------------------------------------------------------- meetings

@pytest.mark.parametrize("text,expected", [
    # a meeting verb: the subject meets the object
    ("Le président Abdelmadjid Tebboune a reçu Sergueï Choïgou à Alger.",
     [["Abdelmadjid Tebboune", "Sergueï Choïgou"]]),
    # coordinated subjects of a reciprocal verb
    ("Emmanuel Macron et Narendra Modi se sont rencontrés à New Delhi le 26 janvier 2024.",
     [["Emmanuel Macron", "Narendra Modi"]]),
    # `lors d'un entretien avec`
    ("Olaf Scholz a évoqué la livraison de chars lors d'un entretien avec Volodymyr Zelensky.",
     [["Olaf Scholz", "Volodymyr Zelensky"]]),
    # a visit: the visitor meets the host
    ("Lors de la visite de Volodymyr Zelensky à Washington, Joe Biden a annoncé une aide militaire.",
     [["Joe Biden", "Volodymyr Zelensky"]]),
    # a trip, then the meeting in a relative clause
    ("Kim Jong-un s'est rendu en Russie, où il a rencontré Vladimir Poutine.",
     [["Kim Jong-un", "Vladimir Poutine"]]),
    # co-presence: coordinated subjects of any verb with `ensemble`
    ("Olaf Scholz et Emmanuel Macron ont inauguré ensemble une usine d'obus à Bourges.",
     [["Emmanuel Macron", "Olaf Scholz"]]),
    # one relation per pair
    ("Joe Biden a reçu Volodymyr Zelensky à la Maison Blanche. Biden et Zelensky se sont ensuite "
     "entretenus pendant deux heures.", [["Joe Biden", "Volodymyr Zelensky"]]),
])
def test_meeting_pairs(nlp, text, expected):
    assert pairs(nlp, text) == expected


@pytest.mark.parametrize("text", [
    "Olaf Scholz a annulé sa rencontre avec Emmanuel Macron.",
    "Joe Biden rencontrera Volodymyr Zelensky à Washington.",
    "Olaf Scholz pourrait recevoir Emmanuel Macron à Berlin.",
    "Emmanuel Macron a reporté sa visite à Varsovie, où il devait être reçu par Andrzej Duda.",
    "Benyamin Netanyahou s'est entretenu par téléphone avec Joe Biden.",
    "Joe Biden a reçu un appel de Volodymyr Zelensky.",
])
def test_not_a_meeting(nlp, text):
    assert pairs(nlp, text) == []


def test_meeting_date_and_place(nlp):
    found = of_type(run(nlp, "Emmanuel Macron et Narendra Modi se sont rencontrés à New Delhi le 26 janvier 2024."),
                    "meeting")
    assert found[0]["args"]["place"]["norm"]["name"] == "New Delhi"
    assert found[0]["args"]["date"]["norm"]["value"] == "2024-01-26"


def test_a_title_stands_for_the_person_and_the_visit_gives_date_and_place(nlp):
    text = ("Le jeudi 12 octobre 2023, le chef de l'Etat français, Emmanuel Macron, est arrivé en visite à Athènes. "
            "Le président de la République a tenu une conférence commune avec son homologue grec, "
            "Kyriakos Mitsotakis.")
    relations = run(nlp, text)
    meetings = of_type(relations, "meeting")
    assert [m["attrs"]["participants"] for m in meetings] == [["Emmanuel Macron", "Kyriakos Mitsotakis"]]
    assert meetings[0]["args"]["place"]["norm"]["name"] == "Athènes"
    assert meetings[0]["args"]["date"]["norm"]["value"] == "2023-10-12"
    found = {r["args"]["person"]["norm"]["name"]: r["attrs"] for r in of_type(relations, "holds_role")}
    # the periphrasis is worded as the title the text gives after
    assert found["Emmanuel Macron"] == {"role": "président de la république", "country": "FRA"}
    assert "Kyriakos Mitsotakis" not in found or found["Kyriakos Mitsotakis"]["role"] != "président de la république"


def test_a_visit_place_after_the_visit_word(nlp):
    text = ("En visite sur la base aérienne de Gilze-Rijen le 3 mars 2024, le président ukrainien "
            "a reçu du Premier ministre néerlandais Mark Rutte la promesse de nouveaux F-16.")
    text = "Volodymyr Zelensky a obtenu ce qu'il voulait. " + text
    relations = run(nlp, text)
    meetings = of_type(relations, "meeting")
    assert [m["attrs"]["participants"] for m in meetings] == [["Mark Rutte", "Volodymyr Zelensky"]]
    assert meetings[0]["args"]["date"]["norm"]["value"] == "2024-03-03"
    found = {r["args"]["person"]["norm"]["name"]: r["attrs"] for r in of_type(relations, "holds_role")}
    assert found["Volodymyr Zelensky"] == {"role": "président", "country": "UKR"}


# ---------------------------------------------------------------- roles

def test_the_whole_function_is_kept(nlp):
    found = roles(nlp, "La secrétaire d'État française aux Anciens combattants, Patricia Mirallès, "
                       "a présenté le budget.")
    assert found["Patricia Mirallès"] == {"role": "secrétaire d'état aux anciens combattants", "country": "FRA"}


def test_the_country_of_the_complement_is_not_in_the_role(nlp):
    found = roles(nlp, "« Ces hélicoptères nous manquent », a reconnu le général Karl Huber, "
                       "directeur national de l'armement de la Belgique.")
    assert found["Karl Huber"] == {"role": "directeur national de l'armement", "country": "BEL"}


def test_the_apostrophe_is_the_text_s(nlp):
    found = roles(nlp, "Le Maroc souhaite des F-35, a indiqué le chef d’état-major de l’armée de terre, le général Karim Tazi.")
    assert found["Karim Tazi"]["role"] == "chef d’état-major de l’armée de terre"


def test_each_person_keeps_their_own_title(nlp):
    found = roles(nlp, "La réunion a eu lieu devant le président sortant, Mauricio Macri, "
                       "et le président élu, Alberto Fernández.")
    assert found["Mauricio Macri"]["role"] == "président"
    assert found["Alberto Fernández"]["role"] == "président élu"


def test_a_singular_title_is_not_shared_but_a_plural_one_is(nlp):
    found = roles(nlp, "Les ministres de la Défense Manohar Parrikar et Jean-Yves Le Drian ont signé le texte.")
    assert found["Manohar Parrikar"]["role"] == found["Jean-Yves Le Drian"]["role"] == "ministre de la défense"
    found = roles(nlp, "Le président Andrzej Duda et Mateusz Morawiecki ont visité l'usine.")
    assert found["Andrzej Duda"]["role"] == "président"
    assert "Mateusz Morawiecki" not in found


def test_a_former_role_is_not_held(nlp):
    found = roles(nlp, "Joe Biden a reçu à Washington le chancelier de l'époque, Olaf Scholz, en mars 2022.")
    assert "Olaf Scholz" not in found
    assert roles(nlp, "L'ancien ministre de la Défense Hervé Morin a critiqué le contrat.") == {}


def test_the_country_of_the_organisation_in_the_title(nlp):
    found = roles(nlp, "Le PDG de Dassault Aviation, Éric Trappier, a salué la commande.")
    assert found["Éric Trappier"] == {"role": "pdg", "country": "FRA"}


def test_a_title_does_not_reach_across_another_phrase(nlp):
    found = roles(nlp, "Le président a salué, lors d'une conférence commune avec son homologue grec, "
                       "Kyriakos Mitsotakis, un choix historique.")
    assert "Kyriakos Mitsotakis" not in found or found["Kyriakos Mitsotakis"]["role"] != "président"


def test_a_title_after_a_verb_is_the_next_person_s(nlp):
    found = roles(nlp, "Rajnath Singh a rencontré Sébastien Lecornu, a indiqué le porte-parole Bharat Bhushan Babu.")
    assert "Sébastien Lecornu" not in found
    assert found["Bharat Bhushan Babu"]["role"] == "porte-parole"


def test_the_counterpart_s_nationality(nlp):
    found = roles(nlp, "Le général Thierry Burkhard, chef d'état-major des armées, et son homologue britannique, "
                       "l'amiral Tony Radakin, ont signé une lettre d'intention.")
    assert found["Tony Radakin"] == {"role": "amiral", "country": "GBR"}


def test_the_role_country_falls_back_on_the_sentence(nlp):
    found = roles(nlp, "À Séoul, le ministre de la Défense Kim Yong-hyun a salué un partenariat historique.")
    assert found["Kim Yong-hyun"] == {"role": "ministre de la défense", "country": "KOR"}
