namespace AffectMae.Metrics.Tests;

public class ThresholdSearchTests
{
    // Two AUs over four frames (row-major [frame, AU]).
    //   AU0 scores [0.1, 0.33, 0.4, 0.8], gold [0, 1, 0, 1]; predicted positive when score ≥ t:
    //     t ≤ 0.1: all → TP 2, FP 2 → 2/3;  0.1 < t ≤ 0.33: {0.33,0.4,0.8} → TP 2, FP 1 → 4/5;
    //     0.33 < t ≤ 0.4: {0.4,0.8} → TP 1, FP 1, FN 1 → 1/2;  0.4 < t ≤ 0.8: {0.8} → TP 1, FN 1 → 2/3;  t > 0.8 → 0
    //     best 4/5 on the candidates 0.15 … 0.30; the one closest to 0.5 is 0.30
    //   AU1 scores [0.9, 0.6, 0.2, 0.7], gold [1, 0, 0, 1]:
    //     0.6 < t ≤ 0.7: {0.9, 0.7} → TP 2 → F1 = 1 on the candidates 0.65 and 0.70; closest to 0.5 is 0.65
    private static readonly double[] Scores = [0.1, 0.9, 0.33, 0.6, 0.4, 0.2, 0.8, 0.7];
    private static readonly int[] Gold = [0, 1, 1, 0, 0, 0, 1, 1];

    [Fact]
    public void Default_candidates_run_from_five_to_ninety_five_hundredths_in_steps_of_five()
    {   // k/20 for k = 1..19
        ThresholdSearch.DefaultCandidates.Should().HaveCount(19);
        ThresholdSearch.DefaultCandidates[0].Should().Be(0.05);
        ThresholdSearch.DefaultCandidates[9].Should().Be(0.5);
        ThresholdSearch.DefaultCandidates[18].Should().Be(0.95);
    }

    [Fact]
    public void Search_picks_the_threshold_with_the_best_f1_for_each_unit()
    {   // see the comment above: [0.30, 0.65]
        var thresholds = ThresholdSearch.BestThresholds(Scores, Gold, unitCount: 2);

        thresholds.Should().Equal(0.3, 0.65);
    }

    [Fact]
    public void Search_on_single_precision_scores_agrees_with_double_precision()
    {   // same scores as floats; no score lies on a candidate except 0.7f ≈ 0.69999999 < 0.70, which leaves 0.65 the best
        var thresholds = ThresholdSearch.BestThresholds(Scores.Select(s => (float)s).ToArray(), Gold, unitCount: 2);

        thresholds.Should().Equal(0.3, 0.65);
    }

    [Fact]
    public void Search_thresholds_reach_the_hand_computed_best_mean_f1()
    {   // AU0 at 0.30 → 4/5, AU1 at 0.65 → 1; mean (4/5 + 1)/2 = 9/10
        var thresholds = ThresholdSearch.BestThresholds(Scores, Gold, unitCount: 2);

        ActionUnitMetrics.MeanF1(ActionUnitMetrics.Binarize(Scores, thresholds), Gold, unitCount: 2).Should().BeApproximately(0.9, 1e-12);
    }

    [Fact]
    public void Equally_good_candidates_equally_far_from_one_half_resolve_to_the_smaller()
    {   // one frame, score 0.8, gold 1: t = 0.7 and t = 0.3 both predict it positive → TP 1 → F1 = 1 each
        // |0.3 − 0.5| = |0.7 − 0.5| = 0.2 (up to rounding) → the smaller, 0.3, though 0.7 is listed first
        ThresholdSearch.BestThresholds([0.8], [1], [0.7, 0.3], unitCount: 1).Should().Equal(0.3);
    }

    [Fact]
    public void A_unit_whose_f1_is_zero_everywhere_keeps_one_half()
    {   // gold all 0 → no TP for any t → F1 = 0 for every candidate → tie → closest to 0.5 is 0.5 itself
        ThresholdSearch.BestThresholds([0.2, 0.9], [0, 0], unitCount: 1).Should().Equal(0.5);
    }

    [Fact]
    public void Search_ignores_unlabelled_cells()
    {   // AU0 of the fixture plus a fifth frame with score 0.35 and gold −1. Had it been labelled 0, the F1 at 0.30 would
        // drop to 2·2/(4 + 2) = 2/3, tying with 0.45 … 0.80, and 0.5 would win; masked, the search is the fixture's: 0.30
        double[] scores = [0.1, 0.33, 0.4, 0.8, 0.35];
        int[] gold = [0, 1, 0, 1, -1];

        ThresholdSearch.BestThresholds(scores, gold, unitCount: 1).Should().Equal(0.3);
        ThresholdSearch.BestThresholds(scores, gold, unitCount: 1)
            .Should().Equal(ThresholdSearch.BestThresholds(scores[..4], gold[..4], unitCount: 1));
    }

    [Fact]
    public void Search_uses_a_custom_grid()
    {   // AU0 of the fixture on candidates [0.2, 0.5]: 0.2 → 4/5, 0.5 → 2/3 → 0.2
        ThresholdSearch.BestThresholds([0.1, 0.33, 0.4, 0.8], [0, 1, 0, 1], [0.2, 0.5], unitCount: 1).Should().Equal(0.2);
    }
}
