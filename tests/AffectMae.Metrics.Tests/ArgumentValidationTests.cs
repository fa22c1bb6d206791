namespace AffectMae.Metrics.Tests;

/// <summary>Every bad-input path throws an ArgumentException that names the offending argument.</summary>
public class ArgumentValidationTests
{
    private static readonly int[] TwelveOnes = [.. Enumerable.Repeat(1, 12)];

    [Fact]
    public void Ccc_rejects_series_of_different_lengths_naming_gold()
    {   // 3 predictions, 2 gold values
        FluentActions.Invoking(() => Ccc.Compute([1.0, 2, 3], [1.0, 2]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("gold");
    }

    [Fact]
    public void Ccc_rejects_empty_series_naming_predictions()
    {   // n = 0: no mean exists
        FluentActions.Invoking(() => Ccc.Compute(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("predictions");
    }

    [Fact]
    public void Ccc_rejects_a_nan_prediction_naming_predictions()
    {   // NaN would silently turn every moment into NaN
        FluentActions.Invoking(() => Ccc.Compute([1.0, double.NaN], [1.0, 2]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("predictions");
        FluentActions.Invoking(() => Ccc.Compute([1f, float.NaN], [1f, 2f]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("predictions");
    }

    [Fact]
    public void Ccc_rejects_an_infinite_gold_value_naming_gold()
    {   // +∞ in gold
        FluentActions.Invoking(() => Ccc.Compute([1.0, 2], [1.0, double.PositiveInfinity]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("gold");
    }

    [Fact]
    public void Pearson_rejects_series_of_different_lengths_naming_gold()
    {   // 2 predictions, 1 gold value
        FluentActions.Invoking(() => Pearson.Compute([1.0, 2], [1.0]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("gold");
    }

    [Fact]
    public void Classification_rejects_labels_of_different_lengths_naming_gold()
    {   // 2 predictions, 3 gold labels
        FluentActions.Invoking(() => MacroF1.Compute([0, 1], [0, 1, 1]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("gold");
    }

    [Fact]
    public void Classification_rejects_a_predicted_class_out_of_range_naming_predictions()
    {   // class 8 with 8 classes (valid: 0..7); −1 is no valid prediction either
        FluentActions.Invoking(() => MacroF1.Compute([0, 8], [0, 1]))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("predictions");
        FluentActions.Invoking(() => F1Score.PerClass([-1, 0], [0, 1]))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("predictions");
    }

    [Fact]
    public void Classification_rejects_a_gold_class_out_of_range_naming_gold()
    {   // gold 2 with 2 classes; gold −2 is not the unlabelled marker
        FluentActions.Invoking(() => Accuracy.Compute([0, 1], [0, 2], classCount: 2))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("gold");
        FluentActions.Invoking(() => ConfusionMatrix.FromLabels([0, 1], [0, -2], classCount: 2))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("gold");
    }

    [Fact]
    public void Classification_rejects_input_with_no_labelled_frame_naming_gold()
    {   // every gold label is −1 → nothing left to score
        FluentActions.Invoking(() => MacroF1.Compute([0, 1], [-1, -1]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("gold");
        FluentActions.Invoking(() => AbawScores.Expression([], []))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("gold");
    }

    [Fact]
    public void Classification_rejects_a_non_positive_class_count_naming_class_count()
    {   // 0 classes
        FluentActions.Invoking(() => MacroF1.Compute([0], [0], classCount: 0))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("classCount");
        FluentActions.Invoking(() => new ExpressionAccumulator(classCount: 0))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("classCount");
    }

    [Fact]
    public void F1_from_counts_rejects_a_negative_count_naming_it()
    {   // TP = −1
        FluentActions.Invoking(() => F1Score.FromCounts(-1, 0, 0))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("truePositives");
    }

    [Fact]
    public void Confusion_matrix_rejects_an_index_out_of_range_naming_it()
    {   // 2 classes: valid indices 0 and 1
        var matrix = ConfusionMatrix.FromLabels([0, 1], [0, 1], classCount: 2);

        matrix.Invoking(m => m[2, 0]).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("gold");
        matrix.Invoking(m => m[0, -1]).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("predicted");
        matrix.Invoking(m => m.Counts(5)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("classIndex");
    }

    [Fact]
    public void Action_units_reject_a_length_that_is_not_whole_rows_naming_predictions()
    {   // 13 values are not a multiple of 12 AUs
        FluentActions.Invoking(() => AbawScores.ActionUnits([.. TwelveOnes, 1], [.. TwelveOnes, 1]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("predictions");
    }

    [Fact]
    public void Action_units_reject_a_prediction_other_than_zero_or_one_naming_predictions()
    {   // −1 marks unlabelled gold, never a prediction
        FluentActions.Invoking(() => ActionUnitMetrics.PerUnitF1([1, -1], [1, 1], unitCount: 2))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("predictions");
    }

    [Fact]
    public void Action_units_reject_a_gold_value_other_than_zero_one_or_minus_one_naming_gold()
    {   // gold 2
        FluentActions.Invoking(() => ActionUnitMetrics.MeanF1([1, 0], [1, 2], unitCount: 2))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("gold");
    }

    [Fact]
    public void Action_units_reject_spans_of_different_lengths_naming_gold()
    {   // 12 predictions, 24 gold values
        FluentActions.Invoking(() => AbawScores.ActionUnits(TwelveOnes, [.. TwelveOnes, .. TwelveOnes]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("gold");
    }

    [Fact]
    public void Action_units_reject_input_with_no_labelled_cell_naming_gold()
    {   // one frame, every AU −1
        FluentActions.Invoking(() => AbawScores.ActionUnits(TwelveOnes, [.. Enumerable.Repeat(-1, 12)]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("gold");
    }

    [Fact]
    public void Action_units_reject_a_non_positive_unit_count_naming_unit_count()
    {   // 0 AUs
        FluentActions.Invoking(() => ActionUnitMetrics.Counts([1], [1], unitCount: 0))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("unitCount");
        FluentActions.Invoking(() => new ActionUnitAccumulator(unitCount: -3))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("unitCount");
    }

    [Fact]
    public void Action_unit_arrays_of_different_shapes_are_rejected_naming_gold()
    {   // [1, 12] predictions against [1, 11] gold
        FluentActions.Invoking(() => ActionUnitMetrics.PerUnitF1(new int[1, 12], new int[1, 11]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("gold");
    }

    [Fact]
    public void Binarize_rejects_non_finite_scores_and_thresholds_naming_them()
    {   // NaN score; NaN threshold; no per-column threshold; 3 scores for 2 columns
        FluentActions.Invoking(() => ActionUnitMetrics.Binarize([0.2, double.NaN]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("scores");
        FluentActions.Invoking(() => ActionUnitMetrics.Binarize([0.2], double.NaN))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("threshold");
        FluentActions.Invoking(() => ActionUnitMetrics.Binarize([0.2], ReadOnlySpan<double>.Empty))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("thresholds");
        FluentActions.Invoking(() => ActionUnitMetrics.Binarize([0.2, 0.3, 0.4], [0.5, 0.5]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("scores");
    }

    [Fact]
    public void Scoring_action_units_needs_twelve_thresholds_naming_thresholds()
    {   // 11 thresholds for 12 AUs
        FluentActions.Invoking(() => AbawScores.ActionUnitsFromScores(new double[12], TwelveOnes, new double[11]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("thresholds");
    }

    [Fact]
    public void Threshold_search_rejects_bad_candidates_naming_candidates()
    {   // no candidate; an infinite candidate
        FluentActions.Invoking(() => ThresholdSearch.BestThresholds([0.5], [1], ReadOnlySpan<double>.Empty, unitCount: 1))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("candidates");
        FluentActions.Invoking(() => ThresholdSearch.BestThresholds([0.5], [1], [double.PositiveInfinity], unitCount: 1))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("candidates");
    }

    [Fact]
    public void Threshold_search_rejects_bad_scores_and_gold_naming_them()
    {   // NaN score; gold 3; gold all −1; rows of 2 for 1 value
        FluentActions.Invoking(() => ThresholdSearch.BestThresholds([double.NaN], [1], unitCount: 1))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("scores");
        FluentActions.Invoking(() => ThresholdSearch.BestThresholds([0.5], [3], unitCount: 1))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("gold");
        FluentActions.Invoking(() => ThresholdSearch.BestThresholds([0.5], [-1], unitCount: 1))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("gold");
        FluentActions.Invoking(() => ThresholdSearch.BestThresholds([0.5], [1], unitCount: 2))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("scores");
    }

    [Fact]
    public void Valence_arousal_rejects_an_odd_length_naming_predictions()
    {   // 3 values are not whole (valence, arousal) rows
        FluentActions.Invoking(() => AbawScores.ValenceArousal([0.1, 0.2, 0.3], [0.1, 0.2, 0.3]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("predictions");
    }

    [Fact]
    public void Valence_arousal_rejects_input_with_no_labelled_frame_naming_gold()
    {   // every arousal gold is −5, so CCC_A has no frame
        FluentActions.Invoking(() => AbawScores.ValenceArousal([0.1, 0.2, 0.3, 0.4], [0.1, -5, 0.3, -5]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("gold");
    }

    [Fact]
    public void Valence_arousal_rejects_nan_even_on_an_unlabelled_frame()
    {   // frame 1 is unlabelled (−5, −5) but its prediction is NaN; NaN gold is not a marker either
        FluentActions.Invoking(() => AbawScores.ValenceArousal([0.1, 0.2, double.NaN, 0.4], [0.1, 0.2, -5, -5]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("predictions");
        FluentActions.Invoking(() => new ValenceArousalAccumulator().Add([0.1f, 0.2f], [float.NaN, 0.2f]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("gold");
    }

    [Fact]
    public void Accumulators_reject_mismatched_batches_and_merges_naming_the_argument()
    {   // 2 predictions, 1 gold; merging 8 classes into 2; merging 12 AUs into 2; merging nothing
        FluentActions.Invoking(() => new CccAccumulator().Add([1.0, 2], [1.0]))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("gold");
        FluentActions.Invoking(() => new ExpressionAccumulator(2).Merge(new ExpressionAccumulator()))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("other");
        FluentActions.Invoking(() => new ActionUnitAccumulator(2).Merge(new ActionUnitAccumulator()))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("other");
        FluentActions.Invoking(() => new CccAccumulator().Merge(null!))
            .Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("other");
    }
}
