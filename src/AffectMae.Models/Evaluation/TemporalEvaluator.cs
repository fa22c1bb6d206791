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
    /// <returns>Class indices 0 … 7, one a frame.</returns>
    /// <exception cref="InvalidOperationException">A frame's logits hold NaN, so no class can be picked; the message names the video and frame.</exception>
    public int[]? ExpressionClasses()
    {
        if (ExpressionLogits is null) return null;
        int count = AffectLabels.ExpressionClassCount;
        var classes = new int[FrameCount];
        for (int f = 0; f < FrameCount; f++)
        {
            var logits = ExpressionLogits.AsSpan(f * count, count);
            for (int c = 0; c < count; c++)
            {
                if (float.IsNaN(logits[c])) throw NotANumber($"the {AffectLabels.ExpressionNames[c]} logit", f);
            }
            classes[f] = ArgMax(logits);
        }
        return classes;
    }

    /// <summary>0/1 action units of every frame at <paramref name="threshold"/>, or null.</summary>
    /// <param name="threshold">A probability at or above which a unit counts as active.</param>
    /// <returns>[n, 12] values 0 or 1, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is not a number in [0, 1].</exception>
    /// <exception cref="InvalidOperationException">A probability is NaN; the message names the video, frame and unit.</exception>
    public int[]? ActionUnits(double threshold = 0.5)
    {
        if (!(threshold >= 0 && threshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "A threshold is a probability in [0, 1].");
        if (ActionUnitProbabilities is null) return null;
        int count = AffectLabels.ActionUnitCount;
        var units = new int[ActionUnitProbabilities.Length];
        for (int i = 0; i < units.Length; i++)
        {
            float p = ActionUnitProbabilities[i];
            if (float.IsNaN(p)) throw NotANumber($"the {AffectLabels.ActionUnitNames[i % count]} probability", i / count);
            units[i] = p >= threshold ? 1 : 0;
        }
        return units;
    }

    private InvalidOperationException NotANumber(string what, int frameIndex) => new(
        $"Video '{Video}', frame {frameIndex + 1}: {what} is NaN, so no label can be given; the model's outputs are not "
        + "finite (check its weights and its input features).");

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
        if (predictions.All(p => p.ValenceArousal is not null) && dataset.LabelledFrames(AffectTask.ValenceArousal) > 0)
            va = AbawScores.ValenceArousal(Concat(predictions.Select(p => p.ValenceArousal!)), Concat(videos.Select(v => Gold(v, v.ValenceArousal, 2, LabelCodes.UnlabelledValenceArousal))));
        if (predictions.All(p => p.ExpressionLogits is not null) && dataset.LabelledFrames(AffectTask.Expression) > 0)
            expr = AbawScores.Expression(Concat(predictions.Select(p => p.ExpressionClasses()!)), Concat(videos.Select(v => Gold(v, v.Expression, 1, LabelCodes.UnlabelledExpression))));
        if (predictions.All(p => p.ActionUnitProbabilities is not null) && dataset.LabelledFrames(AffectTask.ActionUnits) > 0)
            au = AbawScores.ActionUnits(Concat(predictions.Select(p => p.ActionUnits()!)), Concat(videos.Select(v => Gold(v, v.ActionUnits, LabelCodes.ActionUnitCount, LabelCodes.UnlabelledActionUnit))));
        return new AbawEvaluation(va, expr, au);
    }

    /// <summary><see cref="Predict"/> then <see cref="Score"/>.</summary>
    public static AbawEvaluation Evaluate(AffectSequenceModel model, FeatureWindowDataset dataset, int batchSize = 32, Device? device = null) =>
        Score(Predict(model, dataset, batchSize, device), dataset);

    private static T[] Concat<T>(IEnumerable<T[]> parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A video's labels, or the unlabelled code for every frame when it has none for the task.</summary>
    private static T[] Gold<T>(VideoFeatures video, ReadOnlySpan<T> labels, int perFrame, T unlabelled)
    {
        if (!labels.IsEmpty) return labels.ToArray();
        var none = new T[video.FrameCount * perFrame];
        Array.Fill(none, unlabelled);
        return none;
    }

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
            var probabilities = au is null ? null : Stitched(au, 12).Select(logit => (float)(1 / (1 + Math.Exp(-logit)))).ToArray();
            return new VideoPredictions(video, frameCount, va is null ? null : Stitched(va, 2), expr is null ? null : Stitched(expr, 8), probabilities);
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
