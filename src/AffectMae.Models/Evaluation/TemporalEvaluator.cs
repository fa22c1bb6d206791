using AffectMae.Core.Segmentation;
using AffectMae.Metrics;
using AffectMae.Models.Data;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using static TorchSharp.torch;

namespace AffectMae.Models.Evaluation;

/// <summary>One video's per-frame predictions, stitched from its overlapping windows (null for a task not predicted).</summary>
/// <param name="Video">Video name.</param>
/// <param name="FrameCount">Frames n.</param>
/// <param name="ValenceArousal">[n, 2] in [−1, 1], row-major.</param>
/// <param name="ExpressionLogits">[n, 8] mean logits; the predicted class is the arg-max.</param>
/// <param name="ActionUnitProbabilities">[n, 12] sigmoid of the mean logits.</param>
public sealed record VideoPredictions(string Video, int FrameCount, float[]? ValenceArousal, float[]? ExpressionLogits, float[]? ActionUnitProbabilities)
{
    /// <summary>The predicted expression class of every frame (arg-max of the logits), or null.</summary>
    public int[]? ExpressionClasses() => ExpressionLogits is null ? null
        : Enumerable.Range(0, FrameCount).Select(f => ArgMax(ExpressionLogits.AsSpan(f * AffectLabels.ExpressionClassCount, AffectLabels.ExpressionClassCount))).ToArray();

    /// <summary>0/1 action units of every frame at <paramref name="threshold"/>, or null.</summary>
    public int[]? ActionUnits(double threshold = 0.5) => ActionUnitProbabilities?.Select(p => p >= threshold ? 1 : 0).ToArray();

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}

/// <summary>ABAW scores of a validation set: P_VA, P_EXPR, P_AU (null when not predicted or no frame is labelled).</summary>
/// <param name="ValenceArousal">CCC of valence and arousal; P_VA is their mean.</param>
/// <param name="Expression">Per-class F1; P_EXPR is their mean.</param>
/// <param name="ActionUnits">Per-AU F1 at threshold 0.5; P_AU is their mean.</param>
public sealed record AbawEvaluation(ValenceArousalScore? ValenceArousal, ExpressionScore? Expression, ActionUnitScore? ActionUnits)
{
    /// <summary>The mean of the available challenge scores, used to pick the best checkpoint.</summary>
    public double Overall => new[] { ValenceArousal?.Score, Expression?.Score, ActionUnits?.Score }.OfType<double>().DefaultIfEmpty(0).Average();
}

/// <summary>
/// Runs a temporal model over every window of every video, stitches the per-window outputs back to one prediction a
/// frame (mean over the windows covering it; paper §3.3), and scores them with the ABAW metrics pooled over all
/// labelled frames of all videos.
/// </summary>
public static class TemporalEvaluator
{
    /// <summary>Per-frame predictions of every video of <paramref name="dataset"/>.</summary>
    public static IReadOnlyList<VideoPredictions> Predict(AffectSequenceModel model, FeatureWindowDataset dataset, int batchSize = 32, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        bool wasTraining = model.training;
        model.eval();
        var loader = DataLoader.Create(dataset, new DataLoaderOptions { BatchSize = batchSize, Shuffle = false, Workers = 0, PrefetchBatches = 1 }, device);
        var outputs = dataset.Videos.Select((v, i) => new WindowOutputs(v.FrameCount, dataset.Segment(i))).ToArray();
        using (no_grad())
        {
            foreach (var batch in loader.Epoch(0))
            {
                using (batch)
                using (CollectionPause.Begin())
                using (var predictions = model.call(batch.X, batch.Valid))
                {
                    for (int b = 0; b < batch.Count; b++)
                        outputs[batch.Windows[b].VideoIndex].Add(batch.Windows[b].Window.Index, predictions, b);
                }
            }
        }
        if (wasTraining) model.train();
        return dataset.Videos.Select((v, i) => outputs[i].Stitch(v.Name)).ToList();
    }

    /// <summary>ABAW scores of <paramref name="predictions"/> against the labels of <paramref name="dataset"/>.</summary>
    public static AbawEvaluation Score(IReadOnlyList<VideoPredictions> predictions, FeatureWindowDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(dataset);
        var videos = dataset.Videos;
        ValenceArousalScore? va = null;
        ExpressionScore? expr = null;
        ActionUnitScore? au = null;
        if (predictions.All(p => p.ValenceArousal is not null) && videos.Any(v => Labelled(v.ValenceArousal, x => x >= -1)))
            va = AbawScores.ValenceArousal(Concat(predictions.Select(p => p.ValenceArousal!)), Concat(videos.Select(v => v.ValenceArousal.ToArray())));
        if (predictions.All(p => p.ExpressionLogits is not null) && videos.Any(v => Labelled(v.Expression, x => x >= 0)))
            expr = AbawScores.Expression(Concat(predictions.Select(p => p.ExpressionClasses()!)), Concat(videos.Select(v => v.Expression.ToArray())));
        if (predictions.All(p => p.ActionUnitProbabilities is not null) && videos.Any(v => Labelled(v.ActionUnits, x => x >= 0)))
            au = AbawScores.ActionUnits(Concat(predictions.Select(p => p.ActionUnits()!)), Concat(videos.Select(v => v.ActionUnits.ToArray())));
        return new AbawEvaluation(va, expr, au);
    }

    /// <summary><see cref="Predict"/> then <see cref="Score"/>.</summary>
    public static AbawEvaluation Evaluate(AffectSequenceModel model, FeatureWindowDataset dataset, int batchSize = 32, Device? device = null) =>
        Score(Predict(model, dataset, batchSize, device), dataset);

    private static bool Labelled<T>(ReadOnlySpan<T> values, Func<T, bool> labelled)
    {
        foreach (var value in values) if (labelled(value)) return true;
        return false;
    }

    private static T[] Concat<T>(IEnumerable<T[]> parts) => parts.SelectMany(p => p).ToArray();

    // Collects one video's window outputs, laid out [windows, w, values] as WindowStitcher expects.
    private sealed class WindowOutputs(int frameCount, IReadOnlyList<Window> windows)
    {
        private float[]? va, expr, au;

        public void Add(int window, AffectPredictions predictions, int row)
        {
            Copy(ref va, window, predictions.ValenceArousal, row);
            Copy(ref expr, window, predictions.Expression, row);
            Copy(ref au, window, predictions.ActionUnits, row);
        }

        public VideoPredictions Stitch(string video)
        {
            var probabilities = au is null ? null : Stitched(au, AffectLabels.ActionUnitCount).Select(logit => (float)(1 / (1 + Math.Exp(-logit)))).ToArray();
            return new VideoPredictions(video, frameCount, va is null ? null : Stitched(va, AffectLabels.ValenceArousalCount), expr is null ? null : Stitched(expr, AffectLabels.ExpressionClassCount), probabilities);
        }

        private float[] Stitched(float[] buffer, int values) => WindowStitcher.Stitch(frameCount, windows, buffer, values);

        private void Copy(ref float[]? buffer, int window, Tensor? output, int row)
        {
            if (output is null) return;
            int length = (int)output.shape[1], values = (int)output.shape[2];
            buffer ??= new float[windows.Count * length * values];
            using var rowValues = output[row].cpu();
            rowValues.data<float>().ToArray().CopyTo(buffer, window * length * values);
        }
    }
}
