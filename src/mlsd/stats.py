"""Small numerical helpers: the distributions behind tests, intervals and drift checks.

Everything here is written with the ``math`` module only, so the numbers are
the same on CPython and in Pyodide. Each function is a textbook formula:

- **Normal distribution.** ``Phi(x) = erfc(-x / sqrt(2)) / 2``. Using ``erfc``
  (not ``1 + erf``) keeps full precision far into the tails. The inverse
  ``Phi^-1(p)`` starts from Acklam's rational approximation (relative error
  about 1e-9) and polishes it with one Halley step, which brings it to machine
  precision.
- **Student's t.** ``P(T <= t)`` with ``nu`` degrees of freedom is a regularized
  incomplete beta function, ``I_x(nu/2, 1/2)`` with ``x = nu / (nu + t^2)``,
  evaluated with a continued fraction (modified Lentz method).
- **Kolmogorov distribution.** The Kolmogorov–Smirnov statistic ``D`` of a
  sample of size ``n`` has ``P(sqrt(n) D > z) -> 2 sum (-1)^(k-1) exp(-2 k^2 z^2)``
  as ``n`` grows. For finite ``n`` the exact tail is computed with the
  methods compared by Simard & L'Ecuyer (2011): the Birnbaum–Tingey sum for the
  far tail, Durbin's matrix for small ``n`` and the Pelz–Good expansion for
  large ``n``.
- **Sampling.** An exact binomial sampler (``random`` only offers one from
  Python 3.12, and its stream may differ between versions) and a percentile
  helper that interpolates like NumPy's default.

References: Acklam, "An algorithm for computing the inverse normal cumulative
distribution function" (2003); Marsaglia, Tsang & Wang, "Evaluating
Kolmogorov's distribution", J. Stat. Software 8(18), 2003
(https://doi.org/10.18637/jss.v008.i18); Simard & L'Ecuyer, "Computing the
two-sided Kolmogorov–Smirnov distribution", J. Stat. Software 39(11), 2011
(https://doi.org/10.18637/jss.v039.i11).
"""

from __future__ import annotations

import math
import random
from typing import Sequence

from mlsd.validate import (check_finite_vector, check_int, check_number, check_positive,
                           check_positive_int, check_probability)

__all__ = [
    "norm_pdf", "norm_cdf", "norm_sf", "norm_ppf",
    "betainc", "t_cdf", "t_sf", "t_ppf",
    "kolmogorov_sf", "smirnov_sf", "ks_one_sample_sf",
    "mean", "variance", "quantile", "binomial",
]

_SQRT2 = math.sqrt(2.0)
_SQRT2PI = math.sqrt(2.0 * math.pi)


# --- normal distribution ---------------------------------------------------------------

def norm_pdf(x: float, mean: float = 0.0, sd: float = 1.0) -> float:
    """Density of the normal distribution N(mean, sd^2) at ``x``."""
    x, mean, sd = check_number("x", x), check_number("mean", mean), check_positive("sd", sd)
    z = (x - mean) / sd
    return math.exp(-0.5 * z * z) / (_SQRT2PI * sd)


def norm_cdf(x: float, mean: float = 0.0, sd: float = 1.0) -> float:
    """P(X <= x) for X ~ N(mean, sd^2)."""
    x, mean, sd = check_number("x", x), check_number("mean", mean), check_positive("sd", sd)
    return 0.5 * math.erfc(-(x - mean) / (sd * _SQRT2))


def norm_sf(x: float, mean: float = 0.0, sd: float = 1.0) -> float:
    """P(X > x) = 1 - cdf, computed directly so small tails keep their precision."""
    x, mean, sd = check_number("x", x), check_number("mean", mean), check_positive("sd", sd)
    return 0.5 * math.erfc((x - mean) / (sd * _SQRT2))


# Acklam's rational approximation: a central piece and a tail piece.
_A = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
_B = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01)
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
      3.754408661907416e+00)


def _poly(coeffs: Sequence[float], x: float) -> float:
    """Horner's rule: coeffs[0] * x^(n-1) + ... + coeffs[-1]."""
    acc = 0.0
    for c in coeffs:
        acc = acc * x + c
    return acc


def norm_ppf(p: float, mean: float = 0.0, sd: float = 1.0) -> float:
    """Quantile function: the ``x`` with ``norm_cdf(x) = p``, for ``0 < p < 1``.

    ``norm_ppf(0.975)`` is the familiar 1.959964 of a 95% two-sided interval.
    """
    p = check_probability("p", p, open_low=True, open_high=True)
    mean, sd = check_number("mean", mean), check_positive("sd", sd)
    if p < 0.02425:                       # lower tail: rational function of sqrt(-2 log p)
        q = math.sqrt(-2.0 * math.log(p))
        x = _poly(_C, q) / (_poly(_D, q) * q + 1.0)
    elif p <= 1.0 - 0.02425:              # centre: rational function of (p - 1/2)
        q = p - 0.5
        r = q * q
        x = _poly(_A, r) * q / (_poly(_B, r) * r + 1.0)
    else:                                 # upper tail, by symmetry
        q = math.sqrt(-2.0 * math.log1p(-p))
        x = -_poly(_C, q) / (_poly(_D, q) * q + 1.0)
    # One Halley step on f(x) = Phi(x) - p polishes ~9 correct digits to ~16.
    if p < 0.5:
        e = 0.5 * math.erfc(-x / _SQRT2) - p
    else:                                 # compare upper tails, where precision lives
        e = (1.0 - p) - 0.5 * math.erfc(x / _SQRT2)
    u = e * _SQRT2PI * math.exp(0.5 * x * x)
    x = x - u / (1.0 + 0.5 * x * u)
    return mean + sd * x


# --- Student's t -------------------------------------------------------------------------

def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction for I_x(a, b), evaluated with the modified Lentz method."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        # even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m))
        num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2))
        d = 1.0 + num * d
        c = 1.0 + num / c
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = c if abs(c) > tiny else tiny
        h *= d * c
        # odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0))
        d = 1.0 + num * d
        c = 1.0 + num / c
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            return h
    raise ArithmeticError("incomplete beta continued fraction did not converge")  # pragma: no cover


def _lgamma_ratio(x: float, s: float) -> float:
    """log(Gamma(x + s) / Gamma(x)) for x >= 100, without cancelling two huge lgammas.

    Stirling: lgamma(x) = (x - 1/2) log x - x + log(2 pi)/2 + 1/(12x) - 1/(360x^3) + 1/(1260x^5);
    in the difference the big terms are rewritten with log1p so no digits are lost.
    """
    def corr(y: float) -> float:
        return 1.0 / (12.0 * y) - 1.0 / (360.0 * y ** 3) + 1.0 / (1260.0 * y ** 5)
    return (x - 0.5) * math.log1p(s / x) + s * math.log(x + s) - s + corr(x + s) - corr(x)


def _log_beta(a: float, b: float) -> float:
    """log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b), accurate when one argument is large."""
    small, big = min(a, b), max(a, b)
    if big < 100.0:
        return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    return math.lgamma(small) - _lgamma_ratio(big, small)


def _betainc(a: float, b: float, x: float, y: float) -> float:
    """I_x(a, b) with ``y = 1 - x`` passed separately, so neither loses digits to rounding."""
    if x == 0.0 or y == 0.0:
        return 0.0 if x == 0.0 else 1.0
    log_x = math.log1p(-y) if y < 0.5 else math.log(x)
    log_y = math.log1p(-x) if x < 0.5 else math.log(y)
    # log of the front factor x^a (1-x)^b / B(a, b)
    log_front = a * log_x + b * log_y - _log_beta(a, b)
    # The fraction converges fast for x < (a+1)/(a+b+2); otherwise use I_x(a,b) = 1 - I_{1-x}(b,a).
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, y) / b


def betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta function I_x(a, b) = P(Beta(a, b) <= x)."""
    a, b = check_positive("a", a), check_positive("b", b)
    x = check_probability("x", x)
    return _betainc(a, b, x, 1.0 - x)


def t_sf(t: float, df: float) -> float:
    """P(T > t) for Student's t with ``df`` degrees of freedom (``df`` may be fractional)."""
    t, df = check_number("t", t), check_positive("df", df)
    # P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2); split it by the sign of t.
    t2 = t * t
    two_tail = _betainc(df / 2.0, 0.5, df / (df + t2), t2 / (df + t2))
    return 0.5 * two_tail if t >= 0 else 1.0 - 0.5 * two_tail


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    t, df = check_number("t", t), check_positive("df", df)
    return t_sf(-t, df)


def t_ppf(p: float, df: float) -> float:
    """Quantile of Student's t: solves ``t_cdf(t, df) = p`` by bisection (60 halvings)."""
    p = check_probability("p", p, open_low=True, open_high=True)
    df = check_positive("df", df)
    if p == 0.5:
        return 0.0
    if p > 0.5:                              # symmetric: solve the upper tail directly
        return -t_ppf(1.0 - p, df)
    lo = hi = norm_ppf(p)                     # t tails are heavier, so t_p <= z_p < 0
    while t_cdf(lo, df) > p:                  # walk left until the root is bracketed
        hi, lo = lo, lo * 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf(mid, df) > p:
            hi = mid
        else:
            lo = mid
        if hi - lo <= 1e-15 * max(1.0, abs(mid)):
            break
    return 0.5 * (lo + hi)


# --- Kolmogorov–Smirnov distributions ------------------------------------------------------

def kolmogorov_sf(z: float) -> float:
    """Limiting tail P(sqrt(n) D_n > z) as n -> infinity (Kolmogorov's distribution).

    Two series for the same function: the alternating one converges fast for
    large ``z``; the theta-function form ``sqrt(2 pi)/z sum exp(-(2k-1)^2 pi^2 / (8 z^2))``
    for the CDF converges fast for small ``z``.
    """
    z = check_number("z", z)
    if z <= 0.04:                        # P(sqrt(n) D <= 0.04) < 1e-300
        return 1.0
    if z < 1.0:
        w = -math.pi ** 2 / (8.0 * z * z)
        cdf = math.fsum(math.exp((2 * k - 1) ** 2 * w) for k in range(1, 8)) * _SQRT2PI / z
        return 1.0 - cdf
    return 2.0 * math.fsum((-1) ** (k - 1) * math.exp(-2.0 * k * k * z * z) for k in range(1, 101))


def smirnov_sf(d: float, n: int) -> float:
    """Exact one-sided tail P(D+_n >= d) of a sample of size ``n`` (Birnbaum–Tingey).

    ``P = d * sum_{j=0}^{floor(n(1-d))} C(n, j) (1 - d - j/n)^(n-j) (d + j/n)^(j-1)``.
    Every term is positive, so the sum is numerically stable; terms are added
    in log space to avoid overflow of the binomial coefficients.
    """
    d = check_number("d", d)
    n = check_positive_int("n", n)
    if d <= 0.0:
        return 1.0
    if d >= 1.0:
        return 0.0
    total = 0.0
    log_binom = 0.0                          # log C(n, j), updated incrementally
    peak = -math.inf
    for j in range(0, int(math.floor(n * (1.0 - d))) + 1):
        if j > 0:
            log_binom += math.log(n - j + 1) - math.log(j)
        rest = 1.0 - d - j / n
        if rest <= 0.0:
            break
        log_term = log_binom + (n - j) * math.log(rest) + (j - 1) * math.log(d + j / n)
        peak = max(peak, log_term)
        if log_term < peak - 50.0:           # the terms are unimodal: past the peak, stop
            break                            # once they are e^-50 below it
        total += math.exp(log_term)
    return min(1.0, d * total)


def _durbin_matrix_cdf(n: int, d: float) -> float:
    """P(D_n < d) by Durbin's matrix method (exact; cost grows like (n d)^3 log n).

    Marsaglia, Tsang & Wang (2003): with k = ceil(n d), h = k - n d and the
    (2k-1)x(2k-1) matrix H below, P(D_n < d) = n!/n^n * (H^n)[k-1][k-1].
    """
    k = math.ceil(n * d)
    h = k - n * d
    m = 2 * k - 1
    fact = [1.0]
    for j in range(1, m + 1):
        fact.append(fact[-1] * j)
    H = [[(1.0 / fact[i - j + 1]) if i - j + 1 >= 0 else 0.0 for j in range(m)] for i in range(m)]
    for i in range(m):                        # first column and last row carry the h terms
        H[i][0] -= h ** (i + 1) / fact[i + 1]
        H[m - 1][i] -= h ** (m - i) / fact[m - i]
    if 2 * h - 1 > 0:
        H[m - 1][0] += (2 * h - 1) ** m / fact[m]

    def matmul(X, Y):
        cols = list(zip(*Y))
        return [[math.fsum(a * b for a, b in zip(row, col)) for col in cols] for row in X]

    # H^n by repeated squaring, rescaling by 2^-256 to stay in range.
    result, power, exp_result, exp_power, e = None, H, 0, 0, n
    while e:
        if e & 1:
            result = power if result is None else matmul(result, power)
            exp_result += exp_power
        e >>= 1
        if e:
            power = matmul(power, power)
            exp_power *= 2
            if abs(power[k - 1][k - 1]) > 2.0 ** 256:
                power = [[v * 2.0 ** -256 for v in row] for row in power]
                exp_power += 256
        if result is not None and abs(result[k - 1][k - 1]) > 2.0 ** 256:
            result = [[v * 2.0 ** -256 for v in row] for row in result]
            exp_result += 256
    # multiply by n!/n^n in log space, then undo the scaling
    log_p = (math.log(result[k - 1][k - 1]) + math.lgamma(n + 1) - n * math.log(n)
             + exp_result * math.log(2.0))
    return math.exp(log_p)


def _pelz_good_cdf(n: int, d: float) -> float:
    """Pelz–Good (1976) expansion of P(D_n <= d) in powers of 1/sqrt(n); for large n."""
    z = math.sqrt(n) * d
    z2, z4, z6 = z * z, z ** 4, z ** 6
    pi2, pi4, pi6 = math.pi ** 2, math.pi ** 4, math.pi ** 6
    q = math.exp(-pi2 / (8.0 * z2))
    if q == 0.0:
        return 0.0
    kmax = max(1, math.ceil(16.0 * z / math.pi))
    k0 = k1 = k2 = k3 = 0.0
    for k in range(1, kmax + 1):
        m2 = (2 * k - 1) ** 2                     # (k - 1/2)^2 pi^2 terms, written with m = 2k-1
        w = q ** m2                               # exp(-m^2 pi^2 / (8 z^2))
        k0 += w
        k1 += w * (pi2 * m2 / 4.0 - z2)
        k2 += w * (6 * z6 + 2 * z4 + pi2 * m2 * (2 * z4 - 5 * z2) / 4.0
                   + pi4 * m2 * m2 * (1 - 2 * z2) / 16.0)
        k3 += w * (pi6 * m2 ** 3 * (5 - 30 * z2) / 64.0 + pi4 * m2 * m2 * (212 * z4 - 60 * z2) / 16.0
                   + pi2 * m2 * (135 * z4 - 96 * z6) / 4.0 - 30 * z6 - 90 * z ** 8)
    k0 *= _SQRT2PI / z
    k1 *= _SQRT2PI / (6.0 * z4)
    k2 *= _SQRT2PI / (72.0 * z ** 7)
    k3 *= _SQRT2PI / (6480.0 * z ** 10)
    # the second theta series, exp(-k^2 pi^2 / (2 z^2)), enters the 1/n and 1/n^1.5 terms
    extra2 = extra3 = 0.0
    for k in range(1, kmax + 1):
        w = math.exp(-k * k * pi2 / (2.0 * z2))
        extra2 += k * k * w
        extra3 += (3.0 * z2 - k * k * pi2) * k * k * w
    k2 -= extra2 * pi2 * _SQRT2PI / (36.0 * z ** 3)
    k3 += extra3 * pi2 * _SQRT2PI / (216.0 * z6)
    return k0 + k1 / math.sqrt(n) + k2 / n + k3 / n ** 1.5


def ks_one_sample_sf(d: float, n: int) -> float:
    """Exact tail P(D_n >= d) of the two-sided one-sample KS statistic, sample size ``n``.

    The method depends on where (n, d) falls, as recommended by Simard &
    L'Ecuyer (2011) and done by SciPy's ``kstwo``:

    - ``n d <= 1`` or ``n d >= n - 1``: closed forms (Ruben & Gambino).
    - the far tail (``n d^2`` large, or ``d >= 1/2``): ``2 * smirnov_sf`` — two
      one-sided tails that (almost) cannot happen together.
    - otherwise ``1 - cdf``, with the cdf from Durbin's matrix when ``n`` is
      small (or ``d`` very small), and from the Pelz–Good expansion when ``n`` is large.

    Agrees with ``scipy.stats.kstwo.sf`` to about 1e-10 (tested).
    """
    d = check_number("d", d)
    n = check_positive_int("n", n)
    if d >= 1.0:
        return 0.0
    t = n * d
    if t <= 0.5:
        return 1.0
    if t <= 1.0:                          # P(D_n < d) = n!/n^n (2t - 1)^n
        log_cdf = math.lgamma(n + 1) - n * math.log(n) + n * math.log(2 * t - 1)
        return 1.0 - math.exp(log_cdf)
    if t >= n - 1:
        return 2.0 * (1.0 - d) ** n
    nd2 = t * d
    if nd2 >= 370.0:                      # 2 exp(-2 n d^2) < 1e-320: zero in double precision
        return 0.0
    if d >= 0.5 or (n <= 140 and nd2 > 4.0) or (n > 140 and nd2 >= 2.2):
        return min(1.0, 2.0 * smirnov_sf(d, n))
    # SciPy uses Durbin's matrix whenever n d^1.5 <= 1.4. Pelz-Good's error there shrinks with n:
    # against SciPy, at most 9.7e-10 at n = 3,001, 7.3e-11 at 5,000, 5.5e-13 at 10,000. So the
    # matrix (about 0.07 s at n = 5,000, growing with n d) is used up to n = 5,000.
    if n <= 140 or (n <= 5000 and n * d ** 1.5 <= 1.4):
        cdf = _durbin_matrix_cdf(n, d)
    else:
        cdf = _pelz_good_cdf(n, d)
    return min(1.0, max(0.0, 1.0 - cdf))


# --- summaries and sampling ----------------------------------------------------------------

def mean(values: Sequence[float]) -> float:
    """Arithmetic mean of a non-empty sequence of finite numbers."""
    xs = check_finite_vector("values", values)
    return math.fsum(xs) / len(xs)


def variance(values: Sequence[float], ddof: int = 1) -> float:
    """Variance with ``ddof`` degrees of freedom removed (1 = the unbiased sample variance).

    Two passes (mean first, then squared deviations) avoid the cancellation of
    the ``E[x^2] - E[x]^2`` shortcut.
    """
    xs = check_finite_vector("values", values)
    ddof = check_int("ddof", ddof)
    if not 0 <= ddof < len(xs):
        raise ValueError(f"ddof must be in [0, len(values)), got {ddof} for {len(xs)} values")
    m = math.fsum(xs) / len(xs)
    return math.fsum((x - m) ** 2 for x in xs) / (len(xs) - ddof)


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q``-quantile with linear interpolation between order statistics.

    Position ``q (n - 1)`` in the sorted values, as NumPy's default
    (``method="linear"``) does.
    """
    xs = sorted(check_finite_vector("values", values))
    q = check_probability("q", q)
    pos = q * (len(xs) - 1)
    lo = int(math.floor(pos))
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (pos - lo) * (xs[hi] - xs[lo])


def binomial(rng: random.Random, n: int, p: float) -> int:
    """One draw from Binomial(n, p), exact and identical on every Python version.

    Inversion by a search that starts at the mode: take a uniform ``u``,
    subtract P(mode), then P(mode+1), P(mode-1), P(mode+2), ... until ``u``
    drops below 0, and return the value that did it. Each value is returned
    with exactly its probability, and the search takes about ``sqrt(n p (1-p))``
    steps instead of the ``n p`` of a walk from 0. (``random.binomialvariate``
    only exists from Python 3.12, and we need the same stream on 3.11.)
    """
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    n = check_int("n", n)
    if n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n}")
    return _binomial(rng, n, check_probability("p", p))


def _binomial(rng: random.Random, n: int, p: float) -> int:
    """``binomial`` without the argument checks, for inner loops of simulations."""
    if p > 0.5:                                  # count failures instead: keeps p small
        return n - _binomial(rng, n, 1.0 - p)
    if n == 0 or p == 0.0:
        return 0
    mode = int((n + 1) * p)
    log_pmf = (math.lgamma(n + 1) - math.lgamma(mode + 1) - math.lgamma(n - mode + 1)
               + mode * math.log(p) + (n - mode) * math.log1p(-p))
    odds = p / (1.0 - p)
    u = rng.random() - math.exp(log_pmf)
    lo = hi = mode
    p_lo = p_hi = math.exp(log_pmf)
    while u >= 0.0:
        if hi < n:                               # P(k+1) = P(k) (n-k)/(k+1) p/(1-p)
            p_hi *= odds * (n - hi) / (hi + 1)
            hi += 1
            u -= p_hi
            if u < 0.0:
                return hi
        if lo > 0:                               # P(k-1) = P(k) k/(n-k+1) (1-p)/p
            p_lo *= lo / ((n - lo + 1) * odds)
            lo -= 1
            u -= p_lo
            if u < 0.0:
                return lo
        if lo == 0 and hi == n:                  # u was within rounding error of 1
            return mode
    return mode
