"""NPS, CSAT and CES from counts per score, against figures worked out by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collector.analytics.surveys import scoring


def test_nps_is_promoters_minus_detractors_in_percent() -> None:
    figures = scoring.nps({10: 2, 9: 1, 8: 1, 7: 1, 6: 1, 0: 1})
    assert figures is not None
    assert figures["score"] == pytest.approx(100 * (3 - 2) / 7)
    assert (figures["promoters"], figures["passives"], figures["detractors"]) == (3, 2, 2)


def test_nps_interval_comes_from_the_variance_of_plus_one_zero_minus_one() -> None:
    # p = 3/7, d = 2/7: variance 5/7 - 1/49 = 34/49; margin 1.96 * sqrt(34/49/7) = 0.6171.
    figures = scoring.nps({10: 3, 8: 2, 0: 2})
    assert figures is not None
    assert figures["ci95"] == pytest.approx([14.2857 - 61.7079, 14.2857 + 61.7079], abs=1e-3)


def test_nps_shares_of_each_group() -> None:
    figures = scoring.nps({9: 1, 7: 2, 6: 1})
    assert figures is not None
    assert figures["shares"] == {"promoters": 0.25, "passives": 0.5, "detractors": 0.25}


def test_nps_of_unanimous_promoters_is_100_with_no_spread() -> None:
    figures = scoring.nps({10: 40})
    assert figures is not None
    assert (figures["score"], figures["ci95"]) == (100.0, [100.0, 100.0])


def test_nps_interval_is_clipped_to_the_scale_of_the_score() -> None:
    figures = scoring.nps({10: 1, 0: 1})
    assert figures is not None
    assert figures["ci95"] == [-100.0, 100.0]


def test_nps_of_no_answers_is_null() -> None:
    assert scoring.nps({}) is None


def test_seven_is_passive_and_six_is_detractor() -> None:
    figures = scoring.nps({7: 1, 6: 1})
    assert figures is not None
    assert (figures["passives"], figures["detractors"]) == (1, 1)


def test_csat_satisfied_are_the_top_two_points_of_five() -> None:
    figures = scoring.csat({5: 1, 4: 1, 3: 1, 2: 1, 1: 1}, (1, 5))
    assert figures is not None
    assert figures["satisfied_share"] == pytest.approx(0.4)
    assert figures["mean"] == 3.0
    assert figures["stdev"] == pytest.approx(math.sqrt(2.5))


def test_csat_binary_satisfied_are_the_ones() -> None:
    figures = scoring.csat({1: 2, 0: 1}, (0, 1))
    assert figures is not None
    assert figures["satisfied_share"] == pytest.approx(2 / 3)
    assert figures["scale"] == {"min": 0, "max": 1, "binary": True}


def test_csat_of_no_answers_is_null() -> None:
    assert scoring.csat({}, (1, 5)) is None


def test_ces_high_effort_is_the_upper_half_of_seven_points() -> None:
    figures = scoring.ces({1: 1, 4: 1, 5: 1, 7: 1}, (1, 7))
    assert figures is not None
    assert figures["high_effort_share"] == 0.5
    assert figures["mean"] == 4.25
    assert figures["scale"] == {"min": 1, "max": 7, "binary": False}


def test_ces_high_effort_on_ten_points_starts_at_six() -> None:
    figures = scoring.ces({5: 1, 6: 1}, (1, 10))
    assert figures is not None
    assert figures["high_effort_share"] == 0.5


def test_ces_of_no_answers_is_null() -> None:
    assert scoring.ces({}, (1, 7)) is None


def test_standard_deviation_needs_two_answers() -> None:
    assert scoring.stdev({4: 1}) is None


def test_mean_of_no_answers_is_null() -> None:
    assert scoring.mean({}) is None


def test_share_of_nothing_is_null() -> None:
    assert scoring.share(3, 0) is None


def test_under_thirty_answers_is_a_low_sample() -> None:
    assert scoring.score_of("nps", {9: 29}, (0, 10))["low_sample"] is True
    assert scoring.score_of("nps", {9: 30}, (0, 10))["low_sample"] is False


@pytest.mark.parametrize("survey_type", ["nps", "csat", "ces"])
def test_score_of_names_the_figures_by_survey_type(survey_type: str) -> None:
    figures = scoring.score_of(survey_type, {1: 3}, (0, 10) if survey_type == "nps" else (1, 5))
    assert set(figures) == {"n", "low_sample", survey_type}
    assert figures["n"] == 3


nps_histograms = st.dictionaries(st.integers(0, 10), st.integers(1, 500), min_size=1)


@given(nps_histograms)
def test_nps_lies_between_minus_100_and_100(histogram: dict[int, int]) -> None:
    figures = scoring.nps(histogram)
    assert figures is not None
    assert -100 <= figures["score"] <= 100


@given(nps_histograms)
def test_nps_interval_contains_the_score(histogram: dict[int, int]) -> None:
    figures = scoring.nps(histogram)
    assert figures is not None
    low, high = figures["ci95"]
    assert -100 <= low <= figures["score"] + 1e-9
    assert figures["score"] - 1e-9 <= high <= 100


@given(nps_histograms)
def test_nps_shares_sum_to_one(histogram: dict[int, int]) -> None:
    figures = scoring.nps(histogram)
    assert figures is not None
    shares = figures["shares"]
    assert shares["promoters"] + shares["passives"] + shares["detractors"] == pytest.approx(1)


@given(nps_histograms)
def test_more_of_the_same_answers_narrow_the_interval(histogram: dict[int, int]) -> None:
    small, large = scoring.nps(histogram), scoring.nps({s: 4 * c for s, c in histogram.items()})
    assert small is not None and large is not None
    assert large["ci95"][1] - large["ci95"][0] <= small["ci95"][1] - small["ci95"][0] + 1e-9


@given(st.dictionaries(st.integers(1, 7), st.integers(1, 200), min_size=1))
def test_ces_mean_stays_on_the_scale_and_shares_are_fractions(histogram: dict[int, int]) -> None:
    figures = scoring.ces(histogram, (1, 7))
    assert figures is not None and figures["mean"] is not None
    assert 1 <= figures["mean"] <= 7
    assert 0 <= figures["high_effort_share"] <= 1
