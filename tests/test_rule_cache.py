"""The compiled rules kept between runs (pipeline/rule_cache.py): a second start reads them
instead of compiling, a change to rules/ is always picked up, and a cache folder that cannot
be written costs only the time."""
from __future__ import annotations

import shutil

import pytest
import spacy
import yaml

from pipeline import components
from pipeline.config import RULES_DIR
from pipeline.lexicons import load_weapons, read_yaml
from pipeline.tokenizer import customize_tokenizer
from pipeline.rule_cache import CACHE_ENV


def blank_nlp():
    nlp = spacy.blank("fr")
    customize_tokenizer(nlp)
    return nlp


def compiled(rules_dir=None):
    nlp = blank_nlp()
    result = components.compiled_rules(rules_dir, nlp.vocab, components.tokenizer_copy(nlp.tokenizer), "blank")
    return result, nlp.vocab


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def test_a_second_start_reads_the_compiled_rules(cache, monkeypatch):
    first, first_vocab = compiled()
    assert list(cache.glob("span-finder-*.pickle"))

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again although nothing changed")

    monkeypatch.setattr(components, "rule_patterns", no_compiling)
    second, second_vocab = compiled()
    assert second.patterns == first.patterns and second.phrase_tokens == first.phrase_tokens
    # the lexeme flags the compiled patterns test are set on the new vocabulary too
    assert sorted(second.flag_tests) == sorted(first.flag_tests) and first.flag_tests
    for bit in first.flag_tests:
        assert type(second_vocab.lex_attr_getters[bit]).__name__ == "LexicalTest"
    drones = second_vocab["drones"]
    assert [drones.check_flag(bit) for bit in sorted(first.flag_tests)] == \
           [first_vocab["drones"].check_flag(bit) for bit in sorted(first.flag_tests)]


def test_a_change_to_the_rules_is_picked_up(cache, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    before, _ = compiled(rules)
    assert "Zorglub 7" not in before.phrase_tokens
    weapons = rules / "weapons.yaml"
    entries = yaml.safe_load(weapons.read_text(encoding="utf-8"))
    entries.append({"name": "Zorglub 7", "category": "uav", "manufacturer": None, "country": None})
    weapons.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    load_weapons.cache_clear()  # as a new process would
    after, _ = compiled(rules)
    assert after.phrase_tokens["Zorglub 7"] == (["Zorglub", "7"], [True, False])
    assert read_yaml(weapons)[-1]["name"] == "Zorglub 7"


def test_an_unwritable_cache_folder_costs_only_the_time(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    result, _ = compiled()
    assert "Rafale" in result.phrase_tokens
    assert "not kept" in capsys.readouterr().err


def test_read_yaml_gives_what_the_file_says(cache, tmp_path):
    path = tmp_path / "words.yaml"
    path.write_text("mots: [drone, char]\n", encoding="utf-8")
    assert read_yaml(path) == {"mots": ["drone", "char"]}
    assert read_yaml(path) == {"mots": ["drone", "char"]}  # from the cache
    path.write_text("mots: [frégate]\n", encoding="utf-8")
    assert read_yaml(path) == {"mots": ["frégate"]}
