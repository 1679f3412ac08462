"""rules/relations.yaml's transfer triggers: the loader's checks, and each trigger's example.

Every entry of `transfer_verbs` and `transfer_nouns` carries an `example`, a sentence of our
own with the answer a careful reader takes from it (SCHEMA.md):
`sentence => RECIPIENT SUPPLIER status` (ISO 3166 alpha-3 codes; `-` for a supplier the
sentence does not give). The model test runs each sentence through the pipeline.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.config import STATUSES
from pipeline.lexicons import RuleError
from pipeline.relations.rules import Trigger, load_relation_rules

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"
CODE = re.compile(r"^[A-Z]{3}$")


def all_triggers() -> list[Trigger]:
    rules = load_relation_rules(RULES_DIR)
    return [*rules.transfer_verbs.values(), *rules.transfer_nouns.values()]


def parse_example(example: str) -> tuple[str, str, str | None, str]:
    """(sentence, recipient, supplier or None for `-`, status) of an example."""
    sentence, answer = example.rsplit(" => ", 1)
    recipient, supplier, status = answer.split()
    return sentence, recipient, None if supplier == "-" else supplier, status


# ------------------------------------------------------------------ loader (no model)


def rules_copy(tmp_path: Path, edit) -> Path:
    """A copy of rules/ under tmp_path whose relations.yaml went through `edit(data)`."""
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    path = target / "relations.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def unknown_section(data):
    data["transfer_adverbs"] = ["vite"]


def unknown_trigger_key(data):
    data["transfer_verbs"]["vendre"]["sujet"] = "supplier"


def bad_subject(data):
    data["transfer_verbs"]["acheter"]["subject"] = "buyer"


def bad_status(data):
    data["transfer_nouns"]["commande"]["status"] = "shipped"


def example_without_answer(data):
    data["transfer_verbs"]["livrer"]["example"] = "La France a livré des Rafale à l'Inde."


def example_with_short_answer(data):
    data["transfer_nouns"]["vente"]["example"] = "La vente de Rafale à l'Inde. => IND delivered"


def gate_names_no_list(data):
    data["parse_gate"] = [*data["parse_gate"], "delivery_nouns"]


@pytest.mark.parametrize("edit,message", [
    (gate_names_no_list, r"relations\.yaml: parse_gate names \['delivery_nouns'\]"),
    (unknown_section, r"relations\.yaml.*unknown key.*transfer_adverbs"),
    (unknown_trigger_key, r"transfer_verbs: vendre.*unknown key.*sujet"),
    (bad_subject, r"transfer_verbs: acheter: subject 'buyer' is not one of"),
    (bad_status, r"transfer_nouns: commande: status 'shipped' is not one of"),
    (example_without_answer, r"transfer_verbs: livrer: example must read"),
    (example_with_short_answer, r"transfer_nouns: vente: example must read"),
], ids=["gate_names_no_list", "unknown_section", "unknown_trigger_key", "bad_subject", "bad_status", "example_without_answer",
        "example_with_short_answer"])
def test_loader_rejects_malformed_rules(tmp_path, edit, message):
    rules_dir = rules_copy(tmp_path, edit)
    with pytest.raises(RuleError, match=message):
        load_relation_rules(rules_dir)


def test_loader_accepts_an_unmodified_copy(tmp_path):
    rules = load_relation_rules(rules_copy(tmp_path, lambda data: None))
    assert rules.transfer_verbs["vendre"] == load_relation_rules(RULES_DIR).transfer_verbs["vendre"]


def test_every_trigger_has_an_example():
    missing = [f"{t.kind}:{t.lemma}" for t in all_triggers() if not t.example]
    assert not missing, f"triggers without an example: {missing}"


@pytest.mark.parametrize("trigger", all_triggers(), ids=lambda t: f"{t.kind}:{t.lemma}")
def test_example_answer_is_well_formed(trigger):
    if not trigger.example:
        pytest.skip("no example")
    sentence, recipient, supplier, status = parse_example(trigger.example)
    assert sentence.strip(), trigger.lemma
    assert CODE.match(recipient), f"{trigger.lemma}: recipient {recipient!r} is not an ISO alpha-3 code"
    assert supplier is None or CODE.match(supplier), \
        f"{trigger.lemma}: supplier {supplier!r} is neither an ISO alpha-3 code nor `-`"
    assert status in STATUSES, f"{trigger.lemma}: status {status!r} is not one of {STATUSES}"


# ------------------------------------------------------------------ examples (model)


@pytest.fixture(scope="module")
def nlp():
    from pipeline.nlp import build_nlp
    return build_nlp()


@pytest.mark.model
@pytest.mark.parametrize("trigger", [t for t in all_triggers() if t.example],
                         ids=lambda t: f"{t.kind}:{t.lemma}")
def test_trigger_example(nlp, trigger):
    sentence, recipient, supplier, status = parse_example(trigger.example)
    doc = nlp.make_doc(sentence)
    doc._.arms_source = {"doc_id": "t", "dct": {"value": "2024-05", "source": "metadata"}}
    doc = nlp(doc)
    where = f"{trigger.kind} trigger {trigger.lemma!r}, example {sentence!r}"

    lemmas = {t.lemma_.lower() for t in doc}
    assert trigger.lemma in lemmas, f"{where}: the lemma is not in the sentence's lemmas {sorted(lemmas)}"
    rules = load_relation_rules()
    read_as = [t.text for t in doc if (rule := rules.trigger(t.lemma_.lower(), t.pos_, t.lower_)) is not None
               and (rule.lemma, rule.kind) == (trigger.lemma, trigger.kind)]
    assert read_as, f"{where}: no token is read as this trigger " \
                    f"{[(t.text, t.lemma_, t.pos_) for t in doc if t.lemma_.lower() == trigger.lemma]}"

    transfers = [r["attrs"] for r in doc._.arms_relations if r["type"] == "arms_transfer"]
    matching = [a for a in transfers if a["recipient_country"] == recipient and a["status"] == status
                and (supplier is None or a["supplier_country"] == supplier)]
    assert len(matching) == 1, \
        f"{where}: expected one arms_transfer {recipient} {supplier or '-'} {status}, got {transfers}"
