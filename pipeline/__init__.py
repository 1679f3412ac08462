"""French-language information extraction for arms transfers and military cooperation.

`from pipeline import load; tables = load("outputs")` gives the outputs as pandas DataFrames.
"""
from .load import load

__version__ = "0.1.0"

__all__ = ["load"]
