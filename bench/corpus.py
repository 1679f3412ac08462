"""Benchmark corpus: N French articles generated from seeds/ with deterministic perturbations.

Article `i` is a function of (`i`, `--seed`) only: the same call writes the same bytes on
every machine, and no two articles share their text, so no cache keyed on a text, a sentence
or a date string can serve a whole article from memory. Each article
- takes 6-16 sentences of one or two seed articles (paragraph breaks kept), in order, with
  every year shifted by a per-article offset, every amount, count and day of month redrawn,
  and the seeds' weapons, buyers, suppliers, manufacturers and currencies replaced by ones
  drawn from the tables below;
- adds 3-7 sentences from templates about other transfers (Rafale to Egypt, K2/K9 to Poland,
  Su-57 to Algeria, Caesar to Ukraine, S-400, Patriot, FREMM...), with varied money and date
  forms (`1,5 milliard d'euros`, `300 M€`, `8 milliards de zlotys`, `le 3 mars 2023`,
  `03/03/2023`, `fin 2024`, `au printemps dernier`, `il y a deux ans`);
- sometimes opens with a ` date YYYY-MM` header line (the DCT form the reader knows).

Articles are 250-900 words, like the seeds (300-700). The point is speed and memory, not
annotation: the text is grammatical French but the facts are made up.

Usage: python bench/corpus.py OUT_DIR --docs 1000 [--seed 0]
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_DIR / "seeds"

# (name, manufacturer, supplier country with article forms) — facts, not text.
WEAPONS = [
    ("Rafale", "Dassault Aviation", "la France"), ("Mirage 2000", "Dassault Aviation", "la France"),
    ("Caesar", "KNDS France", "la France"), ("FREMM", "Naval Group", "la France"),
    ("Gowind", "Naval Group", "la France"), ("Scorpène", "Naval Group", "la France"),
    ("Aster 30", "MBDA", "la France"), ("Mistral", "MBDA", "la France"),
    ("Exocet", "MBDA", "la France"), ("Tigre", "Airbus Helicopters", "la France"),
    ("Bayraktar TB2", "Baykar", "la Turquie"), ("Akinci", "Baykar", "la Turquie"),
    ("Anka", "Turkish Aerospace", "la Turquie"), ("Su-57", "Soukhoï", "la Russie"),
    ("Su-35", "Soukhoï", "la Russie"), ("S-400", "Almaz-Antey", "la Russie"),
    ("MiG-29", "MiG", "la Russie"), ("T-90", "Uralvagonzavod", "la Russie"),
    ("K2", "Hyundai Rotem", "la Corée du Sud"), ("K9", "Hanwha Aerospace", "la Corée du Sud"),
    ("FA-50", "Korea Aerospace Industries", "la Corée du Sud"),
    ("F-16", "Lockheed Martin", "les États-Unis"), ("F-35", "Lockheed Martin", "les États-Unis"),
    ("HIMARS", "Lockheed Martin", "les États-Unis"), ("Patriot", "Raytheon", "les États-Unis"),
    ("Abrams", "General Dynamics", "les États-Unis"), ("MQ-9 Reaper", "General Atomics", "les États-Unis"),
    ("Leopard 2", "KNDS Deutschland", "l'Allemagne"), ("IRIS-T", "Diehl Defence", "l'Allemagne"),
    ("Heron", "Israel Aerospace Industries", "Israël"), ("Harop", "Israel Aerospace Industries", "Israël"),
    ("Hermes 900", "Elbit Systems", "Israël"), ("Barak 8", "Israel Aerospace Industries", "Israël"),
    ("Wing Loong II", "AVIC", "la Chine"), ("J-10C", "Chengdu Aircraft Corporation", "la Chine"),
    ("Gripen", "Saab", "la Suède"), ("CV90", "BAE Systems Hägglunds", "la Suède"),
    ("Eurofighter Typhoon", "Eurofighter", "le Royaume-Uni"), ("Piranha", "General Dynamics European Land Systems", "la Suisse"),
]
# Buyers: name as it follows "au/à la/aux/à l'" and "le/la/les/l'"; the seeds' "au Maroc".
BUYERS = [
    ("Égypte", "l'", "à l'", "égyptien"), ("Inde", "l'", "à l'", "indien"),
    ("Indonésie", "l'", "à l'", "indonésien"), ("Pologne", "la ", "à la ", "polonais"),
    ("Algérie", "l'", "à l'", "algérien"), ("Ukraine", "l'", "à l'", "ukrainien"),
    ("Grèce", "la ", "à la ", "grec"), ("Qatar", "le ", "au ", "qatari"),
    ("Maroc", "le ", "au ", "marocain"), ("Brésil", "le ", "au ", "brésilien"),
    ("Émirats arabes unis", "les ", "aux ", "émirien"), ("Arabie saoudite", "l'", "à l'", "saoudien"),
    ("Roumanie", "la ", "à la ", "roumain"), ("Serbie", "la ", "à la ", "serbe"),
    ("Croatie", "la ", "à la ", "croate"), ("Philippines", "les ", "aux ", "philippin"),
    ("Vietnam", "le ", "au ", "vietnamien"), ("Nigeria", "le ", "au ", "nigérian"),
    ("Sénégal", "le ", "au ", "sénégalais"), ("Pakistan", "le ", "au ", "pakistanais"),
    ("Turquie", "la ", "à la ", "turc"), ("Estonie", "l'", "à l'", "estonien"),
]
CURRENCIES = [
    ("millions de dollars", "milliards de dollars"), ("millions d'euros", "milliards d'euros"),
    ("M€", "Md€"), ("millions de wons", "milliards de wons"),
    ("millions de zlotys", "milliards de zlotys"), ("millions de roubles", "milliards de roubles"),
    ("millions de roupies", "milliards de roupies"), ("millions de dirhams", "milliards de dirhams"),
    ("millions de livres sterling", "milliards de livres sterling"),
    ("millions de dinars", "milliards de dinars"), ("millions de francs suisses", "milliards de francs suisses"),
]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MEDIA = ["Le Monde", "Jeune Afrique", "La Tribune", "Opex360", "Defense News", "Reuters",
         "l'AFP", "Les Echos", "Zone Militaire", "Le Figaro", "Mena Defense", "RFI"]
PERSONS = ["Sébastien Lecornu", "Mariusz Błaszczak", "Abdel Fattah al-Sissi", "Rajnath Singh",
           "Prabowo Subianto", "Said Chanegriha", "Oleksii Reznikov", "Lloyd Austin",
           "Boris Pistorius", "Jean-Yves Le Drian", "Florence Parly", "Shin Won-sik"]
COUNT_WORDS = ["deux", "trois", "quatre", "six", "huit", "douze", "vingt", "trente", "quarante-huit"]

TEMPLATES = [
    "{Buyer_le}{buyer} a commandé {n} {weapon} à {maker} pour {money}, selon {media}.",
    "Le contrat, signé {date}, porte sur {n} {weapon} et leur soutien pendant {years} ans.",
    "{Supplier} a livré {date} les premiers {weapon} {buyer_a}{buyer}, a indiqué {media}.",
    "Le ministre {adj} de la Défense, {person}, a rencontré {date} les dirigeants de {maker}.",
    "D'un montant estimé à {money}, la commande de {weapon} doit être honorée d'ici {year2}.",
    "{media_cap} rapporte que {buyer_le}{buyer} envisage l'achat de {weapon} supplémentaires, pour près de {money}.",
    "Les négociations sur les {weapon} ont duré {months} mois avant l'accord conclu {date}.",
    "Selon {person}, plus de {n} {weapon} seront produits localement à partir de {year2}.",
    "La première tranche, de {money}, a été versée {date} ; la seconde est prévue fin {year2}.",
    "{Buyer_le}{buyer} avait déjà reçu des {weapon} de {supplier} il y a {years} ans.",
]


def _date_phrase(rng: random.Random, year: int) -> str:
    day = rng.randint(1, 28)
    month = rng.randrange(12)
    form = rng.randrange(9)
    if form == 0:
        return f"le {day} {MONTHS[month]} {year}"
    if form == 1:
        return f"le {rng.choice(WEEKDAYS)} {day} {MONTHS[month]} {year}"
    if form == 2:
        return f"le {day:02d}/{month + 1:02d}/{year}"
    if form == 3:
        return f"en {MONTHS[month]} {year}"
    if form == 4:
        return rng.choice(["début ", "fin ", "mi-"]) + MONTHS[month]
    if form == 5:
        return rng.choice(["le mois dernier", "l'an dernier", "la semaine dernière", "au printemps dernier",
                           "il y a deux ans", "l'année précédente", "cet été"])
    if form == 6:
        return f"au {rng.choice(['premier', 'deuxième', 'troisième'])} trimestre {year}"
    if form == 7:
        return f"le {'1er' if day < 3 else day} {MONTHS[month]}"
    return f"en {year}"


def _money(rng: random.Random, currency: tuple[str, str]) -> str:
    if rng.random() < 0.3:
        whole, tenth = rng.randint(1, 12), rng.randint(1, 9)
        return f"{whole},{tenth} {currency[1]}" if rng.random() < 0.7 else f"{whole} {currency[1]}"
    amount = rng.choice([rng.randint(2, 99) * 10, rng.randint(5, 950), rng.randint(1, 9) * 100])
    return f"{amount} {currency[0]}"


def _split_sentences(text: str) -> list[str]:
    """Sentences of a seed, with a paragraph break kept as a trailing "\\n\\n"."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        para = para.strip()
        if para.startswith("date ") and len(para) > 13:
            para = para[13:].strip()
        parts = [p.strip() for p in re.split(r"(?<=[.!?»])\s+(?=[A-ZÀ-Ý«\"])", para) if p.strip()]
        if parts:
            parts[-1] += "\n\n"
            out.extend(parts)
    return out


class Perturber:
    """Rewrites one seed sentence for article `i` (years shifted, numbers and names redrawn)."""

    SEED_WEAPONS = ("Heron", "Harop", "Harpy", "Barak", "Tavor 9 mm", "Pegasus")
    SEED_MAKERS = ("Israel Aerospace Industries", "Aerospace Industries", "Elbit Systems")

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.shift = rng.randint(-12, 4)
        weapons = rng.sample(WEAPONS, len(self.SEED_WEAPONS))
        self.weapons = {old: new[0] for old, new in zip(self.SEED_WEAPONS, weapons)}
        self.maker = weapons[0][1]
        self.currency = rng.choice(CURRENCIES)

    def year(self, match: re.Match) -> str:
        return str(int(match.group(0)) + self.shift)

    def __call__(self, sentence: str) -> str:
        rng = self.rng
        sentence = re.sub(r"\b(?:19[5-9]\d|20[0-2]\d)\b", self.year, sentence)
        sentence = re.sub(r"\b\d{1,3} millions de dollars",
                          lambda m: f"{rng.randint(5, 990)} {self.currency[0]}", sentence)
        sentence = re.sub(r"\ble (\d{1,2}) (" + "|".join(MONTHS) + ")",
                          lambda m: f"le {rng.randint(1, 28)} {m.group(2)}", sentence)
        sentence = re.sub(r"\b(\d{1,2}) (drones|ans)\b",
                          lambda m: f"{rng.randint(2, 40)} {m.group(2)}", sentence)
        for old, new in self.weapons.items():
            sentence = sentence.replace(old, new)
        for old in self.SEED_MAKERS:
            sentence = sentence.replace(old, self.maker)
        return sentence


def generate_article(i: int, seed: int = 0) -> tuple[str, str]:
    """(doc_id, text) of article `i`; deterministic in (i, seed)."""
    rng = random.Random(f"bench:{seed}:{i}")
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    perturb = Perturber(rng)
    sentences: list[str] = []
    for path in rng.sample(seeds, rng.choice((1, 1, 2))):
        pool = _split_sentences(path.read_text(encoding="utf-8"))
        size = min(len(pool), rng.randint(6, 16))
        start = rng.randrange(0, max(1, len(pool) - size + 1))
        sentences.extend(perturb(s) for s in pool[start:start + size])
    year = 2023 + perturb.shift // 4
    for _ in range(rng.randint(3, 7)):
        name, maker, supplier = rng.choice(WEAPONS)
        buyer, le, a, adj = rng.choice(BUYERS)
        values = {
            "weapon": name, "maker": maker, "supplier": supplier, "Supplier": supplier[0].upper() + supplier[1:],
            "buyer": buyer, "buyer_le": le, "Buyer_le": le[0].upper() + le[1:],
            "buyer_a": a, "adj": adj, "person": rng.choice(PERSONS), "media": rng.choice(MEDIA),
            "n": rng.choice([str(rng.randint(2, 250)), rng.choice(COUNT_WORDS)]),
            "money": _money(rng, rng.choice(CURRENCIES)), "date": _date_phrase(rng, year - rng.randint(0, 3)),
            "years": rng.randint(2, 30), "months": rng.randint(2, 36), "year2": year + rng.randint(1, 8),
        }
        values["media_cap"] = values["media"][0].upper() + values["media"][1:]
        line = rng.choice(TEMPLATES).format(**values)
        sentences.insert(rng.randint(0, len(sentences)), line + ("\n\n" if rng.random() < 0.3 else ""))
    text = " ".join(s if not s.endswith("\n\n") else s.rstrip(" ") for s in sentences)
    text = re.sub(r"\n\n ", "\n\n", text).strip() + "\n"
    if rng.random() < 0.4:
        text = f" date {year - rng.randint(0, 2)}-{rng.randint(1, 12):02d} " + text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return f"{i:06d}_{digest}", text


def write_corpus(out_dir: Path, docs: int, seed: int = 0) -> list[Path]:
    """Write articles 0..docs-1 into `out_dir` (kept if already there); return their paths in order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(docs):
        doc_id, text = generate_article(i, seed)
        path = out_dir / f"{doc_id}.txt"
        if not path.exists():
            path.write_text(text, encoding="utf-8", newline="")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = write_corpus(args.out, args.docs, args.seed)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"{len(paths)} articles, {words} words, in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
