namespace AffectMae.Metrics.Tests;

public class ClassificationTests
{
    // pred [0,1,1,1] against gold [0,0,1,1]:
    //   class 0: TP 1 (frame 0), FP 0, FN 1 (frame 1) → F1 = 2·1/(2·1 + 0 + 1) = 2/3
    //   class 1: TP 2 (frames 2,3), FP 1 (frame 1), FN 0 → F1 = 2·2/(2·2 + 1 + 0) = 4/5
    private static readonly int[] Predicted = [0, 1, 1, 1];
    private static readonly int[] Gold = [0, 0, 1, 1];

    [Fact]
    public void Per_class_f1_scores_each_class_one_versus_rest()
    {   // see the comment above: [2/3, 4/5]
        F1Score.PerClass(Predicted, Gold, classCount: 2).Should().Equal([2.0 / 3.0, 4.0 / 5.0], (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Macro_f1_of_two_classes_is_eleven_fifteenths()
    {   // (2/3 + 4/5)/2 = (10/15 + 12/15)/2 = 11/15
        MacroF1.Compute(Predicted, Gold, classCount: 2).Should().BeApproximately(11.0 / 15.0, 1e-12);
    }

    [Fact]
    public void A_class_absent_from_gold_and_predictions_scores_zero_and_counts_in_the_macro_mean()
    {   // class 2 has TP = FP = FN = 0 → F1 = 0 (zero_division=0); macro = (2/3 + 4/5 + 0)/3 = (22/15)/3 = 22/45
        F1Score.PerClass(Predicted, Gold, classCount: 3)[2].Should().Be(0.0);
        MacroF1.Compute(Predicted, Gold, classCount: 3).Should().BeApproximately(22.0 / 45.0, 1e-12);
    }

    [Fact]
    public void Macro_f1_defaults_to_the_eight_expression_classes()
    {   // classes 2..7 absent → (2/3 + 4/5 + 6·0)/8 = (22/15)/8 = 11/60
        MacroF1.Compute(Predicted, Gold).Should().BeApproximately(11.0 / 60.0, 1e-12);
    }

    [Fact]
    public void A_class_predicted_but_never_gold_scores_zero()
    {   // pred [0,2], gold [0,0]: class 2 TP 0, FP 1, FN 0 → 0/(0+1+0) = 0; class 0 TP 1, FN 1 → 2/3; class 1 absent → 0
        F1Score.PerClass([0, 2], [0, 0], classCount: 3).Should().Equal([2.0 / 3.0, 0.0, 0.0], (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Accuracy_is_the_fraction_of_frames_predicted_correctly()
    {   // frames 0, 2, 3 correct out of 4 → 3/4
        Accuracy.Compute(Predicted, Gold, classCount: 2).Should().Be(0.75);
    }

    [Fact]
    public void F1_from_counts_is_twice_tp_over_twice_tp_plus_fp_plus_fn()
    {   // TP 2, FP 1, FN 0 → 4/5; TP 3, FP 2, FN 5 → 6/(6+2+5) = 6/13; nothing → 0 by policy
        F1Score.FromCounts(2, 1, 0).Should().BeApproximately(0.8, 1e-12);
        F1Score.FromCounts(3, 2, 5).Should().BeApproximately(6.0 / 13.0, 1e-12);
        F1Score.FromCounts(0, 0, 0).Should().Be(0.0);
    }

    [Fact]
    public void Confusion_matrix_has_gold_rows_and_predicted_columns()
    {   // gold 0 → predicted 0 once (frame 0), predicted 1 once (frame 1); gold 1 → predicted 1 twice
        var matrix = ConfusionMatrix.FromLabels(Predicted, Gold, classCount: 2);

        matrix.ToArray().Should().BeEquivalentTo(new long[,] { { 1, 1 }, { 0, 2 } });
        matrix[0, 1].Should().Be(1);
        matrix[1, 0].Should().Be(0);
        matrix.Total.Should().Be(4);
        matrix.GoldCount(0).Should().Be(2);        // row 0: 1 + 1
        matrix.PredictedCount(1).Should().Be(3);   // column 1: 1 + 2
    }

    [Fact]
    public void Confusion_matrix_counts_one_versus_rest_outcomes()
    {   // class 1: TP = cell (1,1) = 2; FP = column 1 − TP = 3 − 2 = 1; FN = row 1 − TP = 2 − 2 = 0; TN = 4 − 3 = 1
        ConfusionMatrix.FromLabels(Predicted, Gold, classCount: 2).Counts(1)
            .Should().Be(new BinaryCounts(TruePositives: 2, FalsePositives: 1, FalseNegatives: 0, TrueNegatives: 1));
    }

    [Fact]
    public void Confusion_matrix_metrics_equal_the_span_metrics()
    {   // same data: per-class [2/3, 4/5], macro 11/15, accuracy 3/4
        var matrix = ConfusionMatrix.FromLabels(Predicted, Gold, classCount: 2);

        matrix.PerClassF1().Should().Equal(F1Score.PerClass(Predicted, Gold, 2));
        matrix.MacroF1().Should().BeApproximately(11.0 / 15.0, 1e-12);
        matrix.Accuracy().Should().Be(0.75);
    }

    [Fact]
    public void Unlabelled_expression_frames_are_left_out_of_every_count()
    {   // frames 4 and 5 have gold −1; without them the data are the 11/15 case: per-class [2/3, 4/5, 0] with 3 classes
        int[] predicted = [0, 1, 1, 1, 2, 0];
        int[] gold = [0, 0, 1, 1, -1, -1];

        MacroF1.Compute(predicted, gold, classCount: 3).Should().BeApproximately(22.0 / 45.0, 1e-12);    // (2/3 + 4/5 + 0)/3
        MacroF1.Compute(predicted, gold, 3).Should().Be(MacroF1.Compute(Predicted, Gold, 3));
        Accuracy.Compute(predicted, gold, classCount: 3).Should().Be(0.75);                            // 3 of 4 labelled
        ConfusionMatrix.FromLabels(predicted, gold, classCount: 3).Total.Should().Be(4);
    }

    [Fact]
    public void Expression_classes_are_numbered_in_abaw_header_order()
    {   // header "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other" → indices 0..7
        Enum.GetNames<ExpressionClass>().Should().Equal(AffectLabels.ExpressionNames);
        ((int)ExpressionClass.Neutral).Should().Be(0);
        ((int)ExpressionClass.Happiness).Should().Be(4);
        ((int)ExpressionClass.Other).Should().Be(7);
        AffectLabels.ExpressionClassCount.Should().Be(8);
    }

    [Fact]
    public void Action_units_are_the_twelve_abaw_columns_in_order()
    {   // header "AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26"
        AffectLabels.ActionUnitNumbers.Should().Equal(1, 2, 4, 6, 7, 10, 12, 15, 23, 24, 25, 26);
        AffectLabels.ActionUnitNames.Should().Equal(AffectLabels.ActionUnitNumbers.Select(n => $"AU{n}"));
        AffectLabels.ActionUnitCount.Should().Be(12);
    }

    [Fact]
    public void Unlabelled_markers_follow_the_abaw_files()
    {   // VA: −5 in the files, anything below −1 treated as unlabelled, −1 itself is a valid label; EXPR and AU: −1
        AffectLabels.IsUnlabelledValenceArousal(AffectLabels.UnlabelledValenceArousal).Should().BeTrue();
        AffectLabels.IsUnlabelledValenceArousal(-1.0001).Should().BeTrue();
        AffectLabels.IsUnlabelledValenceArousal(-1.0).Should().BeFalse();
        AffectLabels.IsUnlabelledExpression(-1).Should().BeTrue();
        AffectLabels.IsUnlabelledExpression(0).Should().BeFalse();
        AffectLabels.IsUnlabelledActionUnit(-1).Should().BeTrue();
        AffectLabels.IsUnlabelledActionUnit(0).Should().BeFalse();
    }
}
