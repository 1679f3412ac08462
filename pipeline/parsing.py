"""The dependency parse, only on the sentences the relation stage reads (`arms_parser`).

The model's parser stays in the pipeline, disabled; this component runs it on each stretch of
consecutive selected sentences as a doc of its own (its words, its sentence starts and the
shared tok2vec's output, which is all the parser reads: it sees what it would in the whole
doc; `Span.as_doc` would copy every annotation, entities and vectors, and cost more than
the parse) and writes the arcs back. A sentence left
unparsed gets a flat tree: its first token is the root, every other token depends on it
(label `dep`), so that the doc's sentences stay those the sentence guard set.
`doc._.arms_parsed` holds the numbers of the parsed sentences.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

import numpy
from spacy.attrs import DEP, HEAD, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from .sentences import SentenceIndex

FLAT_LABEL = "dep"
if not Doc.has_extension("arms_parsed"):
    Doc.set_extension("arms_parsed", default=None)

SentenceChooser = Callable[[Doc], list[int]]


class SentenceParser:
    """Runs the pipeline's (disabled) parser on the sentences `choose` gives."""

    def __init__(self, nlp: Language, parser_name: str, choose: SentenceChooser):
        self.nlp = nlp
        self.parser_name = parser_name
        self.choose = choose

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        parser = self.nlp.get_pipe(self.parser_name)
        for batch in minibatch(docs, batch_size):
            chosen = [(doc, self.choose(doc)) for doc in batch]
            pieces = [pieces_of(doc, numbers) for doc, numbers in chosen]
            parsed = iter(parser.pipe([piece for of_doc in pieces for _, piece in of_doc], batch_size=batch_size))
            for (doc, numbers), of_doc in zip(chosen, pieces):
                write_parse(doc, [(stretch, next(parsed)) for stretch, _ in of_doc])
                doc._.arms_parsed = numbers
                yield doc


def runs(numbers: list[int]) -> list[range]:
    """Sorted sentence numbers as stretches of consecutive ones (`[1, 2, 4]`: 1-2, 4)."""
    stretches: list[range] = []
    for number in numbers:
        if stretches and stretches[-1].stop == number:
            stretches[-1] = range(stretches[-1].start, number + 1)
        else:
            stretches.append(range(number, number + 1))
    return stretches


def pieces_of(doc: Doc, numbers: list[int]) -> list[tuple[range, Doc]]:
    """Each stretch of the sentences `numbers` of `doc` as a doc to parse: its words, its
    sentence starts and its slice of the tensor (the doc's words read once)."""
    if not numbers:
        return []
    index = SentenceIndex.for_doc(doc)
    strings = doc.vocab.strings
    rows = doc.to_array([ORTH, SPACY]).tolist()
    pieces = []
    for stretch in runs(numbers):
        start, end = index.spans[stretch.start].start, index.spans[stretch.stop - 1].end
        starts = set(index.starts[stretch.start:stretch.stop])
        piece = Doc(doc.vocab, words=[strings[orth] for orth, _ in rows[start:end]],
                    spaces=[bool(space) for _, space in rows[start:end]],
                    sent_starts=[i in starts for i in range(start, end)])
        piece.tensor = doc.tensor[start:end]
        pieces.append((stretch, piece))
    return pieces


def write_parse(doc: Doc, parsed: list[tuple[range, Doc]]) -> None:
    """Heads and labels of the whole doc: the parsed stretches' own, a flat tree for each
    other sentence."""
    index = SentenceIndex.for_doc(doc)
    flat = doc.vocab.strings.add(FLAT_LABEL)
    root = doc.vocab.strings.add("ROOT")
    rows = numpy.zeros((len(doc), 2), dtype="int64")  # HEAD (offset to the head), DEP
    for sent in index.spans:
        rows[sent.start:sent.end, 0] = sent.start - numpy.arange(sent.start, sent.end)
        rows[sent.start:sent.end, 1] = flat
        rows[sent.start, 1] = root
    for stretch, piece in parsed:
        start = index.spans[stretch.start].start
        rows[start:start + len(piece)] = piece.to_array([HEAD, DEP]).view("int64")
    doc.from_array([HEAD, DEP], rows.view("uint64"))
