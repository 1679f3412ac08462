"""The relation stage on short French sentences of the kinds the press writes (not the seeds).

Each case states what a careful reader takes from the sentence; the pipeline must agree on
the key facts (recipient and supplier countries, weapon, quantity, status, date, value).
"""
from __future__ import annotations

import pytest

from relation_runs import pipeline_model, run

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp():
    return pipeline_model()


def transfers(relations):
    return [r for r in relations if r["type"] == "arms_transfer"]


@pytest.mark.parametrize("text,weapon,recipient,supplier,quantity,status", [
    ("La Pologne a commandé 980 chars K2 à la Corée du Sud en 2022.", "K2", "POL", "KOR", 980, "ordered"),
    ("En 2015, la France a vendu 24 Rafale à l'Égypte pour 5,2 milliards d'euros.", "Rafale", "EGY", "FRA", 24, "delivered"),
    ("L'Inde a signé un contrat pour l'achat de 36 Rafale.", "Rafale", "IND", "FRA", 36, "ordered"),
    ("Selon la presse, l'Algérie aurait acquis des Su-57 auprès de la Russie.", "Su-57", "DZA", "RUS", None, "alleged"),
    ("Dassault Aviation livrera douze Rafale à la Grèce l'année prochaine.", "Rafale", "GRC", "FRA", 12, "planned"),
    ("Les États-Unis ont approuvé la vente de F-16 à la Turquie.", "F-16", "TUR", "USA", None, "planned"),
    ("Varsovie a reçu mardi ses premiers obusiers K9 sud-coréens.", "K9", "POL", "KOR", None, "delivered"),
    ("Kiev a démenti avoir reçu des missiles Storm Shadow du Royaume-Uni.", "SCALP", "UKR", "GBR", None, "alleged"),
    ("Les Forces armées royales envisagent de commander une douzaine de drones Bayraktar TB2.",
     "Bayraktar TB2", "MAR", "TUR", 12, "negotiating"),
    ("Les Pays-Bas ont promis des chasseurs F-16 à l'Ukraine.", "F-16", "UKR", "NLD", None, "planned"),
    ("Dix chars K2 sud-coréens ont été débarqués à Gdynia, en Pologne.", "K2", "POL", "KOR", 10, "delivered"),
    ("L'Allemagne a prêté quatorze chars Leopard 2 à la Slovaquie.", "Leopard 2", "SVK", "DEU", 14, "delivered"),
    ("Paris a fait la promesse de livrer des canons Caesar à l'Arménie.", "Caesar", "ARM", "FRA", None, "planned"),
    # a maker signs with the buyer (`avec`, before or after the deal noun)
    ("Saab a conclu avec la Thaïlande un contrat portant sur quatre Gripen.", "Gripen", "THA", "SWE", 4, "ordered"),
    ("Airbus a signé un contrat pour six hélicoptères H145M avec la Bolivie.", "H145M", "BOL", "DEU", 6, "ordered"),
    # the agent of the deal noun is its buyer, whoever reports the deal
    ("Le ministère de la Défense a confirmé la commande de 26 Rafale par la Grèce.", "Rafale", "GRC", "FRA", 26,
     "ordered"),
    # a reflexive supplier verb: the subject buys for itself
    ("Le Maroc s'est offert 24 hélicoptères Apache auprès de Boeing.", "Apache", "MAR", "USA", 24, "delivered"),
    # a demonym that is not the system's origin names its owner
    ("Les premiers Rafale indonésiens seront livrés en 2026.", "Rafale", "IDN", "FRA", None, "planned"),
    # with a buyer named, such a demonym names the seller (second hand)
    ("Le gouvernement argentin a finalisé l'acquisition de 24 F-16 danois.", "F-16", "ARG", "DNK", 24, "delivered"),
    # a relative clause on a party, by an indirect relative pronoun; its pronoun subject is
    # the main clause's subject
    ("Le Qatar a choisi la France, à qui il a commandé 24 Rafale.", "Rafale", "QAT", "FRA", 24, "ordered"),
    ("La Grèce remercie l'Allemagne, à laquelle elle a acheté six sous-marins Type 214.", "Type 214", "GRC", "DEU", 6,
     "delivered"),
    # an option taken up is an order
    ("L'Égypte a exercé son option pour 30 Rafale de plus.", "Rafale", "EGY", "FRA", 30, "ordered"),
    # a recipient by a preposition of several words, or in the system's own phrase
    ("Thales fournira des radars Ground Master 400 au profit de l'armée indonésienne.", "Ground Master", "IDN",
     "FRA", None, "planned"),
    ("Des missiles Mistral 3 à destination de Chypre ont été livrés en mars.", "Mistral", "CYP", "FRA", None,
     "delivered"),
    # awaiting a delivery: the subject is the buyer, the delivery still to come
    ("L'Ukraine attend la livraison de chars Leopard 1 allemands.", "Leopard 1", "UKR", "DEU", None, "planned"),
    # an approval given to the deal: still to come
    ("Berlin a donné son accord à l'exportation de chars Leopard 2 vers le Qatar.", "Leopard 2", "QAT", "DEU", None,
     "planned"),
    # a demonym that names the buyer named as the destination too is not the seller
    ("Les quatre premiers Rafale serbes ont atterri à Belgrade en 2025.", "Rafale", "SRB", "FRA", 4, "delivered"),
    # a system of no known origin: the country of its maker
    ("Deux frégates FREMM construites en Italie ont été transférées à l'Égypte en 2020.", "FREMM", "EGY", "ITA", 2,
     "delivered"),
    # an infinitive after a verb of intention, however parsed: still to come; `venir de`: just done
    ("Varsovie compte acquérir 96 hélicoptères Apache auprès des États-Unis.", "Apache", "POL", "USA", 96, "planned"),
    ("Le Maroc vient de recevoir ses premiers hélicoptères Apache.", "Apache", "MAR", "USA", None, "delivered"),
    # a finite verb the parse hangs on its subject as a modifier: that noun is the subject
    ("L'Égypte négocie avec la Chine l'achat de chasseurs J-10C.", "J-10", "EGY", "CHN", None, "negotiating"),
    # a deal noun as passive subject: the agent signs it
    ("Le contrat pour 18 Rafale a été signé en janvier par la Grèce.", "Rafale", "GRC", "FRA", 18, "ordered"),
    # what an order covers has the order's stage, not the content verb's plan
    ("La commande prévoit la livraison de trois frégates FDI à la Grèce.", "FDI", "GRC", "FRA", 3, "ordered"),
])
def test_arms_transfer(nlp, text, weapon, recipient, supplier, quantity, status):
    found = transfers(run(nlp, text))
    assert len(found) == 1, found
    rel = found[0]
    assert rel["args"]["weapon"]["norm"]["name"] == weapon
    assert rel["attrs"]["recipient_country"] == recipient
    assert rel["attrs"]["supplier_country"] == supplier
    assert rel["attrs"]["quantity"] == quantity
    assert rel["attrs"]["status"] == status


def test_value_and_date_belong_to_the_deal(nlp):
    rel = transfers(run(nlp, "En 2015, la France a vendu 24 Rafale à l'Égypte pour 5,2 milliards d'euros."))[0]
    assert rel["args"]["value"]["norm"]["amount"] == 5_200_000_000
    assert rel["args"]["value"]["norm"]["currency"] == "EUR"
    assert rel["args"]["date"]["norm"]["value"] == "2015"


def test_coordinated_weapons_give_one_transfer_each(nlp):
    found = transfers(run(nlp, "Le Maroc envisage de commander des drones israéliens de type Harpy et Harop."))
    assert sorted(r["args"]["weapon"]["norm"]["name"] for r in found) == ["Harop", "Harpy"]
    assert {r["attrs"]["supplier_country"] for r in found} == {"ISR"}


def test_a_weapon_merely_mentioned_is_no_transfer(nlp):
    assert transfers(run(nlp, "Le Rafale a effectué son premier vol en 1986 au-dessus d'Istres.")) == []
    found = transfers(run(nlp, "L'Inde a livré au Népal un système de défense aérienne destiné à contrer "
                               "des hélicoptères et des drones."))
    assert [r["args"]["weapon"]["norm"]["category"] for r in found] == ["air_defense"]


def test_restatements_merge_but_different_deals_do_not(nlp):
    text = ("En 2015, l'Égypte a acheté 24 Rafale à la France. Les Rafale égyptiens ont été livrés par la France. "
            "En 2021, l'Égypte a commandé 30 Rafale supplémentaires.")
    found = transfers(run(nlp, text))
    assert sorted(r["attrs"]["quantity"] or 0 for r in found) == [24, 30]


def test_roles_and_meetings(nlp):
    relations = run(nlp, "Le ministre indien de la Défense, Rajnath Singh, a rencontré son homologue "
                         "français Sébastien Lecornu à Paris.")
    roles = {r["args"]["person"]["norm"]["name"]: r["attrs"] for r in relations if r["type"] == "holds_role"}
    assert roles["Rajnath Singh"] == {"role": "ministre de la défense", "country": "IND"}
    meetings = [r for r in relations if r["type"] == "meeting"]
    assert [m["attrs"]["participants"] for m in meetings] == [["Rajnath Singh", "Sébastien Lecornu"]]
    assert meetings[0]["args"]["place"]["norm"]["name"] == "Paris"


def test_agreement_parties_are_countries_not_the_venue(nlp):
    relations = run(nlp, "Le Maroc et Israël ont signé à Genève un mémorandum d'entente le 3 décembre 2021.")
    agreements = [r for r in relations if r["type"] == "agreement"]
    assert len(agreements) == 1
    assert agreements[0]["attrs"] == {"parties": ["ISR", "MAR"], "kind": "mémorandum d'entente"}
    assert agreements[0]["args"]["place"]["norm"]["name"] == "Genève"
    assert agreements[0]["args"]["date"]["norm"]["value"] == "2021-12-03"


def test_unsigned_bare_agreement_is_not_one(nlp):
    relations = run(nlp, "La France et l'Inde ont évoqué un accord sur les sous-marins.")
    assert [r for r in relations if r["type"] == "agreement"] == []


def test_an_agreement_that_could_be_signed_is_not_one(nlp):
    relations = run(nlp, "Un accord de défense pourrait être signé entre le Maroc et Israël en 2026.")
    assert [r for r in relations if r["type"] == "agreement"] == []


def test_les_deux_pays_are_the_two_countries_just_named(nlp):
    relations = run(nlp, "L'Égypte a renforcé sa coopération militaire avec la France en 2021. "
                         "Les deux pays ont en outre conclu un accord de coopération.")
    agreements = [r for r in relations if r["type"] == "agreement"]
    assert [a["attrs"]["parties"] for a in agreements] == [["EGY", "FRA"]]


def test_pronoun_subject_takes_the_previous_sentences_subject(nlp):
    text = ("La Pologne a cédé à l'Ukraine 240 chars T-72 au printemps. "
            "Elle a aussi commandé 250 chars Abrams aux États-Unis.")
    found = {r["args"]["weapon"]["norm"]["name"]: r["attrs"] for r in transfers(run(nlp, text))}
    assert found["T-72"]["recipient_country"] == "UKR"
    assert found["M1 Abrams"]["recipient_country"] == "POL"
    assert found["M1 Abrams"]["supplier_country"] == "USA"


def test_generic_noun_then_named_system_is_one_transfer_of_the_named_one(nlp):
    found = transfers(run(nlp, "Varsovie a décidé d'acheter des drones turcs : 24 Bayraktar TB2."))
    assert [(r["args"]["weapon"]["norm"]["name"], r["attrs"]["quantity"]) for r in found] == [("Bayraktar TB2", 24)]


def test_a_competitor_is_not_bought(nlp):
    found = transfers(run(nlp, "La Suisse a acheté le F-35 devant le Rafale de Dassault Aviation."))
    assert [r["args"]["weapon"]["norm"]["name"] for r in found] == ["F-35"]


def test_a_ship_name_is_not_a_person(nlp):
    doc = nlp.make_doc("La marine royale a reçu en 2014 la frégate multimissions FREMM Mohammed VI. "
                       "Le roi Mohammed VI a salué l'arrivée de la frégate, rebaptisée Tahya Misr.")
    doc._.arms_source = {"doc_id": "t", "dct": {"value": None, "source": None}}
    persons = [(m["text"], m["start"]) for m in nlp(doc)._.arms_mentions if m["label"] == "PER"]
    assert persons == [("Mohammed VI", doc.text.index("Mohammed VI a salué"))]


def test_a_system_coordinated_with_a_competitor_is_a_competitor_too(nlp):
    text = ("La Grèce a choisi le F-35 de Lockheed Martin, devant le Rafale de Dassault Aviation "
            "et l'Eurofighter Typhoon d'Airbus.")
    weapons = [r["args"]["weapon"]["norm"]["name"] for r in transfers(run(nlp, text))]
    assert "Rafale" not in weapons and "Eurofighter Typhoon" not in weapons


def test_a_company_is_not_taken_for_the_recipient(nlp):
    text = ("La Suisse a acheté le F-35. La conseillère fédérale a défendu « l'offre la plus avantageuse », "
            "devant Dassault Aviation avec le Rafale et Airbus avec l'Eurofighter Typhoon.")
    found = transfers(run(nlp, text))
    assert found
    for rel in found:
        assert (rel["args"].get("recipient") or {}).get("norm", {}).get("type") != "company", rel
        assert rel["attrs"]["recipient_country"] != "FRA", rel


def test_a_deal_noun_subject_of_a_content_verb_is_the_trigger(nlp):
    text = ("Varsovie a commandé 48 FA-50 à la Corée du Sud en juillet. Un deuxième contrat, conclu "
            "fin août, porte sur 180 chars K2 pour 3,37 milliards de dollars.")
    k2 = [r for r in transfers(run(nlp, text, dct="2022-12")) if r["args"]["weapon"]["norm"]["name"] == "K2"]
    assert len(k2) == 1
    assert k2[0]["attrs"]["recipient_country"] == "POL" and k2[0]["attrs"]["quantity"] == 180
    assert k2[0]["attrs"]["status"] == "ordered"
    assert k2[0]["args"]["value"]["norm"]["amount"] == 3_370_000_000


@pytest.mark.parametrize("text,status", [
    ("Selon la presse, l'Algérie aurait signé une commande de 14 Su-35 auprès de la Russie.", "alleged"),
    ("La vente de 24 Rafale à l'Égypte sera signée lundi.", "planned"),
    ("L'Inde a signé la commande de 36 Rafale.", "ordered"),
])
def test_a_deal_noun_takes_the_mood_and_tense_of_its_verb(nlp, text, status):
    found = transfers(run(nlp, text))
    assert len(found) == 1 and found[0]["attrs"]["status"] == status, found


# ---------------------------------------------------------------- deals across the document

def by_recipient(relations):
    return {r["attrs"]["recipient_country"]: r for r in transfers(relations)}


def test_a_generic_noun_stands_for_the_named_system_and_stages_merge_at_the_latest(nlp):
    text = ("En 2019, l'Inde a commandé 36 Rafale à la France. "
            "Les 36 appareils ont tous été livrés en 2022.")
    found = transfers(run(nlp, text))
    assert len(found) == 1, found
    rel = found[0]
    assert rel["args"]["weapon"]["norm"]["name"] == "Rafale"
    assert (rel["attrs"]["status"], rel["args"]["date"]["norm"]["value"]) == ("delivered", "2022")


def test_the_pronoun_en_stands_for_the_system_named_before(nlp):
    text = ("Le Rafale a convaincu ses voisins : la Grèce en aligne vingt-quatre, "
            "puis la Croatie qui en a acquis douze d'occasion.")
    found = by_recipient(run(nlp, text))
    assert {k: (v["attrs"]["quantity"], v["args"]["weapon"]["norm"]["name"]) for k, v in found.items()} == \
        {"GRC": (24, "Rafale"), "HRV": (12, "Rafale")}


def test_a_contract_without_its_weapon_gives_the_recipient_and_the_stage(nlp):
    text = ("Naval Group a signé un contrat avec la marine royale marocaine. "
            "Le constructeur français fournira deux frégates FREMM.")
    found = transfers(run(nlp, text))
    assert [(r["attrs"]["recipient_country"], r["attrs"]["supplier_country"], r["attrs"]["quantity"],
             r["attrs"]["status"]) for r in found] == [("MAR", "FRA", 2, "ordered")]


def test_no_recipient_is_carried_over_from_an_unrelated_earlier_deal(nlp):
    # another supplier, another kind of system: nothing ties the last sentence to Egypt
    text = ("L'Égypte a reçu ses premiers Rafale en 2015. Le ministre a longuement parlé de la météo. "
            "Des obusiers K9 seront livrés l'an prochain.")
    assert "K9" not in {r["args"]["weapon"]["norm"]["name"] for r in transfers(run(nlp, text))}


def test_coordinated_recipients_each_get_the_deal(nlp):
    text = "Washington a approuvé la vente de lance-roquettes HIMARS à l'Estonie, à la Lettonie et à la Lituanie."
    assert set(by_recipient(run(nlp, text))) == {"EST", "LVA", "LTU"}


def test_clients_listed_in_passing_with_their_counts(nlp):
    text = "Le Gripen compte d'autres clients : la Hongrie (14), la Thaïlande (12) et l'Afrique du Sud (26)."
    found = by_recipient(run(nlp, text))
    assert {k: (v["attrs"]["quantity"], v["attrs"]["supplier_country"]) for k, v in found.items()} == \
        {"HUN": (14, "SWE"), "THA": (12, "SWE"), "ZAF": (26, "SWE")}


@pytest.mark.parametrize("text,status", [
    ("Varsovie a annulé la commande de cinquante hélicoptères Caracal.", "cancelled"),
    # an adjective of the deal noun: a possible order is in talks, a future delivery planned
    ("Une éventuelle commande de F-35 par la Suisse fait débat.", "negotiating"),
    ("La future livraison de 12 Rafale à la Croatie inquiète Belgrade.", "planned"),
    # a purchase signed is an order, not yet a delivery
    ("Le Caire a conclu l'achat de 30 Rafale supplémentaires.", "ordered"),
    # a green light (a cue noun, object of the deal's verb) is for a deal still to come
    ("Berlin a donné son feu vert à la livraison de chars Leopard 2 à la Pologne.", "planned"),
    ("Le Congrès a donné son feu vert à la vente de F-16 à la Turquie.", "planned"),
    ("Naval Group a obtenu un contrat visant à livrer quatre sous-marins Scorpène au Brésil.", "ordered"),
    ("En 2021, la Roumanie a acheté 54 chars M1 Abrams, qui devraient arriver en 2026.", "ordered"),
    ("Le premier lot de chars K2 sud-coréens est arrivé en Pologne la semaine dernière.", "delivered"),
    ("Selon le ministre, le Brésil pourrait acquérir des chars Leopard 2 allemands.", "planned"),
    ("La Pologne a commencé à recevoir ses chars K2 sud-coréens.", "delivered"),
])
def test_stage_of_the_deal(nlp, text, status):
    found = transfers(run(nlp, text))
    assert [r["attrs"]["status"] for r in found] == [status], found


@pytest.mark.parametrize("text", [
    "Il n'est pas exclu que le Maroc commande des F-35 américains.",
    "Les F-16 polonais sont armés de missiles AIM-120 américains.",
    "L'armée marocaine tire parti des drones, qui lui ont donné un avantage sur le Front Polisario.",
])
def test_no_transfer_stated(nlp, text):
    assert transfers(run(nlp, text)) == []


def test_of_two_coordinated_parties_the_origin_supplies(nlp):
    found = transfers(run(nlp, "Le Vietnam et la Russie ont signé un contrat pour la livraison de douze Su-30."))
    assert [(r["attrs"]["recipient_country"], r["attrs"]["supplier_country"]) for r in found] == [("VNM", "RUS")]


def test_a_designation_before_the_final_stop_is_found(nlp):
    found = transfers(run(nlp, "Le Pakistan a obtenu trente-six J-10C."))
    assert [(r["args"]["weapon"]["text"], r["args"]["weapon"]["norm"]["name"]) for r in found] == [("J-10C", "J-10")]


def test_a_maker_signing_a_contract_supplies_the_parties_it_is_for(nlp):
    # the company is the seller; a generic noun of the same kind stands for the system named
    # before it; each buyer takes the count in brackets after it
    text = ("Airbus a signé un contrat pour l'avion de transport A400M, "
            "un contrat de six avions pour la Belgique (2) et le Luxembourg (4).")
    found = by_recipient(run(nlp, text))
    assert {k: (v["attrs"]["quantity"], v["args"]["weapon"]["norm"]["name"], v["attrs"]["status"])
            for k, v in found.items()} == {"BEL": (2, "A400M", "ordered"), "LUX": (4, "A400M", "ordered")}


@pytest.mark.parametrize("text,expected", [
    ("La Finlande va se procurer quatre systèmes David's Sling auprès d'Israël.", {"FIN": ("ISR", "planned")}),
    ("La Slovaquie et la Tchéquie ont désormais l'intention de se procurer à leur tour des obusiers Caesar.",
     {"SVK": ("FRA", "planned"), "CZE": ("FRA", "planned")}),
])
def test_se_procurer_and_a_near_future_plan(nlp, text, expected):
    found = by_recipient(run(nlp, text))
    assert {k: (v["attrs"]["supplier_country"], v["attrs"]["status"]) for k, v in found.items()} == expected


def test_a_deal_under_negotiation_is_not_merged_with_one_delivered_years_before(nlp):
    text = ("En 2015, les Philippines ont reçu douze chasseurs FA-50 sud-coréens. "
            "Manille négocie aujourd'hui l'achat de douze FA-50 supplémentaires.")
    found = transfers(run(nlp, text, dct="2023-05"))
    assert sorted(r["attrs"]["status"] for r in found) == ["delivered", "negotiating"], found


def test_the_value_of_a_deal_from_a_later_sentence_about_its_contract(nlp):
    # the sentence between gives a date but names no other system: the deal goes on
    text = ("Le Pérou discute de l'achat de douze chasseurs FA-50. "
            "Les négociateurs visent une signature avant décembre. "
            "Le futur contrat serait évalué à 700 millions de dollars.")
    (rel,) = transfers(run(nlp, text))
    assert rel["args"]["value"]["norm"]["amount"] == 700_000_000


def test_an_amount_verb_with_a_pronoun_subject_gives_the_value_of_the_deal_before(nlp):
    text = "La Croatie a commandé douze Rafale d'occasion à la France. Il s'élève à un milliard d'euros."
    (rel,) = transfers(run(nlp, text))
    assert rel["args"]["value"]["norm"]["amount"] == 1_000_000_000


def test_a_second_batch_of_a_generic_system_keeps_the_supplier_of_the_first(nlp):
    text = "Le Pérou a acheté deux corvettes à la Corée du Sud. Un second lot de deux corvettes sera livré en 2027."
    found = transfers(run(nlp, text))
    assert [(r["attrs"]["supplier_country"], r["attrs"]["status"]) for r in found] == \
        [("KOR", "delivered"), ("KOR", "planned")], found


@pytest.mark.parametrize("text,recipient,supplier", [
    # `nous` in a quote: the speaker's country, from the reporting clause
    ("« Nous avons commandé 18 canons Caesar à la France », a déclaré le ministre estonien de la Défense.",
     "EST", "FRA"),
    ("« J'ai signé la commande de 48 chars K2 », a expliqué le ministre polonais.", "POL", "KOR"),
    # `les deux pays`: the two countries named just before; the system's origin supplies
    ("La Suède et le Brésil ont signé un accord de défense. Les deux pays ont conclu un contrat pour 36 "
     "chasseurs Gripen.", "BRA", "SWE"),
])
def test_a_side_named_by_a_pronoun_or_a_pair(nlp, text, recipient, supplier):
    (rel,) = transfers(run(nlp, text))
    assert (rel["attrs"]["recipient_country"], rel["attrs"]["supplier_country"]) == (recipient, supplier)


def test_a_bid_in_the_running_is_in_talks(nlp):
    (rel,) = transfers(run(nlp, "Saab est en lice pour fournir 36 chasseurs Gripen à la Colombie."))
    assert (rel["attrs"]["recipient_country"], rel["attrs"]["status"]) == ("COL", "negotiating")


def test_the_system_a_buyer_preferred_another_to_is_no_transfer(nlp):
    found = transfers(run(nlp, "La Finlande a préféré le F-35 américain au Gripen suédois."))
    assert [r["args"]["weapon"]["norm"]["name"] for r in found] == ["F-35"], found


def test_a_party_that_becomes_a_client_has_ordered_at_the_date_of_its_clause(nlp):
    (rel,) = transfers(run(nlp, "En 2021, la Croatie est devenue le cinquième client export du Rafale."))
    assert (rel["attrs"]["recipient_country"], rel["attrs"]["status"], rel["args"]["date"]["norm"]["value"]) == \
        ("HRV", "ordered", "2021")


def test_the_country_of_the_system_sells_whatever_side_of_the_contract_it_signs(nlp):
    (rel,) = transfers(run(nlp, "La Turquie a signé un contrat pour vingt drones Bayraktar TB2 avec le Koweït."))
    assert (rel["attrs"]["recipient_country"], rel["attrs"]["supplier_country"]) == ("KWT", "TUR")


def test_the_signing_sentence_of_the_contract_gives_its_value(nlp):
    text = ("L'Espagne a commandé 24 hélicoptères NH90 à Airbus. "
            "Le contrat, d'un montant de 1,2 milliard d'euros, a été signé lundi à Madrid.")
    (rel,) = transfers(run(nlp, text))
    assert rel["args"]["value"]["norm"]["amount"] == 1_200_000_000


def test_a_purchase_as_the_purpose_of_a_budget_is_planned_and_takes_its_amount(nlp):
    (rel,) = transfers(run(nlp, "Le Sénégal a débloqué 300 millions d'euros pour acquérir des patrouilleurs OPV 58."))
    assert rel["attrs"]["status"] == "planned"
    assert rel["args"]["value"]["norm"]["amount"] == 300_000_000


def test_the_parties_listed_after_a_region_are_the_recipients(nlp):
    text = "Séoul espère vendre des chars K2 en Europe centrale : la Slovaquie et la Roumanie seraient intéressées."
    found = transfers(run(nlp, text))
    assert sorted(r["attrs"]["recipient_country"] for r in found) == ["ROU", "SVK"], found


def test_a_contract_sentence_without_its_system_is_about_the_deal_stated_just_before(nlp):
    text = ("Le Caesar est le canon le plus vendu de KNDS. "
            "Le Maroc est devenu l'an dernier le nouveau client du Bayraktar TB2. "
            "Le contrat a été signé entre les Forces armées royales et Baykar.")
    found = transfers(run(nlp, text))
    assert [r["args"]["weapon"]["norm"]["name"] for r in found] == ["Bayraktar TB2"], found


def test_a_counted_generic_noun_coordinated_after_a_system_is_another_batch_with_its_own_date(nlp):
    text = "La Roumanie a commandé 20 F-16 en 2019, puis douze exemplaires supplémentaires en 2023."
    found = transfers(run(nlp, text))
    assert sorted((r["attrs"]["quantity"], r["args"]["date"]["norm"]["value"]) for r in found) == \
        [(12, "2023"), (20, "2019")], found


@pytest.mark.parametrize("text,count", [
    ("Le premier des trois sous-marins Scorpène a été livré à l'Inde en 2017.", 1),
    ("Les trois derniers des 24 Rafale ont été livrés au Qatar.", 3),
])
def test_an_ordinal_of_a_batch_counts_its_part(nlp, text, count):
    (rel,) = transfers(run(nlp, text))
    assert rel["attrs"]["quantity"] == count


def test_a_verb_coordinated_after_a_cancellation_is_its_own_stage(nlp):
    found = transfers(run(nlp, "Le Pérou a renoncé à l'achat de chasseurs Gripen et a opté pour douze F-16 américains."))
    assert sorted((r["args"]["weapon"]["norm"]["name"], r["attrs"]["status"]) for r in found) == \
        [("F-16", "planned"), ("Gripen", "cancelled")], found


@pytest.mark.parametrize("text,recipients", [
    ("Le Chili, client historique du Leopard 2, a reçu douze chars K2.", ["CHL"]),
    ("Le Maroc figure parmi les clients du Caesar.", ["MAR"]),
    ("Le Kenya rejoint ainsi le Ghana et le Sénégal parmi les utilisateurs africains du Bayraktar TB2.",
     ["GHA", "KEN", "SEN"]),
    ("Parmi les clients du Caesar figurent le Maroc, la Lituanie, la Croatie et la Belgique.",
     ["BEL", "HRV", "LTU", "MAR"]),
    ("Le Leopard 2 a déjà été exporté en Norvège, au Chili, en Turquie et en Grèce.", ["CHL", "GRC", "NOR", "TUR"]),
])
def test_clients_named_in_apposition_or_among_the_users_or_listed(nlp, text, recipients):
    found = transfers(run(nlp, text))
    named = [r for r in found if r["args"]["weapon"]["norm"]["name"] in ("Leopard 2", "Caesar", "Bayraktar TB2")]
    assert sorted(r["attrs"]["recipient_country"] for r in named) == recipients, found


def test_a_count_written_in_groups_of_three_digits(nlp):
    (rel,) = transfers(run(nlp, "Le Congrès a approuvé la vente de 2 500 missiles Hellfire au Koweït."))
    assert rel["attrs"]["quantity"] == 2500


def test_a_first_lot_stands_for_the_system_named_before(nlp):
    text = "Le Togo a réceptionné deux nouveaux drones Bayraktar TB2. Lomé avait déjà reçu un premier lot en 2022."
    found = transfers(run(nlp, text))
    assert [(r["args"]["weapon"]["norm"]["name"], r["args"]["date"]["norm"]["value"] if "date" in r["args"] else "-")
            for r in found] == [("Bayraktar TB2", "-"), ("Bayraktar TB2", "2022")], found


def test_a_state_periphrasis_after_a_capital_subject_is_its_state(nlp):
    text = "Les élus ont évoqué la guerre au Yémen. Riyad a reçu 200 missiles AIM-120C. Le royaume exploite des Patriot."
    found = transfers(run(nlp, text))
    assert {r["attrs"]["recipient_country"] for r in found} == {"SAU"}, found


def test_a_generic_headline_deal_is_the_first_named_one_of_its_kind_for_the_buyer(nlp):
    text = ("Washington approuve une vente de missiles au Koweït\n"
            "Le département d'État a approuvé la vente de 300 missiles Javelin au Koweït. "
            "Le Koweït exploite aussi des missiles Patriot.")
    found = transfers(run(nlp, text))
    assert sorted(r["args"]["weapon"]["norm"]["name"] for r in found) == ["Javelin", "Patriot"], found


def test_a_buyer_read_on_the_sellers_side_is_taken_from_the_later_statement(nlp):
    text = ("L'Allemagne durcit le ton depuis l'échec des pourparlers sur une commande de 30 chars "
            "Leopard 2 pour 900 millions d'euros. La Tchéquie a rompu les pourparlers sur l'achat des chars.")
    (rel,) = transfers(run(nlp, text))
    assert (rel["attrs"]["recipient_country"], rel["attrs"]["supplier_country"], rel["attrs"]["quantity"],
            rel["args"]["value"]["norm"]["amount"]) == ("CZE", "DEU", 30, 900_000_000)


def test_a_counted_generic_noun_after_a_system_named_without_a_deal_stands_for_it(nlp):
    text = "Désignés F-16V à Taipei, les 66 appareils ont été commandés par Taïwan en 2019."
    (rel,) = transfers(run(nlp, text))
    assert (rel["args"]["weapon"]["norm"]["name"], rel["attrs"]["recipient_country"], rel["attrs"]["quantity"],
            rel["args"]["date"]["norm"]["value"]) == ("F-16", "TWN", 66, "2019")


def test_a_deal_in_talks_is_dated_by_its_reporting_clause(nlp):
    text = ("Le Pérou envisage l'achat de chasseurs FA-50 à la Corée du Sud, a déclaré le ministre de la Défense, "
            "cité mardi par l'agence Andina.")
    (rel,) = transfers(run(nlp, text, dct="2024-05-16"))
    assert (rel["attrs"]["status"], rel["args"]["date"]["norm"]["value"]) == ("negotiating", "2024-05-14")


def test_some_copies_of_a_system_named_before_stand_for_it(nlp):
    (rel,) = transfers(run(nlp, "Le Su-25 est un avion d'attaque robuste. Le Tchad possède quelques exemplaires."))
    assert (rel["args"]["weapon"]["norm"]["name"], rel["attrs"]["recipient_country"]) == ("Su-25", "TCD")


def test_a_contract_appended_to_the_deal_and_called_off_cancels_it_at_its_date(nlp):
    text = "Le Maroc a acquis auprès de l'Italie quatre patrouilleurs Comandanti, un contrat finalement annulé en 2024."
    (rel,) = transfers(run(nlp, text))
    assert (rel["attrs"]["status"], rel["args"]["date"]["norm"]["value"]) == ("cancelled", "2024")


def test_a_part_of_the_contract_is_not_a_part_of_the_batch_it_covers(nlp):
    text = ("La Serbie achète 12 Rafale. "
            "Belgrade a annoncé l'entrée en vigueur de la dernière tranche du contrat portant sur 12 Rafale.")
    assert len(transfers(run(nlp, text))) == 1


def test_the_body_not_the_headline_says_the_stage(nlp):
    text = ("Le Chili se dote du Gripen\n"
            "Santiago a signé avec la Suède un contrat d'un demi-milliard de dollars pour douze chasseurs Gripen.")
    (rel,) = transfers(run(nlp, text))
    assert (rel["attrs"]["status"], rel["args"]["value"]["norm"]["amount"]) == ("ordered", 500_000_000)


def test_a_finite_clause_keeps_its_tense_under_the_verb_that_reports_it(nlp):
    text = ("Moscou a livré à l'Inde le cinquième et dernier régiment de systèmes S-400, a annoncé mardi "
            "l'agence Tass, citant une source au sein du complexe militaro-industriel russe.")
    (rel,) = transfers(run(nlp, text))
    assert rel["attrs"]["status"] == "delivered"


def test_further_batches_far_from_the_system_are_of_the_documents_system(nlp):
    text = ("L'Inde a reçu ses premiers systèmes S-400 russes. Les livraisons ont été retardées par la guerre. "
            "Le calendrier reste incertain. New Delhi envisage l'achat de cinq régiments supplémentaires.")
    found = transfers(run(nlp, text))
    assert sorted((r["attrs"]["status"], r["attrs"]["quantity"] or 0) for r in found) == \
        [("delivered", 0), ("negotiating", 5)], found


def test_a_fronted_signing_participle_dates_the_contract(nlp):
    text = "Signé le 3 février, ce contrat prévoit la livraison de dix hélicoptères Caracal au Koweït."
    (rel,) = transfers(run(nlp, text, dct="2023-05"))
    assert (rel["attrs"]["status"], rel["args"]["date"]["norm"]["value"]) == ("ordered", "2023-02-03")


@pytest.mark.parametrize("text", [
    "La Pologne n'a jamais commandé de chars K2.",
    "L'achat de chasseurs Su-35 n'est plus envisagé, a précisé le ministre.",
])
def test_a_negated_deal_is_no_transfer(nlp, text):
    assert transfers(run(nlp, text)) == []


def test_a_state_does_not_buy_its_own_system_from_another(nlp):
    # the verb misused for its converse (importé for exporté): the system's country sells
    (rel,) = transfers(run(nlp, "Séoul a importé des obusiers K9 à Oslo en 2019."))
    assert (rel["attrs"]["recipient_country"], rel["attrs"]["supplier_country"]) == ("NOR", "KOR")


def test_a_later_sentence_calling_off_the_contract_cancels_the_deal_at_its_date(nlp):
    text = ("Le Pérou a ouvert des négociations sur l'achat de 24 chars K2 à la Corée du Sud. "
            "Plusieurs élus ont critiqué le coût du programme. "
            "Lima a fait savoir lundi qu'elle rompait les discussions sur ce contrat.")
    (rel,) = transfers(run(nlp, text, dct="2024-05-16"))
    assert (rel["attrs"]["status"], rel["args"]["date"]["norm"]["value"]) == ("cancelled", "2024-05-13")


def test_a_negated_nominal_predicate_states_no_deal(nlp):
    # `n'est plus d'actualité`: the negation of the noun the deal noun is the subject of
    text = ("Rabat discute avec Paris d'une commande de sous-marins Scorpène. "
            "« L'acquisition de Scorpène n'est pas à l'ordre du jour », a reconnu lundi M. Alaoui.")
    (rel,) = transfers(run(nlp, text))
    assert rel["attrs"]["status"] == "negotiating"


def test_ne_que_is_not_a_negation(nlp):
    (rel,) = transfers(run(nlp, "Le Maroc ne possède que douze F-16."))
    assert (rel["attrs"]["recipient_country"], rel["attrs"]["quantity"]) == ("MAR", 12)


def test_a_buyer_named_in_passing_has_ordered(nlp):
    text = ("Israël a conclu un contrat pour la fourniture de systèmes Arrow 3 à la Finlande. "
            "La Finlande est le deuxième acheteur européen de ce système.")
    (rel,) = transfers(run(nlp, text))
    assert rel["attrs"]["status"] == "ordered"


def test_an_accused_delivery_stays_alleged_when_restated(nlp):
    text = ("Pyongyang a démenti les accusations selon lesquelles il fournit des obus d'artillerie à la Russie. "
            "Un responsable américain a assuré que la Corée du Nord expédiait des obus d'artillerie à la Russie.")
    found = transfers(run(nlp, text))
    assert [(r["attrs"]["recipient_country"], r["attrs"]["status"]) for r in found] == [("RUS", "alleged")]


def test_a_restatement_joins_the_batch_of_its_own_sentence(nlp):
    # the bare class name in the delivery sentence belongs to the six delivered, not to the
    # three under negotiation
    text = ("New Delhi discute de l'achat de trois sous-marins Scorpène supplémentaires. "
            "L'Inde a déjà réceptionné six sous-marins Scorpène, de la classe Kalvari, pour sa marine.")
    found = sorted((r["attrs"]["quantity"], r["attrs"]["status"]) for r in transfers(run(nlp, text)))
    assert found == [(3, "negotiating"), (6, "delivered")]


def test_a_sale_still_to_be_accepted_is_planned_and_its_parts_counted(nlp):
    # the sale is the object of an infinitive (not yet made); the generic noun of the second
    # sentence stands for the system named after it, whose origin supplies; `vingt-quatre`
    # before `exemplaires du` is its count
    text = ("Le Pentagone a demandé au Congrès d'approuver la vente de huit lance-roquettes HIMARS à la Roumanie. "
            "Le contrat couvre aussi la livraison de munitions, dont vingt-quatre exemplaires du missile ATACMS.")
    found = {r["args"]["weapon"]["norm"]["name"]: r for r in transfers(run(nlp, text))}
    assert found["HIMARS"]["attrs"]["status"] == "planned"
    assert (found["ATACMS"]["attrs"]["supplier_country"], found["ATACMS"]["attrs"]["quantity"]) == ("USA", 24)


def test_an_equipment_noun_inside_a_company_name_is_no_weapon(nlp):
    doc = nlp("Les lance-roquettes sont assemblés par Raytheon Missiles & Defense, en Arizona.")
    assert [m["text"] for m in doc._.arms_mentions if m["label"] == "WEAPON"] == ["lance-roquettes"]


def test_the_company_a_purchase_contract_is_signed_with_supplies(nlp):
    text = "Le Koweït a signé avec BAE Systems un accord pour l'achat de vingt-huit Eurofighter Typhoon."
    (rel,) = transfers(run(nlp, text))
    assert (rel["attrs"]["recipient_country"], rel["attrs"]["supplier_country"], rel["attrs"]["quantity"]) == \
        ("KWT", "GBR", 28)


def test_a_count_inside_a_relative_clause_on_the_system_is_no_deal_of_the_party_before(nlp):
    text = "Le Koweït devient le dixième client de l'Eurofighter, qui totalise désormais 680 avions commandés."
    assert all(r["attrs"]["quantity"] != 680 for r in transfers(run(nlp, text)))
    # nor of the deal stated before: a passive count with no side is no statement
    text = "Le Koweït a commandé vingt-huit Eurofighter Typhoon. " + text
    assert [r["attrs"]["quantity"] for r in transfers(run(nlp, text))] == [28]


def test_a_state_named_by_a_periphrasis_is_the_state_named_before(nlp):
    text = "La Colombie modernise son aviation. Le pays andin a commandé seize chasseurs Kfir à Israël."
    found = by_recipient(run(nlp, text))
    assert {k: v["attrs"]["supplier_country"] for k, v in found.items()} == {"COL": "ISR"}


def test_a_counted_generic_noun_before_the_systems_its_sentence_names(nlp):
    text = ("Le Maroc a choisi l'hélicoptère Apache. Rabat a commandé 24 appareils à Boeing en 2020, "
            "après que Washington a autorisé la vente de 36 Apache.")
    found = [(r["args"]["weapon"]["norm"]["name"], r["attrs"]["quantity"], r["attrs"]["status"])
             for r in transfers(run(nlp, text))]
    assert ("Apache", 24, "ordered") in found, found


def test_an_equipment_noun_of_a_named_system_is_no_anaphor(nlp):
    text = "Il s'agit des drones Heron et Harop. En 2014, le Maroc a acheté 3 drones Heron à Israël."
    found = [(r["args"]["weapon"]["norm"]["name"], r["attrs"]["quantity"]) for r in transfers(run(nlp, text))]
    assert found == [("Heron", 3)]


def test_a_sentence_naming_the_contract_gives_its_value_and_signing_date(nlp):
    text = "L'Inde a commandé 26 Rafale Marine à la France. Signé le 12 mars, ce contrat s'élève à 6 milliards d'euros."
    (rel,) = transfers(run(nlp, text, dct="2023-05"))
    assert (rel["args"]["value"]["norm"]["amount"], rel["args"]["date"]["norm"]["value"]) == (6_000_000_000, "2023-03-12")


def test_recipients_listed_after_a_colon_with_their_counts(nlp):
    text = "Paris a livré des blindés VAB à plusieurs pays africains : le Kenya (12 VAB) ; le Ghana (4 VAB) ; le Togo (6 VAB)."
    found = by_recipient(run(nlp, text))
    assert {k: v["attrs"]["quantity"] for k, v in found.items()} == {"KEN": 12, "GHA": 4, "TGO": 6}


def test_the_state_a_contract_is_concluded_with_supplies(nlp):
    (rel,) = transfers(run(nlp, "Bogota a conclu avec Madrid un contrat pour quatre corvettes Avante 2200."))
    assert (rel["attrs"]["recipient_country"], rel["attrs"]["supplier_country"], rel["attrs"]["quantity"]) == \
        ("COL", "ESP", 4)


@pytest.mark.parametrize("text,expected", [
    # the verb governing the deal noun says whose side its subject is
    ("La Grèce a pris livraison de ses six premiers Rafale en 2021.", ("GRC", "FRA", 6, "delivered")),
    ("Le Kazakhstan a reçu la livraison de deux hélicoptères H145M.", ("KAZ", "DEU", 2, "delivered")),
    ("La France a remporté le contrat de douze Rafale en Serbie.", ("SRB", "FRA", 12, "ordered")),
    # a delivery inside the contract a company won is ordered
    ("Hanwha a décroché un contrat pour la livraison de 18 obusiers K9 à l'Australie.", ("AUS", "KOR", 18, "ordered")),
    # the buyer given by a participle on the system, the stage by the main verb
    ("Les 24 Rafale commandés par le Qatar ont tous été livrés.", ("QAT", "FRA", 24, "delivered")),
    # a client to be
    ("L'Indonésie sera le premier client export du Rafale.", ("IDN", "FRA", None, "planned")),
    # mettre en service: the subject is the one that has the system in service
    ("La marine égyptienne a mis en service deux frégates FREMM italiennes.", ("EGY", "ITA", 2, "delivered")),
])
def test_constructions_of_the_deal_noun_and_its_verb(nlp, text, expected):
    (rel,) = transfers(run(nlp, text))
    a = rel["attrs"]
    assert (a["recipient_country"], a["supplier_country"], a["quantity"], a["status"]) == expected


def test_a_later_sentence_saying_the_contract_was_signed_orders_the_deal_at_its_date(nlp):
    text = ("La Bolivie a décidé d'acquérir deux A400M. Leur arrivée est prévue pour 2024. "
            "La commande a été signée le 1er septembre.")
    (rel,) = transfers(run(nlp, text, dct="2021-09"))
    assert (rel["attrs"]["status"], rel["args"]["date"]["norm"]["value"], rel["attrs"]["quantity"]) == \
        ("ordered", "2021-09-01", 2)


@pytest.mark.parametrize("text,status", [
    ("La Slovénie a décidé d'acheter quarante-cinq blindés Boxer.", "planned"),
    ("La Pologne a commencé à recevoir ses chars K2 sud-coréens.", "delivered"),
])
def test_an_infinitive_deal_is_planned_unless_its_verb_says_it_happened(nlp, text, status):
    (rel,) = transfers(run(nlp, text))
    assert rel["attrs"]["status"] == status


def test_a_generic_noun_in_apposition_stands_for_the_system_before_it(nlp):
    text = ("L'Indonésie a reçu deux A400M. Le Kazakhstan utilise aussi des C-295 (un avion de patrouille "
            "maritime) et en a commandé un en 2019.")
    found = {(r["attrs"]["recipient_country"], r["args"]["weapon"]["norm"]["name"]) for r in transfers(run(nlp, text))}
    assert ("KAZ", "C295") in found and ("KAZ", "A400M") not in found, found


def test_the_first_pieces_handed_over_belong_to_the_re_export_named_before(nlp):
    # the supplier is the state that gives them, not the system's country of origin
    text = ("Le Danemark a décidé de donner à l'Ukraine ses dix-neuf canons Caesar. "
            "Les premières pièces ont été remises à l'armée ukrainienne en mars 2023.")
    found = transfers(run(nlp, text))
    assert [(r["attrs"]["supplier_country"], r["attrs"]["status"]) for r in found] == [("DNK", "delivered")], found


@pytest.mark.parametrize("text,expected", [
    # a reflexive supplier verb: its subject is the buyer
    ("L'Égypte s'est dotée de 24 Rafale supplémentaires.", ("EGY", "FRA", 24, "delivered")),
    # a noun predicate with its copula governs the deal noun: its subject buys, `avec` sells
    ("Le Maroc est en pourparlers avec Israël pour l'acquisition de satellites Ofek.", ("MAR", "ISR", None, "negotiating")),
])
def test_reflexive_and_copular_constructions(nlp, text, expected):
    (rel,) = transfers(run(nlp, text))
    a = rel["attrs"]
    assert (a["recipient_country"], a["supplier_country"], a["quantity"], a["status"]) == expected


def test_the_amount_of_the_contract_the_purchase_belongs_to(nlp):
    text = "La Roumanie a signé un contrat de 2,5 milliards de dollars pour l'achat de 54 chars M1 Abrams."
    (rel,) = transfers(run(nlp, text))
    assert (rel["attrs"]["quantity"], rel["args"]["value"]["norm"]["amount"]) == (54, 2_500_000_000)


@pytest.mark.parametrize("text,expected", [
    ("La vente de 24 Rafale par la France à l'Égypte remonte à 2015.", ("EGY", "FRA")),
    ("L'accord prévoit l'acquisition de 54 chars M1 Abrams par la Roumanie.", ("ROU", "USA")),
    # an agent inside a relative clause on the system is not the deal's
    ("L'accord porte sur l'acquisition par la Roumanie de 54 chars M1 Abrams qui étaient utilisés par l'armée américaine.",
     ("ROU", "USA")),
])
def test_the_agent_of_a_deal_noun_takes_its_subjects_side(nlp, text, expected):
    (rel,) = transfers(run(nlp, text))
    assert (rel["attrs"]["recipient_country"], rel["attrs"]["supplier_country"]) == expected


def test_what_the_stated_deal_covers_takes_its_stage_value_and_buyer(nlp):
    text = ("La Lettonie va acheter six lance-roquettes HIMARS aux États-Unis. "
            "Le montant de ce contrat atteint 220 millions de dollars. "
            "Cette somme couvre aussi la livraison de munitions, dont douze missiles ATACMS.")
    found = {r["args"]["weapon"]["norm"]["name"]: r for r in transfers(run(nlp, text))}
    atacms = found["ATACMS"]
    assert (atacms["attrs"]["recipient_country"], atacms["attrs"]["status"], atacms["attrs"]["quantity"],
            atacms["args"]["value"]["norm"]["amount"]) == ("LVA", "planned", 12, 220_000_000)


def test_armed_drones_are_the_object_not_a_capability_and_an_unconfirmed_claim_is_alleged(nlp):
    text = ("L'Algérie modernise son armée. Elle aurait acquis des drones armés CH-4 auprès de la Chine. "
            "Des médias ont affirmé qu'Alger avait commandé 14 chasseurs Su-57, une information jamais confirmée.")
    found = {r["args"]["weapon"]["norm"]["name"]: (r["attrs"]["recipient_country"], r["attrs"]["status"])
             for r in transfers(run(nlp, text))}
    assert found == {"CH-4": ("DZA", "alleged"), "Su-57": ("DZA", "alleged")}


def test_an_anaphor_joins_the_batch_of_the_sentence_it_points_to(nlp):
    text = ("La France a livré 18 canons Caesar à l'Ukraine en 2022. "
            "Le Danemark a décidé en janvier de donner à l'Ukraine ses 19 canons Caesar. "
            "Les premières pièces ont été remises à l'armée ukrainienne.")
    found = sorted((r["attrs"]["supplier_country"], r["attrs"]["quantity"], r["attrs"]["status"])
                   for r in transfers(run(nlp, text)))
    assert found == [("DNK", 19, "delivered"), ("FRA", 18, "delivered")]


@pytest.mark.parametrize("text,expected", [
    # a part of the order with its own count and stage is its own relation (SCHEMA.md)
    ("L'Arménie a commandé des obusiers ATAGS à l'Inde en 2022. "
     "Un premier lot de six canons ATAGS est arrivé en Arménie fin août 2023.",
     [(None, "ordered"), (6, "delivered")]),
    # a batch stated as additional is another deal
    ("L'Inde a livré six obusiers ATAGS à l'Arménie en 2023. "
     "Erevan envisage de commander un lot supplémentaire d'obusiers ATAGS.",
     [(None, "negotiating"), (6, "delivered")]),
])
def test_parts_and_additional_batches_are_their_own_relations(nlp, text, expected):
    found = sorted(((r["attrs"]["quantity"], r["attrs"]["status"]) for r in transfers(run(nlp, text))),
                   key=lambda x: (x[0] is not None, x))
    assert found == expected


def test_interest_expressed_is_negotiating(nlp):
    (rel,) = transfers(run(nlp, "L'Arménie a manifesté son intérêt pour les lance-roquettes Pinaka indiens."))
    assert (rel["attrs"]["recipient_country"], rel["attrs"]["supplier_country"], rel["attrs"]["status"]) == \
        ("ARM", "IND", "negotiating")


def test_again_is_no_additional_batch_and_the_latest_stage_keeps_only_its_own_date(nlp):
    # `de nouveau` (again) does not start another batch; the delivery gives no date, so the
    # relation has none (SCHEMA.md: the latest stage, with that stage's date)
    text = ("L'Égypte et la Russie avaient signé en 2012 un contrat pour la fourniture de batteries S-300. "
            "En 2014, Moscou a de nouveau approuvé la livraison des S-300. "
            "L'Égypte est désormais en possession des S-300 russes.")
    found = transfers(run(nlp, text))
    assert [(r["attrs"]["status"], "date" in r["args"]) for r in found] == [("delivered", False)], found


@pytest.mark.parametrize("text", [
    # the signing told two sentences later, naming no system
    "La Thaïlande a signé un contrat pour quatre Gripen. Les pilotes seront formés en Suède. "
    "La signature a eu lieu le 3 février à Bangkok.",
    # a ceremony several sentences later, naming the system
    "La Thaïlande a signé un contrat pour quatre Gripen. Les pilotes seront formés en Suède. "
    "Le premier appareil volera dans deux ans. La base sera agrandie. Lors de la cérémonie de "
    "signature, organisée à Bangkok le 3 février, le ministre a salué le choix du Gripen.",
])
def test_a_signing_told_later_dates_the_order(nlp, text):
    transfer, = [r for r in run(nlp, text) if r["type"] == "arms_transfer"]
    assert transfer["attrs"]["status"] == "ordered"
    assert transfer["args"]["date"]["norm"]["value"] == "2023-02-03"


def test_a_date_of_something_else_does_not_date_the_order(nlp):
    text = "La Thaïlande a signé un contrat pour quatre Gripen. Le 3 février, la ministre a visité une usine."
    transfer, = [r for r in run(nlp, text) if r["type"] == "arms_transfer"]
    assert "date" not in transfer["args"]
