"""French-language information extraction for arms transfers and military cooperation.

`from pipeline import load; tables = load("outputs")` gives the outputs as pandas DataFrames;
`from pipeline import Extractor; Extractor().extract(texts)` gives the records of texts in
memory (pipeline/api.py).
"""
from .api import Extractor, Records, extract_texts
from .load import load

__version__ = "0.1.0"

__all__ = ["Extractor", "Records", "extract_texts", "load"]
