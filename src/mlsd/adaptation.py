"""Adapting a language model to a task: the cost of each option and a simulation of its answers.

Three levers change what a language model answers, and each is paid for differently:

- **prompting** puts instructions and worked examples in the context. No weights change; the
  extra tokens are paid on every request.
- **retrieval-augmented generation** (RAG) fetches passages from an index per request and puts
  them in the context. The knowledge is as fresh as the index; the model can only use what the
  retriever finds.
- **fine-tuning** changes the weights. Style, format and narrow skills move into the model, the
  prompt gets shorter, and what it learned is frozen at training time until the next run.

**Cost.** An option with a fixed monthly cost ``F`` (fine-tuning runs, an index, a dedicated
endpoint) and a cost per request ``c`` costs ``F + c * n`` a month at ``n`` requests. A request
with ``t_in`` input and ``t_out`` output tokens at prices ``p_in`` and ``p_out`` per million
tokens costs ``c = (t_in * p_in + t_out * p_out) / 1e6``. Two options cross at

    n* = (F_b - F_a) / (c_a - c_b)

requests a month: above ``n*`` the option with the smaller cost per request is cheaper
(:func:`break_even_volume`; no crossing when it is also the cheaper one at zero volume).

**Answers.** :func:`simulate_answers` is a stated stand-in, not a language model. Each question
needs one fact. The model answers it right with probability

- ``p_context`` if the fact is in its context (the retriever found it: probability ``recall``),
- ``p_weights`` if the fact is in its weights and has not changed since training (the model
  learned a share ``known`` of the facts),
- 0 if its weights hold a value that has changed since (a share ``changed`` of the facts): it
  answers confidently with the old value,
- ``p_guess`` otherwise,

and the answer counts only if it also has the requested format (probability ``p_format``). The
expected accuracy, which :func:`expected_accuracy` computes and the simulation must match, is

    p_format * (recall * p_context + (1 - recall) * fallback),
    fallback = known * (1 - changed) * p_weights + (1 - known) * p_guess.

:func:`position_accuracy` gives ``p_context`` for a fact at one position of a context of ``k``
passages: ``edge`` at the first and last positions, falling towards ``middle`` in between along
``sin(pi * i / (k - 1))``. Long contexts use facts in the middle less (Liu et al., "Lost in the
Middle", https://arxiv.org/abs/2307.03172); the shape and sizes here are assumptions, not a fit.
:func:`context_use` makes both ends depend on ``k``: the edge falls by ``distraction`` per extra
passage, and the middle dips ``depth * (k - 1) / (k - 1 + half)`` below the edge, deeper as the
context grows.

**LoRA** (Hu et al., https://arxiv.org/abs/2106.09685) freezes a weight matrix ``W`` of shape
``d_out x d_in`` and trains a low-rank update ``W + B A`` with ``B`` of shape ``d_out x r`` and
``A`` of shape ``r x d_in``: ``r * (d_in + d_out)`` trainable numbers instead of ``d_in * d_out``
(:func:`lora_parameters`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

__all__ = ["request_cost", "monthly_cost", "break_even_volume", "position_accuracy",
           "context_use", "expected_accuracy", "simulate_answers", "lora_parameters"]


def _number(name: str, value, *, low: float = 0.0, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value) or value < low or (high is not None and value > high):
        bound = f"in [{low}, {high}]" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be {bound}, got {value}")
    return float(value)


def _count(name: str, value, *, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < low:
        raise ValueError(f"{name} must be >= {low}, got {value}")
    return value


def request_cost(input_tokens: float, output_tokens: float, price_in: float, price_out: float) -> float:
    """Cost of one request: tokens times price per million tokens, input and output priced apart."""
    t_in, t_out = _number("input_tokens", input_tokens), _number("output_tokens", output_tokens)
    p_in, p_out = _number("price_in", price_in), _number("price_out", price_out)
    return (t_in * p_in + t_out * p_out) / 1e6


def monthly_cost(requests: float, per_request: float, fixed: float = 0.0) -> float:
    """``fixed + per_request * requests``: a month's cost at a volume of ``requests``."""
    return _number("fixed", fixed) + _number("per_request", per_request) * _number("requests", requests)


def break_even_volume(fixed_a: float, per_request_a: float, fixed_b: float, per_request_b: float) -> float | None:
    """Monthly requests at which options a and b cost the same, or None if they never cross.

    None when the costs per request are equal, or when the option with the smaller cost per
    request is also the cheaper (or as cheap) at zero volume: it is then never beaten above 0.
    """
    f_a, c_a = _number("fixed_a", fixed_a), _number("per_request_a", per_request_a)
    f_b, c_b = _number("fixed_b", fixed_b), _number("per_request_b", per_request_b)
    if c_a == c_b:
        return None
    n = (f_b - f_a) / (c_a - c_b)
    return n if n > 0 else None


def position_accuracy(position: int, k: int, edge: float = 0.95, middle: float = 0.75) -> float:
    """Chance of using a fact at ``position`` (0-based) of ``k`` passages: U-shaped, stated assumption.

    ``edge`` at the first and last positions, ``middle`` at the centre of a long context, along
    ``edge - (edge - middle) * sin(pi * i / (k - 1))``. With one or two passages every position
    is an edge.
    """
    k = _count("k", k)
    if isinstance(position, bool) or not isinstance(position, int):
        raise TypeError(f"position must be an integer, got {type(position).__name__}")
    if not 0 <= position < k:
        raise ValueError(f"position must be in [0, {k - 1}] for k={k}, got {position}")
    edge, middle = _number("edge", edge, high=1.0), _number("middle", middle, high=1.0)
    if k <= 2:
        return edge
    return edge - (edge - middle) * math.sin(math.pi * position / (k - 1))


def context_use(k: int, *, edge: float = 0.95, distraction: float = 0.005, depth: float = 0.35,
                half: float = 10.0) -> list[float]:
    """Per position of a context of ``k`` passages, the chance of using the fact there (stated).

    The first and last positions get ``edge - distraction * (k - 1)``; the centre gets that minus
    ``depth * (k - 1) / (k - 1 + half)``; :func:`position_accuracy` fills in between. One
    passage: ``[edge]``.
    """
    k = _count("k", k)
    e0, dis = _number("edge", edge, high=1.0), _number("distraction", distraction, high=1.0)
    dep, hf = _number("depth", depth, high=1.0), _number("half", half)
    e = e0 - dis * (k - 1)
    middle = e - dep * (k - 1) / (k - 1 + hf) if k > 1 else e
    if middle < 0:
        raise ValueError(f"k={k} is too large for edge={edge}, distraction={distraction}, depth={depth}: "
                         f"the use of a passage would fall below 0")
    return [position_accuracy(i, k, e, middle) for i in range(k)]


def expected_accuracy(*, recall: float, p_context: float, known: float, changed: float,
                      p_weights: float, p_guess: float, p_format: float) -> float:
    """Expected share of right, well-formatted answers under the model of the module docstring."""
    r = _number("recall", recall, high=1.0)
    pc, pw = _number("p_context", p_context, high=1.0), _number("p_weights", p_weights, high=1.0)
    kn, ch = _number("known", known, high=1.0), _number("changed", changed, high=1.0)
    pg, pf = _number("p_guess", p_guess, high=1.0), _number("p_format", p_format, high=1.0)
    fallback = kn * (1 - ch) * pw + (1 - kn) * pg
    return pf * (r * pc + (1 - r) * fallback)


def simulate_answers(n_questions: int, *, recall: float, p_context: float | Sequence[float], known: float,
                     changed: float, p_weights: float, p_guess: float, p_format: float,
                     seed: int = 0) -> dict:
    """Answer ``n_questions`` one-fact questions with the stand-in model; count what happened.

    ``p_context`` is one probability, or one per position of the context: the fact found by the
    retriever then sits at a uniformly drawn position. Whether a fact is known, changed and
    retrieved is drawn independently per question. Returns the counts per path (``context``,
    ``weights``, ``stale``, ``absent``), the right answers and the ``accuracy``.
    """
    n = _count("n_questions", n_questions)
    r, kn, ch = _number("recall", recall, high=1.0), _number("known", known, high=1.0), _number("changed", changed, high=1.0)
    pw, pg = _number("p_weights", p_weights, high=1.0), _number("p_guess", p_guess, high=1.0)
    pf = _number("p_format", p_format, high=1.0)
    if isinstance(p_context, (int, float)) and not isinstance(p_context, bool):
        positions = [_number("p_context", p_context, high=1.0)]
    elif isinstance(p_context, Sequence) and not isinstance(p_context, str) and len(p_context) > 0:
        positions = [_number(f"p_context[{i}]", p, high=1.0) for i, p in enumerate(p_context)]
    else:
        raise TypeError("p_context must be a probability or a non-empty sequence of them")
    rng = random.Random(seed)
    counts = {"context": 0, "weights": 0, "stale": 0, "absent": 0, "right": 0}
    for _ in range(n):
        in_weights, is_changed, found = rng.random() < kn, rng.random() < ch, rng.random() < r
        if found:
            path, p = "context", positions[rng.randrange(len(positions))]
        elif in_weights and not is_changed:
            path, p = "weights", pw
        elif in_weights:
            path, p = "stale", 0.0
        else:
            path, p = "absent", pg
        counts[path] += 1
        right = rng.random() < p
        formatted = rng.random() < pf
        counts["right"] += right and formatted
    counts["accuracy"] = counts["right"] / n
    return counts


def lora_parameters(d_in: int, d_out: int, rank: int) -> dict:
    """Trainable numbers of one ``d_out x d_in`` matrix: full fine-tuning against a LoRA update."""
    d_in, d_out, rank = _count("d_in", d_in), _count("d_out", d_out), _count("rank", rank)
    if rank > min(d_in, d_out):
        raise ValueError(f"rank must be <= min(d_in, d_out) = {min(d_in, d_out)}, got {rank}")
    full, lora = d_in * d_out, rank * (d_in + d_out)
    return {"full": full, "lora": lora, "share": lora / full}
