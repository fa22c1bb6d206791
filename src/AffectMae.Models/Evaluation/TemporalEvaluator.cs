using AffectMae.Core.Data;
using AffectMae.Core.Options;
using AffectMae.Core.Segmentation;
using AffectMae.Metrics;
using AffectMae.Models.Data;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using static TorchSharp.torch;

namespace AffectMae.Models.Evaluation;

/// <summary>One video's per-frame predictions, stitched from its windows (null for a task not predicted).</summary>
/// <param name="Video">Video name.</param>
/// <param name="FrameCount">Frames n.</param>
/// <param name="ValenceArousal">[n, 2], row-major; in [−1, 1] when clipped (<see cref="InferenceOptions.ClipValenceArousal"/>).</param>
/// <param name="ExpressionLogits">[n, 8] stitched logits (the mean over windows, or one window's, by protocol).</param>
/// <param name="ActionUnitProbabilities">[n, 12] sigmoid of the stitched logits.</param>
public sealed record VideoPredictions(string Video, int FrameCount, float[]? ValenceArousal, float[]? ExpressionLogits, float[]? ActionUnitProbabilities)
{
    /// <summary>k of the mode filter <see cref="ExpressionClasses"/> applies after the arg-max; 0 for none.</summary>
    /// <value>The default value is 0.</value>
    public int ExpressionModeFilter { get; init; }

    /// <summary>Whether <see cref="ActionUnits"/> decides a unit present at p = threshold.</summary>
    /// <value>The default value is <see cref="ThresholdRule.AtOrAbove"/>.</value>
    public ThresholdRule ActionUnitRule { get; init; }

    /// <summary>The predicted expression class of every frame (arg-max of the logits, then the mode filter when one is set), or null.</summary>
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
        return ExpressionModeFilter > 0 ? ModeFilter.Apply(classes, ExpressionModeFilter) : classes;
    }

    /// <summary>0/1 action units of every frame at <paramref name="threshold"/> by <see cref="ActionUnitRule"/>, or null.</summary>
    /// <param name="threshold">A probability at or above (or, by <see cref="ActionUnitRule"/>, above) which a unit counts as active.</param>
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
            units[i] = Decide(p, threshold, ActionUnitRule) ? 1 : 0;
        }
        return units;
    }

    /// <summary>Whether probability <paramref name="p"/> is a positive decision at <paramref name="threshold"/> by <paramref name="rule"/>.</summary>
    internal static bool Decide(float p, double threshold, ThresholdRule rule) => rule == ThresholdRule.Above ? p > threshold : p >= threshold;

    /// <summary>The first index of the largest value (a tie keeps the first); the expression class of a frame's logits.</summary>
    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private InvalidOperationException NotANumber(string what, int frameIndex) => new(
        $"Video '{Video}', frame {frameIndex + 1}: {what} is NaN, so no label can be given; the model's outputs are not "
        + "finite (check its weights and its input features).");
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
/// Runs a temporal model over the windows of every video, stitches the per-window outputs back to one prediction a
/// frame by an <see cref="InferenceProtocol"/> (by default the mean over the windows covering it; paper §3.3), and
/// scores them with the ABAW metrics pooled over all labelled frames of all videos.
/// </summary>
public static class TemporalEvaluator
{
    /// <summary>Per-frame predictions of every video of <paramref name="dataset"/>.</summary>
    /// <param name="model">Either temporal model; it runs in evaluation mode and is put back in the mode it was in.</param>
    /// <param name="dataset">The videos. Its window length w (and, for the overlapping protocols, its stride s) sets the
    /// inference windows; its tail rule is ignored, since every frame needs a prediction.</param>
    /// <param name="batchSize">Windows a forward pass.</param>
    /// <param name="device">Where the batches go (the model must be there); CPU when null.</param>
    /// <param name="inference">Protocol, clipping and mode filter; <see cref="InferenceOptions.OverlapAverage"/> when null.</param>
    /// <param name="progress">Told after every batch how many windows are done.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>One entry a video, in the dataset's order.</returns>
    /// <exception cref="ArgumentException">The options are invalid, or the model reads another feature size than the dataset holds.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing is returned.</exception>
    public static IReadOnlyList<VideoPredictions> Predict(TemporalAffectModel model, FeatureWindowDataset dataset, int batchSize = 32, Device? device = null, InferenceOptions? inference = null,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        inference = (inference is null ? null : OptionsValidation.Copy(inference)) ?? InferenceOptions.OverlapAverage;
        OptionsValidation.ThrowIfInvalid(new InferenceOptionsValidator(), inference, nameof(inference));
        if (model.InputDim != dataset.FeatureDim)
            throw new ArgumentException($"The model reads {model.InputDim}-d frame features but the dataset holds {dataset.FeatureDim}-d ones; extract features with the encoder the model was trained on.", nameof(dataset));

        var segmenter = InferenceWindows.Segmenter(inference.Protocol, dataset.WindowLength, dataset.Segmenter.Stride);
        var windows = segmenter.Stride == dataset.Segmenter.Stride && dataset.Segmenter.Tail == WindowTail.Pad
            ? dataset
            : new FeatureWindowDataset(dataset.Videos, segmenter);

        bool wasTraining = model.training;
        model.eval();
        var loader = DataLoader.Create(windows, new DataLoaderOptions { BatchSize = batchSize, Shuffle = false, Workers = 0, PrefetchBatches = 1 }, device);
        var outputs = windows.Videos.Select((v, i) => new WindowOutputs(v.FrameCount, windows.Segment(i), inference)).ToArray();
        int done = 0;
        try
        {
            using (no_grad())
            {
                foreach (var batch in loader.Epoch(0))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using (batch)
                    using (CollectionPause.Begin())
                    using (var predictions = model.call(batch.X, batch.Valid))
                    {
                        for (int b = 0; b < batch.Count; b++)
                            outputs[batch.Windows[b].VideoIndex].Add(batch.Windows[b].Window.Index, predictions, b);
                    }
                    done += batch.Count;
                    progress?.Report(new EvaluationProgress(done, windows.Count));
                }
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        return windows.Videos.Select((v, i) => outputs[i].Stitch(v.Name)).ToList();
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
            va = AbawScores.ValenceArousal(Concat(predictions.Select(p => p.ValenceArousal!)), Concat(videos.Select(v => Gold(v, v.ValenceArousal, 2, AffectLabels.UnlabelledValenceArousal))));
        if (predictions.All(p => p.ExpressionLogits is not null) && dataset.LabelledFrames(AffectTask.Expression) > 0)
            expr = AbawScores.Expression(Concat(predictions.Select(p => p.ExpressionClasses()!)), Concat(videos.Select(v => Gold(v, v.Expression, 1, AffectLabels.UnlabelledExpression))));
        if (predictions.All(p => p.ActionUnitProbabilities is not null) && dataset.LabelledFrames(AffectTask.ActionUnits) > 0)
            au = AbawScores.ActionUnits(Concat(predictions.Select(p => p.ActionUnits()!)), Concat(videos.Select(v => Gold(v, v.ActionUnits, AffectLabels.ActionUnitCount, AffectLabels.UnlabelledActionUnit))));
        return new AbawEvaluation(va, expr, au);
    }

    /// <summary><see cref="Predict"/> then <see cref="Score"/>.</summary>
    public static AbawEvaluation Evaluate(TemporalAffectModel model, FeatureWindowDataset dataset, int batchSize = 32, Device? device = null, InferenceOptions? inference = null) =>
        Score(Predict(model, dataset, batchSize, device, inference), dataset);

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
    private sealed class WindowOutputs(int frameCount, IReadOnlyList<Window> windows, InferenceOptions inference)
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
            var valenceArousal = va is null ? null : Stitched(va, AffectLabels.ValenceArousalCount);
            if (valenceArousal is not null && inference.ClipValenceArousal)
                for (int i = 0; i < valenceArousal.Length; i++) valenceArousal[i] = Math.Clamp(valenceArousal[i], -1f, 1f);
            var probabilities = au is null ? null : Stitched(au, AffectLabels.ActionUnitCount).Select(logit => (float)(1 / (1 + Math.Exp(-logit)))).ToArray();
            return new VideoPredictions(video, frameCount, valenceArousal, expr is null ? null : Stitched(expr, AffectLabels.ExpressionClassCount), probabilities)
            {
                ExpressionModeFilter = inference.ExpressionModeFilter,
                ActionUnitRule = inference.ActionUnitRule,
            };
        }

        private float[] Stitched(float[] buffer, int values) => WindowStitcher.Stitch(frameCount, windows, buffer, values, inference.Protocol);

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
