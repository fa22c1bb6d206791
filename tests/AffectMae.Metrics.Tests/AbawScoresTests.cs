namespace AffectMae.Metrics.Tests;

public class AbawScoresTests
{
    // Five frames of (valence, arousal), row-major [frame, 2]:
    //   f0 pred (0.1, 0.3)  gold (0.2, 0.1)
    //   f1 pred (0.9, 0.9)  gold (−5, −5)     fully unlabelled
    //   f2 pred (0.2, −0.7) gold (0.3, −5)    arousal unlabelled
    //   f3 pred (0.5, 0.2)  gold (−2, 0.2)    valence unlabelled (−2 < −1)
    //   f4 pred (0.3, 0.1)  gold (0.4, 0.3)
    // Valence over f0, f2, f4: pred [0.1,0.2,0.3], gold [0.2,0.3,0.4] — the 4/7 case scaled by 0.1 → 4/7
    // Arousal over f0, f3, f4: pred [0.3,0.2,0.1], gold [0.1,0.2,0.3] — reversed → −1
    private static readonly double[] VaPredicted = [0.1, 0.3, 0.9, 0.9, 0.2, -0.7, 0.5, 0.2, 0.3, 0.1];
    private static readonly double[] VaGold = [0.2, 0.1, -5, -5, 0.3, -5, -2, 0.2, 0.4, 0.3];

    [Fact]
    public void Valence_arousal_score_masks_unlabelled_gold_per_dimension()
    {   // see the comment above: CCC_V = 4/7, CCC_A = −1
        var score = AbawScores.ValenceArousal(VaPredicted, VaGold);

        score.CccValence.Should().BeApproximately(4.0 / 7.0, 1e-12);
        score.CccArousal.Should().BeApproximately(-1.0, 1e-12);
        score.ValenceFrames.Should().Be(3);
        score.ArousalFrames.Should().Be(3);
    }

    [Fact]
    public void P_va_is_the_mean_of_the_two_cccs()
    {   // (4/7 + (−1))/2 = (−3/7)/2 = −3/14
        AbawScores.ValenceArousal(VaPredicted, VaGold).Score.Should().BeApproximately(-3.0 / 14.0, 1e-12);
    }

    [Fact]
    public void Valence_arousal_score_equals_ccc_on_the_labelled_subset()
    {   // the labelled frames of each dimension, picked out by hand
        var score = AbawScores.ValenceArousal(VaPredicted, VaGold);

        score.CccValence.Should().Be(Ccc.Compute([0.1, 0.2, 0.3], [0.2, 0.3, 0.4]));
        score.CccArousal.Should().Be(Ccc.Compute([0.3, 0.2, 0.1], [0.1, 0.2, 0.3]));
    }

    [Fact]
    public void Valence_arousal_score_of_single_precision_spans_matches_double_precision()
    {   // same frames as floats → CCC_V ≈ 4/7, CCC_A ≈ −1 (float inputs carry ~1e-8 relative error)
        var score = AbawScores.ValenceArousal(
            VaPredicted.Select(v => (float)v).ToArray(), VaGold.Select(v => (float)v).ToArray());

        score.CccValence.Should().BeApproximately(4.0 / 7.0, 1e-6);
        score.CccArousal.Should().BeApproximately(-1.0, 1e-6);
    }

    [Fact]
    public void Expression_score_masks_minus_one_and_averages_all_eight_classes()
    {   // frame 4 (gold −1) dropped → the 11/15 data: F1 [2/3, 4/5, 0 × 6]; P_EXPR = (22/15)/8 = 11/60; accuracy 3/4
        var score = AbawScores.Expression([0, 1, 1, 1, 4], [0, 0, 1, 1, -1]);

        score.PerClassF1.Should().HaveCount(8);
        score.PerClassF1[(int)ExpressionClass.Neutral].Should().BeApproximately(2.0 / 3.0, 1e-12);
        score.PerClassF1[(int)ExpressionClass.Anger].Should().BeApproximately(0.8, 1e-12);
        score.PerClassF1[(int)ExpressionClass.Happiness].Should().Be(0.0);
        score.Score.Should().BeApproximately(11.0 / 60.0, 1e-12);
        score.Accuracy.Should().Be(0.75);
        score.LabelledFrames.Should().Be(4);
    }

    [Fact]
    public void Action_unit_score_masks_unlabelled_rows_and_averages_twelve_units()
    {   // frame 0: gold all 1, pred all 1; frame 1: gold all 0, pred 1 on AUs 0..5; frame 2: gold all −1, pred all 1
        //   frame 2 masked → AUs 0..5: TP 1, FP 1 → 2/3; AUs 6..11: TP 1 → 1; P_AU = (6·2/3 + 6)/12 = 5/6
        int[] predicted = [.. Enumerable.Repeat(1, 12), .. Enumerable.Repeat(1, 6), .. Enumerable.Repeat(0, 6), .. Enumerable.Repeat(1, 12)];
        int[] gold = [.. Enumerable.Repeat(1, 12), .. Enumerable.Repeat(0, 12), .. Enumerable.Repeat(-1, 12)];

        var score = AbawScores.ActionUnits(predicted, gold);

        score.Score.Should().BeApproximately(5.0 / 6.0, 1e-12);
        score.PerUnitF1.Should().HaveCount(12);
        score.PerUnitF1[11].Should().Be(1.0);
        score.LabelledCells.Should().Be(24);
        score.Should().Be(AbawScores.ActionUnits(predicted[..24], gold[..24]));
    }

    [Fact]
    public void Action_unit_score_from_scores_thresholds_at_one_half_by_default()
    {   // one frame, gold all 1; scores 0.5 on AUs 0..5 (≥ 0.5 → 1, F1 1) and 0.4 on AUs 6..11 (→ 0, FN → F1 0) → 6/12
        double[] scores = [.. Enumerable.Repeat(0.5, 6), .. Enumerable.Repeat(0.4, 6)];
        int[] gold = [.. Enumerable.Repeat(1, 12)];

        AbawScores.ActionUnitsFromScores(scores, gold).Score.Should().Be(0.5);
        AbawScores.ActionUnitsFromScores(scores, gold, [.. Enumerable.Repeat(0.3, 12)]).Score.Should().Be(1.0);   // all ≥ 0.3
    }
}
