namespace AffectMae.Metrics.Tests;

public class AccumulatorTests
{
    public static TheoryData<int[]> Splits => new()
    {
        new[] { 1000 },                   // one batch
        new[] { 1, 999 },                 // a single pair first
        new[] { 500, 500 },
        new[] { 3, 64, 64, 64, 7, 200 },  // uneven, rest in the last batch
        new[] { 0, 17, 0, 333 },          // empty batches in between
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public void Ccc_accumulated_in_batches_equals_the_one_shot_ccc(int[] sizes)
    {   // reference: Ccc.Compute / Pearson.Compute over all 1000 pairs
        var (x, y) = SeededData.Regression(1000, seed: 3);
        var accumulator = new CccAccumulator();

        foreach (var batch in SeededData.Batches(x.Length, sizes))
        {
            accumulator.Add(x.AsSpan(batch), y.AsSpan(batch));
        }

        accumulator.Count.Should().Be(1000);
        accumulator.Ccc().Should().BeApproximately(Ccc.Compute(x, y), 1e-12);
        accumulator.Pearson().Should().BeApproximately(Pearson.Compute(x, y), 1e-12);
    }

    [Fact]
    public void Merged_ccc_accumulators_equal_the_one_shot_ccc()
    {   // two halves accumulated apart, as on two workers, then merged
        var (x, y) = SeededData.Regression(1000, seed: 5);
        var first = new CccAccumulator();
        var second = new CccAccumulator();
        first.Add(x.AsSpan(..400), y.AsSpan(..400));
        second.Add(x.AsSpan(400..), y.AsSpan(400..));

        first.Merge(second);

        first.Ccc().Should().BeApproximately(Ccc.Compute(x, y), 1e-12);
    }

    [Fact]
    public void Ccc_accumulator_takes_single_precision_batches()
    {   // [1,2] then [3] against [2,3] then [4]: the 4/7 case
        var accumulator = new CccAccumulator();
        accumulator.Add([1f, 2f], [2f, 3f]);
        accumulator.Add([3f], [4f]);

        accumulator.Ccc().Should().BeApproximately(4.0 / 7.0, 1e-12);
    }

    [Fact]
    public void Ccc_accumulator_keeps_two_equal_constant_batches_at_zero()
    {   // [0.1,0.1,0.1] twice against itself: still constant and equal → 0/0 → 0 by policy
        var accumulator = new CccAccumulator();
        accumulator.Add([0.1, 0.1, 0.1], [0.1, 0.1, 0.1]);
        accumulator.Add([0.1, 0.1, 0.1], [0.1, 0.1, 0.1]);

        accumulator.Ccc().Should().Be(0.0);
    }

    [Fact]
    public void Reset_ccc_accumulator_forgets_its_pairs()
    {   // after Reset only [1,2,3] vs [2,3,4] remains → 4/7
        var accumulator = new CccAccumulator();
        accumulator.Add([5.0, -3], [0.0, 9]);
        accumulator.Reset();
        accumulator.Add([1.0, 2, 3], [2.0, 3, 4]);

        accumulator.Ccc().Should().BeApproximately(4.0 / 7.0, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void Valence_arousal_accumulated_in_batches_equals_the_one_shot_score(int[] sizes)
    {   // 500 frames × 2 (valence, arousal) = 1000 values; every 7th gold valence and every 5th gold arousal set to −5
        var (predictions, gold) = SeededData.Regression(1000, seed: 9);
        for (int f = 0; f < 500; f++)
        {
            gold[2 * f] = f % 7 == 0 ? -5 : gold[2 * f];
            gold[2 * f + 1] = f % 5 == 0 ? -5 : gold[2 * f + 1];
        }

        var expected = AbawScores.ValenceArousal(predictions, gold);
        var accumulator = new ValenceArousalAccumulator();
        foreach (var batch in SeededData.Batches(500, sizes))
        {
            var values = new Range(2 * batch.Start.Value, 2 * batch.End.Value);   // whole frames
            accumulator.Add(predictions.AsSpan(values), gold.AsSpan(values));
        }

        var result = accumulator.Result();
        result.ValenceFrames.Should().Be(500 - 72);   // f = 0, 7, …, 497 → 72 masked
        result.ArousalFrames.Should().Be(400);        // f = 0, 5, …, 495 → 100 masked
        result.CccValence.Should().BeApproximately(expected.CccValence, 1e-12);
        result.CccArousal.Should().BeApproximately(expected.CccArousal, 1e-12);
        result.Score.Should().BeApproximately(expected.Score, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void Expression_accumulated_in_batches_equals_the_one_shot_score(int[] sizes)
    {   // counts are integers, so the results are identical
        var (predictions, gold) = SeededData.Classes(1000, classCount: 8, unlabelledRate: 0.1, seed: 13);
        var accumulator = new ExpressionAccumulator();

        foreach (var batch in SeededData.Batches(predictions.Length, sizes))
        {
            accumulator.Add(predictions.AsSpan(batch), gold.AsSpan(batch));
        }

        accumulator.Result().Should().Be(AbawScores.Expression(predictions, gold));
        accumulator.Result().Score.Should().Be(MacroF1.Compute(predictions, gold));
        accumulator.ToConfusionMatrix().ToArray().Should().BeEquivalentTo(ConfusionMatrix.FromLabels(predictions, gold).ToArray());
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void Action_units_accumulated_in_batches_equal_the_one_shot_score(int[] sizes)
    {   // 1000 frames × 12 AUs, thresholded at 0.5; batches cut on whole frames
        var (scores, gold) = SeededData.ActionUnits(1000, 12, seed: 17);
        int[] predictions = ActionUnitMetrics.Binarize(scores);
        var accumulator = new ActionUnitAccumulator();

        foreach (var batch in SeededData.Batches(1000, sizes))
        {
            var cells = new Range(12 * batch.Start.Value, 12 * batch.End.Value);
            accumulator.Add(predictions.AsSpan(cells), gold.AsSpan(cells));
        }

        accumulator.Result().Should().Be(AbawScores.ActionUnits(predictions, gold));
        accumulator.Result().Score.Should().Be(AbawScores.ActionUnitsFromScores(scores, gold).Score);
        accumulator.Counts().Should().Equal(ActionUnitMetrics.Counts(predictions, gold));
    }

    [Fact]
    public void Merged_expression_and_action_unit_accumulators_equal_one_accumulator()
    {   // pred [0,1] + [1,1] against gold [0,0] + [1,1]: the 11/15 case split over two accumulators (2 classes)
        var first = new ExpressionAccumulator(classCount: 2);
        var second = new ExpressionAccumulator(classCount: 2);
        first.Add([0, 1], [0, 0]);
        second.Add([1, 1], [1, 1]);
        first.Merge(second);
        first.Result().Score.Should().BeApproximately(11.0 / 15.0, 1e-12);

        // AU fixture of ActionUnitMetricsTests split by frame: AU0 1/2, AU1 1 → mean 3/4
        var left = new ActionUnitAccumulator(unitCount: 2);
        var right = new ActionUnitAccumulator(unitCount: 2);
        left.Add([1, 0, 1, 1], [1, 0, 0, 1]);
        right.Add([0, 1, 0, 0], [1, 1, 0, 0]);
        left.Merge(right);
        left.Result().Score.Should().Be(0.75);
    }

    [Fact]
    public void A_rejected_batch_leaves_the_accumulators_unchanged()
    {   // the bad value is last, after valid frames, so partial counting would show
        var expression = new ExpressionAccumulator(classCount: 2);
        expression.Add([0, 1, 1, 1], [0, 0, 1, 1]);
        expression.Invoking(a => a.Add([0, 9], [0, 0])).Should().Throw<ArgumentException>();
        expression.Result().Score.Should().BeApproximately(11.0 / 15.0, 1e-12);   // the 11/15 case still

        var units = new ActionUnitAccumulator(unitCount: 2);
        units.Invoking(a => a.Add([1, 1, 1, 2], [1, 1, 1, 1])).Should().Throw<ArgumentException>();
        units.LabelledCells.Should().Be(0);

        var ccc = new CccAccumulator();
        ccc.Invoking(a => a.Add([1.0, double.NaN], [1.0, 2])).Should().Throw<ArgumentException>();
        ccc.Count.Should().Be(0);
    }

    [Fact]
    public void Reading_an_empty_accumulator_is_an_invalid_operation()
    {   // no labelled frame → the scores are undefined
        new CccAccumulator().Invoking(a => a.Ccc()).Should().Throw<InvalidOperationException>();
        new ValenceArousalAccumulator().Invoking(a => a.Result()).Should().Throw<InvalidOperationException>();

        var expression = new ExpressionAccumulator();
        expression.Add([3], [-1]);
        expression.Invoking(a => a.Result()).Should().Throw<InvalidOperationException>();

        var units = new ActionUnitAccumulator();
        units.Add([.. Enumerable.Repeat(0, 12)], [.. Enumerable.Repeat(-1, 12)]);
        units.Invoking(a => a.Result()).Should().Throw<InvalidOperationException>();
    }
}
