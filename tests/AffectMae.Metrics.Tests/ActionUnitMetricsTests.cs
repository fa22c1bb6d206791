namespace AffectMae.Metrics.Tests;

public class ActionUnitMetricsTests
{
    // Two AUs over four frames, row-major [frame, AU]:
    //   AU0: pred [1,1,0,0], gold [1,0,1,0] → TP 1, FP 1, FN 1 → 2/(2+1+1) = 1/2
    //   AU1: pred [0,1,1,0], gold [0,1,1,0] → TP 2, FP 0, FN 0 → 4/4 = 1
    private static readonly int[] Predicted = [1, 0, 1, 1, 0, 1, 0, 0];
    private static readonly int[] Gold = [1, 0, 0, 1, 1, 1, 0, 0];

    [Fact]
    public void Per_unit_f1_scores_the_positive_class_of_each_column()
    {   // see the comment above: [1/2, 1]
        ActionUnitMetrics.PerUnitF1(Predicted, Gold, unitCount: 2).Should().Equal(0.5, 1.0);
    }

    [Fact]
    public void Mean_f1_averages_the_per_unit_scores()
    {   // (1/2 + 1)/2 = 3/4
        ActionUnitMetrics.MeanF1(Predicted, Gold, unitCount: 2).Should().Be(0.75);
    }

    [Fact]
    public void Counts_report_each_outcome_per_unit()
    {   // AU0: TP frame 0, FP frame 1, FN frame 2, TN frame 3; AU1: TP frames 1,2, TN frames 0,3
        ActionUnitMetrics.Counts(Predicted, Gold, unitCount: 2).Should().Equal(
            new BinaryCounts(1, 1, 1, 1),
            new BinaryCounts(2, 0, 0, 2));
    }

    [Fact]
    public void Mean_f1_of_twelve_units_from_a_two_dimensional_array()
    {   // gold: frame 0 all 1, frame 1 all 0; pred: frame 0 all 1, frame 1 is 1 on AUs 0..5
        //   AUs 0..5: TP 1, FP 1 → 2/3; AUs 6..11: TP 1 → 1; mean = (6·2/3 + 6·1)/12 = 10/12 = 5/6
        var predicted = new int[2, 12];
        var gold = new int[2, 12];
        for (int u = 0; u < 12; u++)
        {
            (predicted[0, u], gold[0, u]) = (1, 1);
            predicted[1, u] = u < 6 ? 1 : 0;
        }

        ActionUnitMetrics.MeanF1(predicted, gold).Should().BeApproximately(5.0 / 6.0, 1e-12);
        ActionUnitMetrics.PerUnitF1(predicted, gold)[0].Should().BeApproximately(2.0 / 3.0, 1e-12);
    }

    [Fact]
    public void An_action_unit_never_positive_on_either_side_scores_zero_and_counts_in_the_mean()
    {   // AU0: pred [1,0], gold [1,0] → 1; AU1: all 0 → TP = FP = FN = 0 → 0; mean (1 + 0)/2 = 1/2
        ActionUnitMetrics.MeanF1([1, 0, 0, 0], [1, 0, 0, 0], unitCount: 2).Should().Be(0.5);
    }

    [Fact]
    public void A_gold_minus_one_masks_that_unit_at_that_frame_only()
    {   // pred [1,1],[1,0],[0,1]; gold [1,−1],[0,1],[−1,1]
        //   AU0 labelled at frames 0,1: pred [1,1], gold [1,0] → TP 1, FP 1 → 2/3
        //   AU1 labelled at frames 1,2: pred [0,1], gold [1,1] → TP 1, FN 1 → 2/3
        int[] predicted = [1, 1, 1, 0, 0, 1];
        int[] gold = [1, -1, 0, 1, -1, 1];

        var scores = ActionUnitMetrics.PerUnitF1(predicted, gold, unitCount: 2);

        scores[0].Should().BeApproximately(2.0 / 3.0, 1e-12);
        scores[1].Should().BeApproximately(2.0 / 3.0, 1e-12);
        scores[0].Should().Be(ActionUnitMetrics.PerUnitF1([1, 1], [1, 0], unitCount: 1)[0]);
        scores[1].Should().Be(ActionUnitMetrics.PerUnitF1([0, 1], [1, 1], unitCount: 1)[0]);
    }

    [Fact]
    public void Binarize_predicts_positive_when_the_score_reaches_the_threshold()
    {   // threshold 0.5: 0.2 < 0.5 → 0; 0.5 ≥ 0.5 → 1; 0.7 → 1
        ActionUnitMetrics.Binarize([0.2, 0.5, 0.7]).Should().Equal(0, 1, 1);
        ActionUnitMetrics.Binarize([0.2f, 0.5f, 0.7f], threshold: 0.6).Should().Equal(0, 0, 1);
    }

    [Fact]
    public void Binarize_applies_one_threshold_per_column()
    {   // rows [0.3, 0.3], [0.6, 0.6] with thresholds [0.25, 0.5] → [1, 0], [1, 1]
        ActionUnitMetrics.Binarize([0.3, 0.3, 0.6, 0.6], [0.25, 0.5]).Should().Equal(1, 0, 1, 1);
    }
}
