using AffectMae.Core.Data;
using TorchSharp;
using AffectMae.Core.Segmentation;
using AffectMae.Metrics;
using AffectMae.Models.Data;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Features;
using AffectMae.Models.IO;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using static TorchSharp.torch;

namespace AffectMae.Cli.Pipeline;

/// <summary>One temporal-model configuration: which features, and which of TCN and Transformer it uses.</summary>
/// <param name="Name">Folder and table name.</param>
/// <param name="Encoder"><see cref="ExtractStep.FineTuned"/> or <see cref="ExtractStep.Pretrained"/>.</param>
/// <param name="UseTcn">Whether the TCN is in.</param>
/// <param name="UseTransformer">Whether the Transformer is in.</param>
public sealed record TemporalVariant(string Name, string Encoder, bool UseTcn, bool UseTransformer)
{
    /// <summary>The paper's model.</summary>
    public static TemporalVariant Full { get; } = new("full", ExtractStep.FineTuned, true, true);

    /// <summary>Heads on each frame's features alone (no temporal context).</summary>
    public static TemporalVariant FrameOnly { get; } = new("frame-only", ExtractStep.FineTuned, false, false);

    /// <summary>The paper's Table 5 rows: full; without fine-tuning; without TCN; without Transformer.</summary>
    public static IReadOnlyList<TemporalVariant> Ablations { get; } =
    [
        Full,
        new("no-finetuning", ExtractStep.Pretrained, true, true),
        new("no-tcn", ExtractStep.FineTuned, false, true),
        new("no-transformer", ExtractStep.FineTuned, true, false),
    ];
}

/// <summary>Stage 3: the temporal model over windows of cached features, evaluated on the validation videos.</summary>
public static class TemporalStep
{
    /// <summary>The windows of the videos, with their labels and cached features.</summary>
    public static FeatureWindowDataset Windows(IEnumerable<AbawVideo> videos, FeatureCache cache, PipelineSettings settings) =>
        new(videos.Select(v => Features(v, cache)), new VideoSegmenter(settings.WindowLength, settings.Stride));

    /// <summary>Optimiser steps the run takes.</summary>
    public static int Steps(FrameSet data, PipelineSettings settings) =>
        settings.Temporal.Epochs * (int)Math.Ceiling(data.Train.Sum(v => new VideoSegmenter(settings.WindowLength, settings.Stride).Segment(v.FrameCount).Count(w => !w.IsEmpty)) / (double)settings.Temporal.BatchSize);

    /// <summary>Trains the variant (resuming when a checkpoint exists), keeps the best epoch, and returns its validation predictions and scores.</summary>
    public static (AbawEvaluation Scores, IReadOnlyList<VideoPredictions> Predictions) Run(
        FrameSet data, Workspace workspace, PipelineSettings settings, TemporalVariant variant, TrainingReporter reporter, Device? device, CancellationToken cancellationToken)
    {
        var cache = new FeatureCache(workspace.Features(variant.Encoder));
        var train = Windows(data.Train, cache, settings);
        var validation = Windows(data.Validation, cache, settings);
        manual_seed(settings.Seed);
        using var model = new AffectSequenceModel(settings.SequenceModel(train.FeatureDim, variant.UseTcn, variant.UseTransformer));
        if (device is not null) model.to(device);
        using var stage = new TemporalTrainingStage(model, settings.Temporal);
        var checkpoints = new CheckpointPolicy { Folder = workspace.Temporal(variant.Name) };
        stage.Run(train, validation, new StageRunOptions { Checkpoints = checkpoints, Device = device, Progress = reporter, Loader = new DataLoaderOptions { Workers = 0 } }, cancellationToken);
        StateDictLoader.LoadFile(model, Path.Combine(checkpoints.Best, "model.safetensors"));
        var predictions = TemporalEvaluator.Predict(model, validation, settings.Temporal.BatchSize, device);
        return (TemporalEvaluator.Score(predictions, validation), predictions);
    }

    /// <summary>
    /// Trivial predictors on the validation videos: a constant valence/arousal (CCC 0), the majority expression
    /// everywhere, and each AU's majority value everywhere.
    /// </summary>
    public static AbawEvaluation Baseline(IReadOnlyList<AbawVideo> validation)
    {
        var expression = validation.SelectMany(v => v.ExpressionLabels()).ToArray();
        var labelled = expression.Where(c => c >= 0).ToArray();
        int majority = labelled.GroupBy(c => c).MaxBy(g => g.Count())!.Key;
        var units = validation.SelectMany(v => v.ActionUnitLabels()).ToArray();
        var majorityUnits = Enumerable.Range(0, 12).Select(k =>
        {
            var column = units.Where((_, i) => i % 12 == k && units[i] >= 0).ToArray();
            return column.Count(u => u == 1) * 2 > column.Length ? 1 : 0;
        }).ToArray();
        return new AbawEvaluation(
            new ValenceArousalScore(0, 0, 0, 0),
            AbawScores.Expression(labelled.Select(_ => majority).ToArray(), labelled),
            AbawScores.ActionUnits(Enumerable.Range(0, units.Length).Select(i => majorityUnits[i % 12]).ToArray(), units));
    }

    private static VideoFeatures Features(AbawVideo video, FeatureCache cache)
    {
        var features = cache.LoadArray(video.Video, out int frames, out int dimension);
        if (frames != video.FrameCount)
            throw new InvalidDataException($"Cached features of '{video.Video}' have {frames} frames, its annotations {video.FrameCount}; delete {cache.PathFor(video.Video)} and run `extract` again.");
        return new VideoFeatures(video.Video, features, dimension, video.ValenceArousalLabels(), video.ExpressionLabels(), video.ActionUnitLabels());
    }
}
