namespace AffectMae.Metrics.Tests;

public class CccTests
{
    [Fact]
    public void Ccc_of_a_perfect_prediction_is_one()
    {   // means 2 and 2; variances 2/3 each; covariance 2/3 → 2·(2/3) / (2/3 + 2/3 + 0²) = 1
        Ccc.Compute([1.0, 2, 3], [1.0, 2, 3]).Should().BeApproximately(1.0, 1e-12);
    }

    [Fact]
    public void Ccc_of_a_prediction_offset_by_one_is_four_sevenths()
    {   // means 2 and 3; variances 2/3 each; covariance 2/3 → 2·(2/3) / (2/3 + 2/3 + 1²) = 4/7
        Ccc.Compute([1.0, 2, 3], [2.0, 3, 4]).Should().BeApproximately(4.0 / 7.0, 1e-12);
    }

    [Fact]
    public void Ccc_of_a_reversed_prediction_is_minus_one()
    {   // means 2 and 2; variances 2/3 each; covariance (−1·1 + 0 + 1·−1)/3 = −2/3 → 2·(−2/3) / (4/3) = −1
        Ccc.Compute([3.0, 2, 1], [1.0, 2, 3]).Should().BeApproximately(-1.0, 1e-12);
    }

    [Fact]
    public void Ccc_of_a_prediction_scaled_by_two_is_four_elevenths()
    {   // x = [2,4,6], y = [1,2,3]: means 4 and 2; σx² = 8/3, σy² = 2/3; cov = (2·1 + 0 + 2·1)/3 = 4/3
        // → 2·(4/3) / (8/3 + 2/3 + 2²) = (8/3) / (22/3) = 4/11
        Ccc.Compute([2.0, 4, 6], [1.0, 2, 3]).Should().BeApproximately(4.0 / 11.0, 1e-12);
    }

    [Fact]
    public void Ccc_uses_population_moments()
    {   // x = [0,2], y = [1,2]: means 1 and 1.5; σx² = (1+1)/2 = 1, σy² = (¼+¼)/2 = ¼; cov = (−1·−½ + 1·½)/2 = ½
        // → 2·½ / (1 + ¼ + ½²) = 1 / 1.5 = 2/3   (sample moments, 1/(n−1), would give 2·1/(2 + ½ + ¼) = 8/11)
        Ccc.Compute([0.0, 2], [1.0, 2]).Should().BeApproximately(2.0 / 3.0, 1e-12);
    }

    [Fact]
    public void Ccc_of_a_constant_prediction_against_varying_gold_is_zero()
    {   // x = [2,2,2]: σx² = 0, cov = 0; y = [1,2,3]: σy² = 2/3; means equal → 0 / (0 + 2/3 + 0) = 0
        Ccc.Compute([2.0, 2, 2], [1.0, 2, 3]).Should().Be(0.0);
    }

    [Fact]
    public void Ccc_of_two_different_constants_is_zero()
    {   // variances 0, covariance 0, means 1 and 2 → 0 / (0 + 0 + 1²) = 0
        Ccc.Compute([1.0, 1, 1], [2.0, 2, 2]).Should().Be(0.0);
    }

    [Fact]
    public void Ccc_of_two_equal_constants_is_zero_by_policy()
    {   // variances 0, covariance 0, means equal → 0/0, defined as 0
        Ccc.Compute([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]).Should().Be(0.0);
    }

    [Fact]
    public void Ccc_treats_a_constant_whose_running_mean_rounds_as_exactly_constant()
    {   // (0.1 + 0.1 + 0.1)/3 = 0.10000000000000002 in doubles; the series is still constant → 0/0 → 0
        Ccc.Compute([0.1, 0.1, 0.1], [0.1, 0.1, 0.1]).Should().Be(0.0);
    }

    [Fact]
    public void Ccc_is_unaffected_by_a_large_common_offset()
    {   // 1e9 + [1,2,3] against 1e9 + [2,3,4]: deviations as in the 4/7 case → 4/7 (a one-pass Σx² would lose it)
        Ccc.Compute([1e9 + 1, 1e9 + 2, 1e9 + 3], [1e9 + 2, 1e9 + 3, 1e9 + 4]).Should().BeApproximately(4.0 / 7.0, 1e-12);
    }

    [Fact]
    public void Ccc_of_single_precision_series_matches_the_double_formula()
    {   // same numbers as the offset case → 4/7
        Ccc.Compute([1f, 2f, 3f], [2f, 3f, 4f]).Should().BeApproximately(4.0 / 7.0, 1e-12);
    }

    [Fact]
    public void Ccc_of_a_single_pair_is_zero_by_policy()
    {   // n = 1: variances 0, covariance 0; x = y → 0/0 → 0
        Ccc.Compute([0.3], [0.3]).Should().Be(0.0);
    }

    [Fact]
    public void Ccc_of_a_thousand_seeded_values_equals_a_naive_formula()
    {
        var (x, y) = SeededData.Regression(1000, seed: 7);

        // CCC written out from its definition, with LINQ and population moments.
        double meanX = x.Average(), meanY = y.Average();
        double varX = x.Select(v => (v - meanX) * (v - meanX)).Sum() / x.Length;
        double varY = y.Select(v => (v - meanY) * (v - meanY)).Sum() / y.Length;
        double cov = x.Zip(y, (a, b) => (a - meanX) * (b - meanY)).Sum() / x.Length;
        double expected = 2 * cov / (varX + varY + (meanX - meanY) * (meanX - meanY));

        Ccc.Compute(x, y).Should().BeApproximately(expected, 1e-12);
    }
}
