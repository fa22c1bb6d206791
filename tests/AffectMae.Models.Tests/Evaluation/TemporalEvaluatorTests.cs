using AffectMae.Core.Segmentation;
using AffectMae.Models.Data;
using AffectMae.Models.Evaluation;

namespace AffectMae.Models.Tests.Evaluation;

public sealed class TemporalEvaluatorTests
{
    [Fact]
    public void A_nan_expression_logit_is_an_error_naming_the_video_and_frame_not_neutral()
    {
        // Frame 1 picks class 2; frame 2's Anger logit is NaN, which an arg-max would have turned into Neutral (0).
        float[] logits = [0, 0, 1, 0, 0, 0, 0, 0, 0.5f, float.NaN, 0, 0, 0, 0, 0, 0];
        var predictions = new VideoPredictions("v3", 2, null, logits, null);

        FluentActions.Invoking(predictions.ExpressionClasses).Should().Throw<InvalidOperationException>()
            .WithMessage("Video 'v3', frame 2: the Anger logit is NaN, so no label can be given*");
    }

    [Fact]
    public void A_nan_action_unit_probability_is_an_error_naming_the_video_frame_and_unit_not_inactive()
    {
        var probabilities = Enumerable.Repeat(0.75f, 24).ToArray();
        probabilities[12 + 2] = float.NaN;                    // frame 2, third unit: AU4
        var predictions = new VideoPredictions("v4", 2, null, null, probabilities);

        FluentActions.Invoking(() => predictions.ActionUnits()).Should().Throw<InvalidOperationException>()
            .WithMessage("Video 'v4', frame 2: the AU4 probability is NaN*");
        FluentActions.Invoking(() => predictions.ActionUnits(double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Finite_outputs_map_to_classes_and_units_as_before()
    {
        float[] logits = [0, 0, 1, 0, 0, 0, 0, float.NegativeInfinity, 3, 0, 0, 0, 0, 0, 0, 0];
        var predictions = new VideoPredictions("v", 2, null, logits, [0.5f, 0.49f, .. Enumerable.Repeat(0f, 10)]);

        predictions.ExpressionClasses().Should().Equal(2, 0);
        predictions.ActionUnits()!.Take(2).Should().Equal(1, 0);
    }

    [Fact]
    public void A_probability_of_exactly_the_threshold_is_present_for_ours_and_absent_for_the_authors_rule()
    {
        // Units 1–3 of frame 1: p = 0.5 (the sigmoid of a logit of exactly 0), just below, just above.
        float[] probabilities = [0.5f, 0.49999997f, 0.50000006f, .. Enumerable.Repeat(0f, 9)];
        var ours = new VideoPredictions("v", 1, null, null, probabilities);
        var theirs = ours with { ActionUnitRule = ThresholdRule.Above };

        ours.ActionUnits()!.Take(3).Should().Equal(1, 0, 1);
        theirs.ActionUnits()!.Take(3).Should().Equal(0, 0, 1);
        InferenceOptions.Released.ActionUnitRule.Should().Be(ThresholdRule.Above, "the authors decide round(sigmoid), and round(0.5) = 0");
        InferenceOptions.OverlapAverage.ActionUnitRule.Should().Be(ThresholdRule.AtOrAbove);
    }

    [Fact]
    public void A_validation_video_without_expression_labels_counts_as_unlabelled_when_scoring()
    {
        // Video a is annotated (classes 0 and 1, both predicted right); video b has no expression annotation. The
        // score must equal that of video a alone instead of failing on gold shorter than the predictions.
        var segmenter = new VideoSegmenter(4, 2);
        var a = new VideoFeatures("a", new float[4], 2, expression: [0, 1]);
        var b = new VideoFeatures("b", new float[6], 2);
        float[] aLogits = [5, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0];
        var aPredicted = new VideoPredictions("a", 2, null, aLogits, null);
        var bPredicted = new VideoPredictions("b", 3, null, new float[24], null);

        var both = TemporalEvaluator.Score([aPredicted, bPredicted], new FeatureWindowDataset([a, b], segmenter));
        var alone = TemporalEvaluator.Score([aPredicted], new FeatureWindowDataset([a], segmenter));

        both.Expression!.Score.Should().Be(alone.Expression!.Score);
    }
}
