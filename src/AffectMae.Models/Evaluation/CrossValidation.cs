using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Data;

namespace AffectMae.Models.Evaluation;

/// <summary>The scores of one fold: its validation videos, predicted by the model trained on its training videos.</summary>
/// <param name="Fold">0-based fold number.</param>
/// <param name="Scores">ABAW scores of the fold's validation videos.</param>
public sealed record FoldScores(int Fold, AbawEvaluation Scores);

/// <summary>Per-fold scores and the scores of every fold's validation predictions pooled (each video is scored once).</summary>
/// <param name="Folds">One entry a fold.</param>
/// <param name="Overall">Scores over all validation frames of all folds together.</param>
public sealed record CrossValidationScores(IReadOnlyList<FoldScores> Folds, AbawEvaluation Overall);

/// <summary>
/// k-fold evaluation by video (the paper reports 5 folds): for every fold the caller trains on the fold's training
/// videos and predicts its validation videos; the scores are reported per fold and over all folds pooled.
/// </summary>
public static class CrossValidation
{
    /// <summary>Runs every fold.</summary>
    /// <param name="videos">Every video's features and labels, by name.</param>
    /// <param name="folds">The splits, e.g. from <see cref="VideoFolds.Split"/>; every video must be in <paramref name="videos"/>.</param>
    /// <param name="segmenter">How videos are cut into windows.</param>
    /// <param name="trainAndPredict">(fold, training windows, validation windows) → per-frame predictions of the validation videos, in their order.</param>
    public static CrossValidationScores Run(
        IReadOnlyList<VideoFeatures> videos, IReadOnlyList<VideoSplit> folds, VideoSegmenter segmenter,
        Func<int, FeatureWindowDataset, FeatureWindowDataset, IReadOnlyList<VideoPredictions>> trainAndPredict)
    {
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(trainAndPredict);
        var byName = videos.ToDictionary(v => v.Name, StringComparer.Ordinal);
        IReadOnlyList<VideoFeatures> Pick(IEnumerable<string> names) => names.Select(n => byName.TryGetValue(n, out var v) ? v
            : throw new ArgumentException($"Fold video '{n}' has no features; extract it first.", nameof(folds))).ToList();

        var perFold = new List<FoldScores>();
        var pooledVideos = new List<VideoFeatures>();
        var pooledPredictions = new List<VideoPredictions>();
        for (int k = 0; k < folds.Count; k++)
        {
            var validation = new FeatureWindowDataset(Pick(folds[k].Validation), segmenter);
            var predictions = trainAndPredict(k, new FeatureWindowDataset(Pick(folds[k].Train), segmenter), validation);
            if (predictions.Count != validation.Videos.Count)
                throw new InvalidOperationException($"Fold {k}: {predictions.Count} predicted videos for {validation.Videos.Count} validation videos.");
            perFold.Add(new FoldScores(k, TemporalEvaluator.Score(predictions, validation)));
            pooledVideos.AddRange(validation.Videos);
            pooledPredictions.AddRange(predictions);
        }
        return new CrossValidationScores(perFold, TemporalEvaluator.Score(pooledPredictions, new FeatureWindowDataset(pooledVideos, segmenter)));
    }
}
