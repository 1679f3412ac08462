"""French-language information extraction for arms transfers and military cooperation."""
