"""Our tokenizer rules: two suffix/infix expressions the French defaults lack.

`customize_tokenizer` applies them to a pipeline's tokenizer; the `arms_tokenizer` component
(pipeline/components.py) does it when added to a pipeline.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_suffix_regex

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


def tokenizer_functions(tokenizer: Tokenizer) -> tuple:
    """The tokenizer's affix, URL and token-match functions (None where unset)."""
    return (tokenizer.prefix_search, tokenizer.suffix_search, tokenizer.infix_finditer, tokenizer.url_match,
            tokenizer.token_match)


def tokenizer_patterns(nlp: Language) -> list[re.Pattern]:
    """The compiled expressions of `nlp`'s tokenizer and of its language's defaults."""
    functions = (*tokenizer_functions(nlp.tokenizer), nlp.Defaults.token_match, nlp.Defaults.url_match)
    return [pattern for f in functions if isinstance(pattern := getattr(f, "__self__", None), re.Pattern)]
