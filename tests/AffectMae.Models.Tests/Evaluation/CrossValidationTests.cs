using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Data;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Tests.Training;

namespace AffectMae.Models.Tests.Evaluation;

public class CrossValidationTests
{
    private static readonly VideoSegmenter Segmenter = new(windowLength: 20, stride: 10);
    private static readonly VideoFeatures[] Videos = Enumerable.Range(0, 6).Select(i => SyntheticFeatures.Video($"v{i}", 40 + i, seed: i)).ToArray();

    // A "model" that predicts each validation video's own labels: VA as annotated, the annotated class, the annotated AUs.
    private static IReadOnlyList<VideoPredictions> Oracle(FeatureWindowDataset validation) => validation.Videos.Select(v =>
    {
        var expression = new float[v.FrameCount * 8];
        var units = new float[v.FrameCount * 12];
        for (int f = 0; f < v.FrameCount; f++)
        {
            expression[f * 8 + Math.Max(0, v.Expression[f])] = 1;
            for (int k = 0; k < 12; k++) units[f * 12 + k] = v.ActionUnits[f * 12 + k] == 1 ? 0.9f : 0.1f;
        }
        return new VideoPredictions(v.Name, v.FrameCount, v.ValenceArousal.ToArray(), expression, units);
    }).ToList();

    [Fact]
    public void Every_fold_trains_on_the_other_videos_and_every_video_is_scored_once()
    {
        var folds = VideoFolds.Split(Videos.Select(v => v.Name), foldCount: 3, seed: 1);
        var seen = new List<string>();

        var result = CrossValidation.Run(Videos, folds, Segmenter, (k, train, validation) =>
        {
            train.Videos.Select(v => v.Name).Should().NotIntersectWith(validation.Videos.Select(v => v.Name));
            seen.AddRange(validation.Videos.Select(v => v.Name));
            return Oracle(validation);
        });

        seen.Should().BeEquivalentTo(Videos.Select(v => v.Name)).And.OnlyHaveUniqueItems();
        result.Folds.Should().HaveCount(3);
        // Perfect VA: CCC 1 for both. Expression: the synthetic classes are 0–3 (the (valence, arousal) quadrant), each
        // predicted perfectly → F1 1 for those present, 0 for classes 4–7, which appear on neither side: 4/8 = 0.5
        // when all four quadrants occur. AUs at 0.9/0.1 threshold to the gold values: F1 1 for an AU with positives.
        result.Overall.ValenceArousal!.Score.Should().BeApproximately(1, 1e-9);
        result.Overall.Expression!.Score.Should().BeApproximately(0.5, 1e-12);
        result.Folds.Should().OnlyContain(f => Math.Abs(f.Scores.ValenceArousal!.Score - 1) < 1e-9);
    }

    [Fact]
    public void A_fold_video_without_features_is_rejected_naming_it()
    {
        var folds = new[] { new VideoSplit(["v0", "v1"], ["missing"]) };

        var run = () => CrossValidation.Run(Videos, folds, Segmenter, (_, _, v) => Oracle(v));

        run.Should().Throw<ArgumentException>().WithMessage("Fold video 'missing' has no features*");
    }
}
