"""NPS, CSAT and CES from a distribution of answers: pure arithmetic, no I/O.

The database counts answers per score; everything here works on those counts, so a
survey with a million answers costs the same as one with ten.

- NPS: promoters answer 9-10, passives 7-8, detractors 0-6. The score is
  %promoters - %detractors (-100..100). Each answer is the value +1, 0 or -1, so the
  score is 100 x their mean and its 95% confidence interval is the normal interval of
  that mean, ``score ± 1.96 x 100 x sqrt(variance / n)``, clipped to -100..100.
- CSAT: mean and standard deviation of the scores; satisfied answers are the top two
  points of the scale (4-5 on 1-5), or 1 on a binary (0-1) scale.
- CES: mean and standard deviation; high-effort answers are those in the upper half of
  the scale (5-7 on 1-7, 6-10 on 1-10; the middle point is in neither half).

Standard deviations are of the sample (n - 1), null under two answers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from collector.analytics.surveys.results import (
    CesScore,
    CsatScore,
    Figures,
    NpsScore,
    Sample,
    Scale,
)

Histogram = Mapping[int, int]
"""How many answers gave each score."""

LOW_SAMPLE = 30
"""Under this many answers a score is flagged ``low_sample``: too few to read a trend in."""
Z_95 = 1.959963984540054
PROMOTER_MIN = 9
PASSIVE_MIN = 7


def answer_count(histogram: Histogram) -> int:
    return sum(histogram.values())


def sample_fields(n: int) -> Sample:
    """``n`` and whether it is too small to trust."""
    return {"n": n, "low_sample": n < LOW_SAMPLE}


def mean(histogram: Histogram) -> float | None:
    n = answer_count(histogram)
    if n == 0:
        return None
    return sum(score * count for score, count in histogram.items()) / n


def stdev(histogram: Histogram) -> float | None:
    """The sample standard deviation; null under two answers."""
    n = answer_count(histogram)
    average = mean(histogram)
    if n < 2 or average is None:
        return None
    squares = sum(count * (score - average) ** 2 for score, count in histogram.items())
    return math.sqrt(squares / (n - 1))


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def nps(histogram: Histogram) -> NpsScore | None:
    """Score, 95% interval, counts and shares of each group; null for no answers."""
    n = answer_count(histogram)
    if n == 0:
        return None
    promoters = sum(c for s, c in histogram.items() if s >= PROMOTER_MIN)
    detractors = sum(c for s, c in histogram.items() if s < PASSIVE_MIN)
    passives = n - promoters - detractors
    p, d = promoters / n, detractors / n
    value = p - d
    # Variance of the per-answer values +1/0/-1: E[x²] - E[x]² = p + d - (p - d)².
    margin = Z_95 * math.sqrt(max(p + d - value * value, 0.0) / n)
    return {
        "score": 100 * value,
        "ci95": [100 * max(value - margin, -1.0), 100 * min(value + margin, 1.0)],
        "promoters": promoters,
        "passives": passives,
        "detractors": detractors,
        "shares": {"promoters": p, "passives": passives / n, "detractors": d},
    }


def is_satisfied(score: int, scale: tuple[int, int]) -> bool:
    low, high = scale
    if (low, high) == (0, 1):
        return score == 1
    return score >= high - 1


def is_high_effort(score: int, scale: tuple[int, int]) -> bool:
    low, high = scale
    return 2 * score > low + high


def csat(histogram: Histogram, scale: tuple[int, int]) -> CsatScore | None:
    """``{"mean", "stdev", "satisfied_share", "scale"}``; null for no answers."""
    n = answer_count(histogram)
    if n == 0:
        return None
    satisfied = sum(c for s, c in histogram.items() if is_satisfied(s, scale))
    return {
        "mean": mean(histogram),
        "stdev": stdev(histogram),
        "satisfied_share": satisfied / n,
        "scale": scale_fields(scale),
    }


def ces(histogram: Histogram, scale: tuple[int, int]) -> CesScore | None:
    """``{"mean", "stdev", "high_effort_share", "scale"}``; null for no answers."""
    n = answer_count(histogram)
    if n == 0:
        return None
    high = sum(c for s, c in histogram.items() if is_high_effort(s, scale))
    return {
        "mean": mean(histogram),
        "stdev": stdev(histogram),
        "high_effort_share": high / n,
        "scale": scale_fields(scale),
    }


def scale_fields(scale: tuple[int, int]) -> Scale:
    low, high = scale
    return {"min": low, "max": high, "binary": (low, high) == (0, 1)}


def score_of(survey_type: str, histogram: Histogram, scale: tuple[int, int]) -> Figures:
    """``{"n", "low_sample", <type>: ..}``: the one score a survey of ``survey_type`` has."""
    sample = sample_fields(answer_count(histogram))
    figures: Figures = {"n": sample["n"], "low_sample": sample["low_sample"]}
    if survey_type == "nps":
        figures["nps"] = nps(histogram)
    elif survey_type == "csat":
        figures["csat"] = csat(histogram, scale)
    elif survey_type == "ces":
        figures["ces"] = ces(histogram, scale)
    else:
        raise KeyError(survey_type)
    return figures
