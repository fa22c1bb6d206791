// Label counts of a planned or generated synthetic data set, over the labelled frames of all videos.
using AffectMae.Metrics;

namespace AffectMae.Cli.Synthetic;

/// <summary>How often each expression class and each AU occurs, and how the videos split.</summary>
/// <param name="TotalFrames">Frames (annotation lines) of all videos.</param>
/// <param name="MissingImages">Frames without an image.</param>
/// <param name="TrainVideos">Videos in <c>Train_Set</c>.</param>
/// <param name="ValidationVideos">Videos in <c>Validation_Set</c>.</param>
/// <param name="LabelledExpressionFrames">Frames with an expression label.</param>
/// <param name="ExpressionCounts">Frames per class, indexed as <see cref="ExpressionClass"/>.</param>
/// <param name="LabelledActionUnitFrames">Frames with AU labels.</param>
/// <param name="ActionUnitCounts">Frames where each AU is present, in the order of <see cref="AffectLabels.ActionUnitNames"/>.</param>
internal sealed record LabelStatistics(
    long TotalFrames,
    long MissingImages,
    int TrainVideos,
    int ValidationVideos,
    long LabelledExpressionFrames,
    IReadOnlyList<long> ExpressionCounts,
    long LabelledActionUnitFrames,
    IReadOnlyList<long> ActionUnitCounts)
{
    /// <summary>Counts the labels of the given videos.</summary>
    /// <param name="videos">The plans.</param>
    /// <returns>The statistics.</returns>
    public static LabelStatistics Of(IEnumerable<SyntheticVideo> videos)
    {
        ArgumentNullException.ThrowIfNull(videos);
        long total = 0, missing = 0, labelledExpression = 0, labelledActionUnits = 0;
        int train = 0, validation = 0;
        var expression = new long[AffectLabels.ExpressionClassCount];
        var actionUnits = new long[AffectLabels.ActionUnitCount];
        foreach (var video in videos)
        {
            total += video.FrameCount;
            missing += video.MissingFrameNumbers.Count;
            if (video.Split == Core.Data.AbawSplit.Train) train++;
            else validation++;
            foreach (int label in video.Expression.Labels)
            {
                if (AffectLabels.IsUnlabelledExpression(label)) continue;
                expression[label]++;
                labelledExpression++;
            }
            for (int t = 0; t < video.FrameCount; t++)
            {
                var row = video.ActionUnits.Row(t);
                if (AffectLabels.IsUnlabelledActionUnit(row[0])) continue;
                labelledActionUnits++;
                for (int j = 0; j < row.Length; j++) actionUnits[j] += row[j];
            }
        }
        return new LabelStatistics(total, missing, train, validation, labelledExpression, expression, labelledActionUnits, actionUnits);
    }
}
