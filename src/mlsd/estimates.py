"""Back-of-envelope estimates: traffic, storage, memory, latency, servers.

In a design interview (and before building anything) a few multiplications
decide the architecture: whether embeddings fit in one machine's memory,
whether ranking 500 candidates fits the latency budget, how many servers the
peak needs. Each function here does one such estimate and returns a dict, so a
cell can show it with ``show.table([result])`` or, vertically, with
``show.table(as_rows(result))``.

The arithmetic:

- **Traffic.** ``average QPS = DAU x requests per user per day / 86,400``;
  traffic is not flat over the day, so size for ``peak = average x peak_factor``
  (2-3x is a common assumption; measure it when you can).
- **Storage and memory.** ``items x dimensions x bytes per value`` (4 for
  float32, 2 for float16, 1 for int8), plus any per-item overhead (ids, index
  links), times the number of replicas.
- **Latency.** Stages that run one after another add up; compare the sum with
  the budget and keep some slack for the tail.
- **Servers.** ``ceil(peak QPS / (QPS per server x target utilization))``, plus
  spares so that losing a machine does not overload the rest.

Units are decimal: 1 KB = 1,000 bytes, 1 GB = 10^9 bytes — close enough for an
estimate and easy to do in your head. Results keep exact numbers; byte totals
also come as a readable ``size`` string, and ``format_count`` /
``format_bytes`` format the rest.
"""

from __future__ import annotations

import math
from typing import Mapping

from mlsd.validate import (check_non_negative_int, check_number, check_positive,
                           check_positive_int, check_probability)

__all__ = ["SECONDS_PER_DAY", "qps", "request_load", "load_rows", "storage", "embedding_memory", "log_storage", "machines_for_memory",
           "latency_budget", "servers_needed", "format_bytes", "format_count", "as_rows"]

SECONDS_PER_DAY = 86_400


def format_bytes(n: float) -> str:
    """``1_500_000_000`` -> ``"1.5 GB"`` (decimal units, 3 significant digits)."""
    n = check_number("n", n)
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    for unit, size in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n:.0f} B"


def format_count(n: float) -> str:
    """``1_200_000`` -> ``"1.2M"``; ``3_000`` -> ``"3K"`` (3 significant digits)."""
    n = check_number("n", n)
    sign = "-" if n < 0 else ""
    n = abs(n)
    for unit, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= size:
            return f"{sign}{n / size:.3g}{unit}"
    return f"{sign}{n:.3g}"


def as_rows(result: Mapping[str, object]) -> list[dict]:
    """Turn one estimate into a two-column table: ``[{"quantity": key, "value": value}, ...]``.

    Nested lists (like the stages of a latency budget) are left out.
    """
    if not isinstance(result, Mapping) or not result:
        raise TypeError("result must be a non-empty dict returned by an estimate")
    return [{"quantity": k, "value": v} for k, v in result.items() if not isinstance(v, (list, dict))]


def qps(daily_active_users: float, requests_per_user: float, peak_factor: float = 2.0) -> dict:
    """Requests per second on average and at peak, from daily users and requests per user per day."""
    dau = check_positive("daily_active_users", daily_active_users)
    per_user = check_positive("requests_per_user", requests_per_user)
    peak_factor = check_number("peak_factor", peak_factor)
    if peak_factor < 1:
        raise ValueError(f"peak_factor must be >= 1 (the peak is at least the average), got {peak_factor}")
    per_day = dau * per_user
    average = per_day / SECONDS_PER_DAY
    return {"daily_active_users": dau, "requests_per_day": per_day, "average_qps": average,
            "peak_factor": peak_factor, "peak_qps": average * peak_factor}


def request_load(*, requests_per_day: float, peak_factor: float = 2.0, scored_per_request: float = 1,
                 logged_per_request: float = 0, bytes_per_row: float = 0) -> dict:
    """The load one request path puts on a system, from requests per day.

    ``mean QPS = requests per day / 86,400``; ``peak QPS = mean x peak_factor``; the model scores
    ``scored_per_request`` candidates per request, so ``scores per second = peak QPS x
    scored_per_request``; each request logs ``logged_per_request`` rows (impressions) of
    ``bytes_per_row`` bytes, so ``log bytes per day = requests per day x rows x bytes``. Every case
    study's estimate starts here; :func:`load_rows` shows the result as a table.
    """
    per_day = check_positive("requests_per_day", requests_per_day)
    peak_factor = check_number("peak_factor", peak_factor)
    if peak_factor < 1:
        raise ValueError(f"peak_factor must be >= 1 (the peak is at least the average), got {peak_factor}")
    scored = check_positive("scored_per_request", scored_per_request)
    logged = check_number("logged_per_request", logged_per_request)
    row_bytes = check_number("bytes_per_row", bytes_per_row)
    if logged < 0 or row_bytes < 0:
        raise ValueError(f"logged_per_request and bytes_per_row must be >= 0, got {logged} and {row_bytes}")
    mean = per_day / SECONDS_PER_DAY
    return {"requests_per_day": per_day, "mean_qps": mean, "peak_qps": mean * peak_factor,
            "scores_per_second": mean * peak_factor * scored, "log_rows_per_day": per_day * logged,
            "log_bytes_per_day": per_day * logged * row_bytes}


def load_rows(load: Mapping[str, float], unit: str = "requests") -> list[dict]:
    """Rows for ``show.table`` from :func:`request_load`: what the reader compares across designs.

    ``unit`` names what a request is on this product ("feed loads", "ad requests", "payments").
    The log rows are left out when the request path logs nothing.
    """
    missing = {"requests_per_day", "mean_qps", "peak_qps", "scores_per_second", "log_rows_per_day",
               "log_bytes_per_day"} - set(load) if isinstance(load, Mapping) else None
    if missing is None or missing:
        raise TypeError("load must be the dict returned by request_load")
    rows = [{"quantity": f"{unit} per day", "value": format_count(load["requests_per_day"])},
            {"quantity": f"{unit} per second, mean / peak",
             "value": f"{load['mean_qps']:,.0f} / {load['peak_qps']:,.0f}"},
            {"quantity": "model scores per second at peak", "value": format_count(load["scores_per_second"])}]
    if load["log_rows_per_day"]:
        rows.append({"quantity": "log rows per day / log size per day",
                     "value": f"{format_count(load['log_rows_per_day'])} / {format_bytes(load['log_bytes_per_day'])}"})
    return rows


def storage(n_items: int, bytes_per_item: float, replication: int = 1) -> dict:
    """Bytes to store ``n_items`` records of ``bytes_per_item`` each, ``replication`` times."""
    n_items = check_positive_int("n_items", n_items)
    per_item = check_positive("bytes_per_item", bytes_per_item)
    replication = check_positive_int("replication", replication)
    total = n_items * per_item * replication
    return {"items": n_items, "bytes_per_item": per_item, "replication": replication,
            "bytes": total, "size": format_bytes(total)}


def embedding_memory(n_items: int, dim: int, bytes_per_value: float = 4,
                     overhead_bytes_per_item: float = 0) -> dict:
    """Memory of an embedding table or vector index: ``n_items x (dim x bytes_per_value + overhead)``.

    ``bytes_per_value``: 4 (float32), 2 (float16), 1 (int8 quantization), or
    e.g. ``m / dim`` for product quantization with ``m`` one-byte codes.
    ``overhead_bytes_per_item``: ids and index structure, e.g. about ``2 M x 4``
    bytes of neighbour links per vector in an HNSW graph with parameter ``M``.
    """
    n_items, dim = check_positive_int("n_items", n_items), check_positive_int("dim", dim)
    bpv = check_positive("bytes_per_value", bytes_per_value)
    overhead = check_number("overhead_bytes_per_item", overhead_bytes_per_item)
    if overhead < 0:
        raise ValueError(f"overhead_bytes_per_item must be >= 0, got {overhead}")
    vectors = n_items * dim * bpv
    total = vectors + n_items * overhead
    return {"items": n_items, "dim": dim, "bytes_per_value": bpv,
            "vector_bytes": vectors, "total_bytes": total, "size": format_bytes(total)}


def log_storage(events_per_day: float, bytes_per_event: float, retention_days: int,
                replication: int = 3) -> dict:
    """Storage for an event log kept ``retention_days`` days with ``replication`` copies."""
    per_day = check_positive("events_per_day", events_per_day)
    per_event = check_positive("bytes_per_event", bytes_per_event)
    days = check_positive_int("retention_days", retention_days)
    replication = check_positive_int("replication", replication)
    daily = per_day * per_event
    total = daily * days * replication
    return {"events_per_day": per_day, "bytes_per_day": daily,
            "retention_days": days, "replication": replication, "bytes": total,
            "size": format_bytes(total)}


def machines_for_memory(total_bytes: float, memory_per_machine_gb: float = 64.0,
                        usable_fraction: float = 0.7) -> dict:
    """Shards needed to hold ``total_bytes`` in RAM, using ``usable_fraction`` of each machine.

    The rest of the memory is for the OS, the serving process and growth.
    """
    total = check_positive("total_bytes", total_bytes)
    per_machine = check_positive("memory_per_machine_gb", memory_per_machine_gb) * 1e9
    usable = check_probability("usable_fraction", usable_fraction, open_low=True)
    shards = math.ceil(total / (per_machine * usable))
    return {"total_bytes": total, "memory_per_machine_bytes": per_machine,
            "usable_fraction": usable, "machines": shards, "fits_on_one": shards == 1}


def latency_budget(stages: Mapping[str, float], budget_ms: float) -> dict:
    """Add up sequential stage latencies and compare with the budget.

    Returns ``rows`` (``stage, ms, share`` of the budget — ready for
    ``show.table``), ``total_ms``, ``budget_ms``, ``slack_ms`` and ``fits``.
    """
    if not isinstance(stages, Mapping) or not stages:
        raise TypeError("stages must be a non-empty dict of stage name -> milliseconds")
    budget = check_positive("budget_ms", budget_ms)
    rows = []
    for name, ms in stages.items():
        ms = check_number(f"stages[{name!r}]", ms)
        if ms < 0:
            raise ValueError(f"stages[{name!r}] must be >= 0 ms, got {ms}")
        rows.append({"stage": str(name), "ms": ms, "share": ms / budget})
    total = math.fsum(r["ms"] for r in rows)
    return {"rows": rows, "total_ms": total, "budget_ms": budget, "slack_ms": budget - total,
            "fits": total <= budget}


def servers_needed(peak_qps: float, qps_per_server: float, target_utilization: float = 0.6,
                   spares: int = 1) -> dict:
    """Servers for a peak load, running each at ``target_utilization`` (queues explode near 100%).

    ``spares`` extra machines (N+1 by default) keep the service up when one fails.
    """
    peak = check_positive("peak_qps", peak_qps)
    per_server = check_positive("qps_per_server", qps_per_server)
    util = check_probability("target_utilization", target_utilization, open_low=True)
    spares = check_non_negative_int("spares", spares)
    # The relative slack keeps rounding (1999 / (1999 * (1/3)) = 3.0000000000000004)
    # from asking for one more server than the load needs.
    needed = math.ceil(peak / (per_server * util) * (1 - 1e-12))
    return {"peak_qps": peak, "qps_per_server": per_server, "target_utilization": util,
            "for_load": needed, "spares": spares, "servers": needed + spares}
