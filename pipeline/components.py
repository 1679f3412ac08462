"""spaCy components: the rule span finder, the entity resolver, the relation extractor.

- `arms_tokenizer` applies our tokenizer rules (`tokenizer.py`) to the pipeline's tokenizer
  when it is added; `arms_sentence_guard` sets every sentence boundary by rule.
- `arms_lemmatizer` and `arms_attribute_ruler` are the model's French lemmatizer and
  attribute ruler with memos: the same annotations, cheaper (`model_memos.py`).
- `arms_span_finder` (a spaCy `SpanRuler`) writes every rule match to
  `doc.spans["arms_candidates"]`: lexicon names (weapons, organisations, places, persons;
  phrase patterns on exact text) and token patterns (money, dates, durations, weapon nouns,
  organisation descriptions), each with `span.id_` = `"lexicon:<key>"` or `"pattern:<id>"`.
- `arms_resolver` chooses among those candidates and the model's entities, normalises the
  chosen mentions and sets `doc.ents` and `doc._.arms_mentions` (plain dicts, see `resolve.py`).
- `arms_relations` sets `doc._.arms_relations` (see `relations.py`).

They are registered with spaCy through the `spacy_factories` entry point (pyproject.toml), so
a pipeline saved with `nlp.to_disk` loads again with `spacy.load` in any process.
`pipeline.nlp.add_components` adds them all, in order, to a French pipeline.

Per-document context comes in through `doc._.arms_source` (doc_id, DCT), set before `nlp.pipe`,
and `doc._.arms_text`: the text the doc was made from, when known, so that no stage rebuilds
`Doc.text` from the tokens (a join over every token, as costly as a stage of its own).
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy
import spacy
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from . import flags, lexicons
from .config import PATTERN_FILES, RULES_DIR
from .flags import LexicalTest, compile_patterns, first_token_checks, is_lower_phrase, passes_checks
from .lexicons import (load_organisations, load_patterns, load_persons, load_places,
                       load_weapons)
from .phrases import PhraseIndex
from .rule_cache import content_key, load_or_build
from .sentences import sentence_marks
from .tokenizer import customize_tokenizer, tokenizer_functions

CANDIDATES_KEY = "arms_candidates"
LEXICON_LABELS = (("WEAPON", load_weapons), ("ORG", load_organisations),
                  ("LOC", load_places), ("PER", load_persons))

# Our Doc extensions, prefixed so that they cannot clash with another package's.
for _name in ("arms_source", "arms_text", "arms_mentions", "arms_relations"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _rules_dir(value: Optional[str]) -> Optional[Path]:
    return Path(value) if value else None


def rule_patterns(rules_dir: Optional[Path] = None, vocab: Optional[Vocab] = None) -> list:
    """Every SpanRuler pattern built from the data of rules/, in a stable order.

    With `vocab`, token patterns are compiled (`flags.py`): onto lexeme flags of that
    vocabulary, into phrases of lower-case words, and with the annotation tests of their first
    token taken out into `first_token` (checked by SpanFinder): same matches, a fraction of
    the time."""
    patterns: list = []
    for label, loader in LEXICON_LABELS:
        lexicon = loader(rules_dir)
        for form, key in sorted(lexicon.forms.items()):
            patterns.append({"label": label, "pattern": form, "id": f"lexicon:{key}"})
    rules = [rule for name in PATTERN_FILES for rule in load_patterns(name, rules_dir)]
    if vocab is None:
        return patterns + [{"label": rule.label, "pattern": rule.pattern, "id": f"pattern:{rule.id}"}
                           for rule in rules]
    checked = [first_token_checks(rule.pattern) for rule in rules]  # (pattern, first-token tests)
    compiled = compile_patterns([pattern for pattern, _ in checked], vocab)
    for rule, (_, check), variants in zip(rules, checked, compiled):
        for pattern in variants:
            entry = {"label": rule.label, "pattern": pattern, "id": f"pattern:{rule.id}"}
            if check:
                entry["first_token"] = check  # checked on each match by SpanFinder
            patterns.append(entry)
    return patterns


@Language.factory("arms_tokenizer")
def make_tokenizer_rules(nlp: Language, name: str):
    """Our tokenizer rules, set on `nlp.tokenizer` as the component is added (a component
    cannot cut a doc that is already made: it changes the tokenizer that makes the next
    ones). The component itself passes docs through."""
    customize_tokenizer(nlp)
    return pass_through


def pass_through(doc: Doc) -> Doc:
    return doc


@Language.factory("arms_sentence_guard", assigns=["token.is_sent_start"])
def make_sentence_guard(nlp: Language, name: str):
    """Sentence boundaries by rule (`sentence_guard`); goes before the parser."""
    return sentence_guard


def sentence_guard(doc: Doc) -> Doc:
    """Every sentence boundary, by rule (`sentences.sentence_marks`), before any parse.

    The parser of fr_core_news_md cut sentences inside names (`New | Delhi`, `Korea Aerospace
    | Industries`, the hyphens of `Tel-Aviv`) and after designations it misreads (`250 chars
    M1A2 | Abrams aux États-Unis`): 35 of 270 sentences of the seeds and dev articles ended
    that way, leaving a deal's value or date in another "sentence". The rules decide alone,
    so the parser needs to run only on the sentences the relation stage reads
    (`arms_parser`)."""
    if len(doc) < 2:
        return doc
    # one array in and out: `Token.is_sent_start = ...` scans the whole doc at each call
    strings = doc.vocab.strings
    texts = [strings[orth] for orth in doc.to_array("ORTH").tolist()]
    is_space = [bool(flag) for flag in doc.to_array("IS_SPACE").tolist()]
    space_after = [bool(flag) for flag in doc.to_array("SPACY").tolist()]
    marks = numpy.array(sentence_marks(texts, is_space, space_after), dtype="int64")
    doc.from_array(["SENT_START"], marks.view("uint64"))  # spaCy's own encoding of -1
    return doc


def tokenizer_copy(tokenizer: Tokenizer) -> Tokenizer:
    """A tokenizer with the same rules and vocabulary, and a cache of its own."""
    return Tokenizer(tokenizer.vocab, rules=tokenizer.rules, prefix_search=tokenizer.prefix_search,
                     suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
                     token_match=tokenizer.token_match, url_match=tokenizer.url_match,
                     faster_heuristics=tokenizer.faster_heuristics)


class SpanFinder(SpanRuler):
    """spaCy's SpanRuler, with its phrase patterns (lexicon names, on `ORTH`) and the token
    patterns made of plain lower-case words (`flags.is_lower_phrase`, on `LOWER`) kept in
    `phrases.PhraseIndex`es: the same spans as its PhraseMatcher and Matcher would give, in a
    time that does not grow with the number of patterns, and no vocabulary entry made for
    names the texts do not hold.

    `match` gives the spans SpanRuler gives (each match once, in spaCy's span order), built
    from the matches' integer keys: no string is hashed and no span compared twice. A pattern
    entry's `first_token` tests (`flags.first_token_checks`) are checked on its matches."""

    def clear(self) -> None:
        super().clear()
        self.orth_phrases = PhraseIndex(ORTH)   # phrase patterns (lexicon names), by their words
        self.lower_phrases = PhraseIndex(LOWER)  # token patterns of plain lower-case words
        self._span_ids: dict[int, tuple[int, int]] = {}  # match key -> (label, span id) hashes
        self._first_token_checks: dict[int, dict] = {}    # match key -> tests of `first_token`

    def add_patterns(self, patterns: list, phrase_tokens: Optional[dict] = None) -> None:
        """SpanRuler's `add_patterns`, with phrase patterns and lower-case word patterns kept
        in `PhraseIndex`es; a phrase's words are those of `phrase_tokens` (text -> (words,
        spaces), see `tokenize_phrases`) where given."""
        vocab = self.nlp.vocab
        texts = [entry["pattern"] for entry in patterns if isinstance(entry["pattern"], str)]
        tokens = dict(phrase_tokens or {})
        tokens.update(tokenize_phrases(self.nlp.tokenizer, [text for text in texts if text not in tokens]))
        for entry in patterns:
            label = repr((entry["label"], entry.get("id", "")))  # the match key SpanRuler gives it
            key = vocab.strings.as_int(label)
            self._match_label_id_map[key] = {"label": entry["label"], "id": entry.get("id", "")}
            if entry.get("first_token"):
                self._first_token_checks[key] = entry["first_token"]
            pattern = entry["pattern"]
            if isinstance(pattern, str):
                self.orth_phrases.add(key, tokens[pattern][0])
            elif is_lower_phrase(pattern):
                self.lower_phrases.add(key, [token["LOWER"] for token in pattern])
            else:
                self.matcher.add(label, [pattern])
            self._patterns.append(entry)
        strings = vocab.strings
        self._span_ids = {key: (strings.add(entry["label"]), strings.add(entry["id"]))
                          for key, entry in self._match_label_id_map.items()}

    # Nothing to save: the patterns are built from rules/ when the component is made (kept
    # between runs by rule_cache.py), so a pipeline saved with `nlp.to_disk` stays small and
    # reloads with the rules installed with the package.
    def to_disk(self, path, *, exclude=()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, *, exclude=()) -> "SpanFinder":
        return self

    def to_bytes(self, *, exclude=()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude=()) -> "SpanFinder":
        return self

    def match(self, doc: Doc) -> list[Span]:
        self._require_patterns()
        matches = set(self.orth_phrases(doc))
        matches.update(self.lower_phrases(doc))
        if len(self.matcher):
            matches.update(self.matcher(doc))
        checks = self._first_token_checks
        ids = self._span_ids
        # sorted as integers before the spans are made: by token offsets, which order spans of
        # one doc as their characters do (a token is never empty), then label and id hashes
        kept = sorted((start, end, *ids[key]) for key, start, end in matches
                      if start != end and (key not in checks or passes_checks(doc[start], checks[key])))
        return [Span(doc, start, end, label=label, span_id=span_id) for start, end, label, span_id in kept]


def tokenizer_rules(tokenizer: Tokenizer) -> list[str]:
    """The tokenizer's affix and URL expressions (ours change them: `tokenizer.customize_tokenizer`)."""
    return [getattr(getattr(f, "__self__", None), "pattern", repr(f)) for f in tokenizer_functions(tokenizer)]


def tokenize_phrases(tokenizer: Tokenizer, texts: list[str]) -> dict[str, tuple[list[str], list[bool]]]:
    """Each phrase pattern's words and spaces, as the tokenizer cuts it."""
    return {text: ([token.text for token in doc], [bool(token.whitespace_) for token in doc])
            for text, doc in zip(texts, tokenizer.pipe(texts))}


@dataclass(frozen=True)
class CompiledRules:
    """What the span finder is built from: its patterns (token patterns compiled onto the
    lexeme flags `flag_tests`, by bit) and its phrase patterns' tokens."""
    patterns: list
    flag_tests: dict
    phrase_tokens: dict


def compiled_rules(rules_dir: Optional[Path], vocab: Vocab, tokenizer: Tokenizer, model: str) -> CompiledRules:
    """The span finder's patterns for `vocab`, from the cache when rules/, our code and the
    model are those it was built with (`rule_cache.py`); the lexeme flags are set on `vocab`
    either way."""
    free_bits = sorted(bit for bit in range(1, 64) if bit not in vocab.lex_attr_getters)
    key = content_key(rules_dir or RULES_DIR, [Path(flags.__file__), Path(lexicons.__file__), Path(__file__)],
                      [spacy.about.__version__, model, str(free_bits), *tokenizer_rules(tokenizer)])

    def build() -> CompiledRules:
        patterns = rule_patterns(rules_dir, vocab)
        tests = {bit: getter for bit, getter in vocab.lex_attr_getters.items() if isinstance(getter, LexicalTest)}
        texts = [entry["pattern"] for entry in patterns if isinstance(entry["pattern"], str)]
        return CompiledRules(patterns, tests, tokenize_phrases(tokenizer, texts))

    compiled = load_or_build("span-finder", key, build)
    for bit, test in sorted(compiled.flag_tests.items()):
        if vocab.lex_attr_getters.get(bit) is not test:
            vocab.add_flag(test, flag_id=bit)
    return compiled


@Language.factory(
    "arms_span_finder",
    assigns=["doc.spans"],
    default_config={"rules_dir": None},
)
def make_span_finder(nlp: Language, name: str, rules_dir: Optional[str]) -> SpanRuler:
    """A SpanRuler holding the patterns of rules/ (overlapping matches all kept).

    Token patterns are validated, then compiled onto flags of `nlp.vocab` or into phrases of
    lower-case words (`flags.py`).

    Phrase patterns are tokenized by a pipeline-free `nlp` sharing its vocabulary, with a
    copy of its tokenizer: building thousands of them runs no statistical model, and leaves
    the tokenizer of `nlp` as it was (filling its cache with 14k lexicon names made it
    several times slower on every later text).
    """
    tokenizer_only = nlp.__class__(vocab=nlp.vocab)
    tokenizer_only.tokenizer = tokenizer_copy(nlp.tokenizer)
    ruler = SpanFinder(tokenizer_only, name, spans_key=CANDIDATES_KEY, phrase_matcher_attr="ORTH",
                       validate=False, overwrite=True, scorer=None)
    model = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
    compiled = compiled_rules(_rules_dir(rules_dir), nlp.vocab, tokenizer_only.tokenizer, model)
    ruler.add_patterns(compiled.patterns, compiled.phrase_tokens)
    return ruler


@Language.factory(
    "arms_lemmatizer",
    assigns=["token.lemma"],
    default_config={"model": None, "mode": "rule", "overwrite": False,
                    "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"}},
    default_score_weights={"lemma_acc": 1.0},
)
def make_lemmatizer(nlp: Language, model, name: str, mode: str, overwrite: bool, scorer):
    """spaCy's French rule lemmatizer with each (form, part of speech) lemmatized once
    (`model_memos.MemoLemmatizer`); `nlp.add_components` puts it in place of the model's."""
    from .model_memos import MemoLemmatizer
    return MemoLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


@Language.factory(
    "arms_attribute_ruler",
    default_config={"validate": False, "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}},
)
def make_attribute_ruler(nlp: Language, name: str, validate: bool, scorer):
    """spaCy's attribute ruler with what its one-word patterns give a word kept by the word's
    values (`model_memos.MemoAttributeRuler`); `nlp.add_components` puts it in place of the model's."""
    from .model_memos import MemoAttributeRuler
    return MemoAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


@Language.factory(
    "arms_resolver",
    assigns=["doc.ents", "doc._.arms_mentions"],
    requires=["doc.spans", "doc.ents"],
    default_config={"rules_dir": None},
)
def make_resolver(nlp: Language, name: str, rules_dir: Optional[str]):
    """Chooses, cleans and normalises the entity mentions of a document."""
    from .resolve import Resolver
    return Resolver(_rules_dir(rules_dir))


@Language.factory(
    "arms_parser",
    assigns=["token.dep", "token.head"],
    requires=["doc.sents", "doc._.arms_mentions"],
    default_config={"rules_dir": None, "parser": "parser"},
)
def make_parser(nlp: Language, name: str, rules_dir: Optional[str], parser: str):
    """Runs the (disabled) component `parser` only on the sentences the relation stage reads."""
    from .parsing import SentenceParser
    from .relations import load_relation_rules, load_relation_words
    from .relations.gate import ParseGate
    gate = ParseGate.from_rules(load_relation_rules(_rules_dir(rules_dir)), load_relation_words(_rules_dir(rules_dir)))
    return SentenceParser(nlp, parser, gate)


@Language.factory(
    "arms_relations",
    assigns=["doc._.arms_relations"],
    requires=["doc._.arms_mentions"],
    default_config={"rules_dir": None},
)
def make_relations(nlp: Language, name: str, rules_dir: Optional[str]):
    """Extracts arms transfers, agreements, meetings and roles from the mentions and the parse."""
    from .relations import RelationExtractor
    return RelationExtractor(_rules_dir(rules_dir))
