using MathNet.Numerics.Statistics;

namespace AffectMae.Metrics.Tests;

public class PearsonTests
{
    [Fact]
    public void Pearson_of_a_scaled_and_shifted_prediction_is_one()
    {   // y = 2x + 1 is perfectly linear → r = 1 (whereas CCC penalises the shift and scale)
        Pearson.Compute([1.0, 2, 3], [3.0, 5, 7]).Should().BeApproximately(1.0, 1e-12);
    }

    [Fact]
    public void Pearson_of_a_reversed_prediction_is_minus_one()
    {   // deviations [1,0,−1] and [−1,0,1]: Sxy = −2, Sxx = Syy = 2 → −2/√(2·2) = −1
        Pearson.Compute([3.0, 2, 1], [1.0, 2, 3]).Should().BeApproximately(-1.0, 1e-12);
    }

    [Fact]
    public void Pearson_of_one_swapped_pair_is_four_fifths()
    {   // x = [1,2,3,4], y = [1,3,2,4]; means 2.5; dx = [−1.5,−.5,.5,1.5], dy = [−1.5,.5,−.5,1.5]
        // Sxy = 2.25 − .25 − .25 + 2.25 = 4; Sxx = Syy = 5 → 4/5
        Pearson.Compute([1.0, 2, 3, 4], [1.0, 3, 2, 4]).Should().BeApproximately(0.8, 1e-12);
    }

    [Fact]
    public void Pearson_of_a_constant_series_is_zero_by_policy()
    {   // σx = 0 → r = 0/0, defined as 0
        Pearson.Compute([2.0, 2, 2], [1.0, 2, 3]).Should().Be(0.0);
    }

    [Fact]
    public void Pearson_of_single_precision_series_matches_the_double_formula()
    {   // same numbers as the swapped-pair case → 4/5
        Pearson.Compute([1f, 2f, 3f, 4f], [1f, 3f, 2f, 4f]).Should().BeApproximately(0.8, 1e-12);
    }

    [Fact]
    public void Pearson_of_a_thousand_seeded_values_equals_MathNet_Numerics()
    {
        var (x, y) = SeededData.Regression(1000, seed: 11);

        Pearson.Compute(x, y).Should().BeApproximately(Correlation.Pearson(x, y), 1e-12);
    }
}
