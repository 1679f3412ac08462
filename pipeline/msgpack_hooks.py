"""srsly's msgpack hooks, looked up once: what docs crossing processes cost (`--workers N`).

With spaCy's `n_process`, every doc travels from a worker to the main process as msgpack bytes
(`Doc.to_bytes`, `Doc.from_bytes`, through srsly). srsly asks its two catalogue registries,
`msgpack_encoders` and `msgpack_decoders`, for all their functions at every pack and unpack,
and catalogue answers by reading the entry points of every installed package and scanning the
whole function registry (spaCy's thousands of entries): about 2.5 ms a call, several calls a
doc; 5 of the main process's 34 profiled seconds on 300 articles with `--workers 2`.

`keep_msgpack_hooks()` puts in srsly's place a view of each registry that gives the same
functions, read again only when a function was registered since (the registry grew): the
installed packages' entry points do not change during a run. Idempotent; nothing else of srsly
changes.
"""
from __future__ import annotations

from typing import Any

import catalogue
import srsly.msgpack as packing

REGISTRY_NAMES = ("msgpack_encoders", "msgpack_decoders")


class KeptRegistry:
    """A catalogue registry whose `get_all` is read once per state of the global registry."""

    def __init__(self, registry: catalogue.Registry):
        self.registry = registry
        self.registered = -1        # size of catalogue.REGISTRY when `functions` was read
        self.functions: dict[str, Any] = {}

    def get_all(self) -> dict[str, Any]:
        if self.registered != len(catalogue.REGISTRY):
            self.functions = self.registry.get_all()
            self.registered = len(catalogue.REGISTRY)
        return dict(self.functions)

    def __getattr__(self, name: str) -> Any:  # register, get, namespace...: the registry's own
        return getattr(self.registry, name)


def keep_msgpack_hooks() -> None:
    """srsly's msgpack registries, in srsly's module, replaced by `KeptRegistry` views."""
    for name in REGISTRY_NAMES:
        registry = getattr(packing, name)
        if not isinstance(registry, KeptRegistry):
            setattr(packing, name, KeptRegistry(registry))
