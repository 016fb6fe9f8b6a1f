"""Memoized builders whose caches can be released together.

A case study's cells are complete programs, so each one asks for the data and the trained models
it needs; the builders are memoized so that, in one interpreter, only the first cell pays. In the
browser one interpreter lives for the whole visit, so without a release every case study the
reader opened would keep its data and models in the WebAssembly heap. Every builder decorated
with :func:`memoized` is registered here, and :func:`release` empties them all: the page runtime
calls it when a cell runs on a different page than the previous one.
"""

from __future__ import annotations

import functools
import gc
from typing import Callable

_BUILDERS: list = []


def memoized(maxsize: int = 1) -> Callable:
    """Like ``functools.lru_cache(maxsize)``, and registered for :func:`release`."""
    if not isinstance(maxsize, int) or isinstance(maxsize, bool) or maxsize < 1:
        raise ValueError(f"maxsize must be a positive int, got {maxsize!r}")

    def decorate(function: Callable) -> Callable:
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _BUILDERS.append(cached)
        return cached

    return decorate


def cached_entries() -> int:
    """How many results the registered builders hold right now."""
    return sum(builder.cache_info().currsize for builder in _BUILDERS)


def release() -> int:
    """Empty every registered builder's cache; return how many results were dropped."""
    dropped = cached_entries()
    for builder in _BUILDERS:
        builder.cache_clear()
    gc.collect()  # models hold reference cycles (trees, indexes): free them now, not later
    return dropped
