// Paper §3.3 at inference, and the other protocols of InferenceProtocol: a video's frames go through the temporal model
// window by window and each frame's outputs are stitched from the windows that cover it — as TemporalEvaluator does
// for a whole video (WindowStitcher, ModeFilter), but fed frame by frame, so that memory holds a few windows whatever
// the video's length.
using AffectMae.Core.Segmentation;
using AffectMae.Metrics;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Pipeline;

/// <summary>One frame's temporal-model outputs, stitched by the protocol; null for a frame without a face and for a task the model lacks.</summary>
/// <param name="Index">0-based position of the frame in the stream.</param>
/// <param name="ValenceArousal">(valence, arousal), clipped to [−1, 1] when the protocol says so, or null.</param>
/// <param name="ExpressionLogits">Expression logits (8), or null.</param>
/// <param name="Expression">The expression class: arg-max of the logits, then the protocol's mode filter; or null.</param>
/// <param name="ActionUnitLogits">Action-unit logits (12), or null.</param>
internal sealed record FrameOutputs(int Index, float[]? ValenceArousal, float[]? ExpressionLogits, int? Expression, float[]? ActionUnitLogits);

/// <summary>
/// Feeds frame features into a temporal model window by window and hands back each frame's outputs once no later
/// window can cover it and the expression mode filter has seen its ⌊k/2⌋ frames of look-ahead. Window j covers
/// frames j·s … j·s + w − 1, with s the protocol's stride (<see cref="InferenceWindows.Segmenter"/>: w for
/// <see cref="InferenceProtocol.NonOverlapping"/>); a frame's outputs are the mean over its windows
/// (<see cref="InferenceProtocol.OverlapAverage"/>) or the last one's. Windows run in groups of <c>windowBatch</c>, so
/// the outputs do not depend on how the frames arrive. Frames marked invalid (no face) are padding to the model and get
/// no outputs (nor a vote in the mode filter); a window with no valid frame is not run.
/// </summary>
internal sealed class WindowedInference
{
    private readonly TemporalAffectModel model;
    private readonly InferenceOptions inference;
    private readonly int windowLength, stride, windowBatch, featureDim;
    private readonly bool average;                         // OverlapAverage; otherwise the last window wins
    private readonly Device device;
    private readonly List<float[]?> rows = [];            // features of frames first … received − 1 (null: invalid)
    private readonly List<Accumulator> sums = [];           // their outputs over windows
    private readonly List<int> pending = [];               // windows ready to run, in order
    private readonly StreamingModeFilter modeFilter;
    private readonly Queue<FrameOutputs> filtering = [];   // settled frames waiting for the mode filter's look-ahead
    private int first;                                     // index of rows[0]
    private int received;                                  // frames added
    private int nextWindow;                                // first window not yet queued

    public WindowedInference(TemporalAffectModel model, VideoSegmenter segmenter, InferenceOptions inference, int windowBatch, Device device)
    {
        this.model = model;
        this.inference = inference;
        var windows = InferenceWindows.Segmenter(inference.Protocol, segmenter.WindowLength, segmenter.Stride);
        (windowLength, stride) = (windows.WindowLength, windows.Stride);
        average = inference.Protocol == InferenceProtocol.OverlapAverage;
        modeFilter = new StreamingModeFilter(inference.ExpressionModeFilter);
        this.windowBatch = windowBatch;
        this.device = device;
        featureDim = model.InputDim;
    }

    /// <summary>Frames added but not yet returned: at most about w + s·windowBatch + ⌊k/2⌋, whatever the stream's length.</summary>
    public int Held => received - first + filtering.Count;

    /// <summary>Adds the next frame (its features, or null when it has no face) and returns the frames that became final.</summary>
    public IReadOnlyList<FrameOutputs> Add(float[]? features)
    {
        if (features is not null && features.Length != featureDim)
            throw new ArgumentException($"Frame {received} has {features.Length} features; the temporal model reads {featureDim}.", nameof(features));
        rows.Add(features);
        sums.Add(new Accumulator());
        received++;
        while ((long)nextWindow * stride + windowLength <= received)
            pending.Add(nextWindow++);                                             // window complete
        return pending.Count >= windowBatch ? Filter(RunPending(final: false), final: false) : [];
    }

    /// <summary>Runs the windows that reach past the last frame and returns every frame not yet returned.</summary>
    public IReadOnlyList<FrameOutputs> Complete()
    {
        while ((long)nextWindow * stride < received)
            pending.Add(nextWindow++);                                             // partial windows (padding at the end)
        return Filter(RunPending(final: true), final: true);
    }

    private List<FrameOutputs> RunPending(bool final)
    {
        var done = new List<FrameOutputs>();
        while (pending.Count >= windowBatch || (final && pending.Count > 0))
        {
            var group = pending.Take(windowBatch).ToList();
            pending.RemoveRange(0, group.Count);
            Run(group);
            int settled = final && pending.Count == 0 ? received : (group[^1] + 1) * stride;   // no later window starts before this
            int count = Math.Min(settled, received) - first;
            for (int i = 0; i < count; i++) done.Add(sums[i].Outputs(first + i, inference.ClipValenceArousal));
            rows.RemoveRange(0, count);
            sums.RemoveRange(0, count);
            first += count;
        }
        return done;
    }

    // The expression mode filter: a frame leaves once the filter has seen ⌊k/2⌋ frames after it (or the stream ended).
    private List<FrameOutputs> Filter(List<FrameOutputs> settled, bool final)
    {
        var done = new List<FrameOutputs>();
        foreach (var frame in settled)
        {
            filtering.Enqueue(frame);
            int? label = frame.ExpressionLogits is { } logits ? VideoPredictions.ArgMax(logits) : null;
            foreach (int? filtered in modeFilter.Add(label))
                done.Add(filtering.Dequeue() with { Expression = filtered });
        }
        if (final)
        {
            foreach (int? filtered in modeFilter.Complete())
                done.Add(filtering.Dequeue() with { Expression = filtered });
        }
        return done;
    }

    private void Run(List<int> windows)
    {
        var runnable = windows.Where(k => Frames(k).Any(f => rows[f - first] is not null)).ToList();
        if (runnable.Count == 0) return;
        float[]? va, expr, au;
        using (CollectionPause.Begin())
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            // Rows go straight into native memory: a managed [8, 300, 768] array a call (7.4 MB, and TorchSharp's copy
            // of it) would pile up on the large-object heap until a full collection, ~300 MB on a long video.
            var x = zeros(runnable.Count, windowLength, featureDim);                // padding positions stay zero
            var values = x.data<float>();
            var valid = new bool[runnable.Count * windowLength];
            for (int b = 0; b < runnable.Count; b++)
            {
                foreach (int frame in Frames(runnable[b]))
                {
                    if (rows[frame - first] is not { } row) continue;
                    int position = b * windowLength + frame - runnable[b] * stride;
                    values.CopyFrom(row, 0, (long)position * featureDim);
                    valid[position] = true;
                }
            }
            var input = x.to(device);
            var mask = tensor(valid, [runnable.Count, windowLength]).to(device);
            using var predictions = model.call(input, mask);
            (va, expr, au) = (Values(predictions.ValenceArousal), Values(predictions.Expression), Values(predictions.ActionUnits));
        }
        for (int b = 0; b < runnable.Count; b++)
        {
            foreach (int frame in Frames(runnable[b]))
            {
                if (rows[frame - first] is null) continue;                           // padding: no outputs, no vote in the mode filter
                int position = b * windowLength + frame - runnable[b] * stride;
                sums[frame - first].Add(va, expr, au, position, replace: !average);
            }
        }
    }

    private IEnumerable<int> Frames(int window)
    {
        int start = window * stride;
        return Enumerable.Range(start, Math.Min(windowLength, received - start));
    }

    private static float[]? Values(Tensor? output)
    {
        if (output is null) return null;
        using var cpu = output.to(float32).cpu();
        return cpu.data<float>().ToArray();
    }

    // A frame's outputs over the windows that cover it: their sum (double, as WindowStitcher sums) or the last one's.
    private sealed class Accumulator
    {
        private double[]? va, expr, au;
        private int count;

        public void Add(float[]? vaAll, float[]? exprAll, float[]? auAll, int position, bool replace)
        {
            if (replace) (va, expr, au, count) = (null, null, null, 0);                // the later window wins
            Add(ref va, vaAll, position, AffectLabels.ValenceArousalCount);
            Add(ref expr, exprAll, position, AffectLabels.ExpressionClassCount);
            Add(ref au, auAll, position, AffectLabels.ActionUnitCount);
            count++;
        }

        public FrameOutputs Outputs(int index, bool clipValenceArousal)
        {
            var valenceArousal = Mean(va);
            if (valenceArousal is not null && clipValenceArousal)
                for (int i = 0; i < valenceArousal.Length; i++) valenceArousal[i] = Math.Clamp(valenceArousal[i], -1f, 1f);
            return new(index, valenceArousal, Mean(expr), null, Mean(au));
        }

        // The mean of one value is the value itself: (float)(double)x == x.
        private float[]? Mean(double[]? sum) => sum is null || count == 0 ? null : [.. sum.Select(v => (float)(v / count))];

        private static void Add(ref double[]? sum, float[]? all, int position, int width)
        {
            if (all is null) return;
            sum ??= new double[width];
            for (int i = 0; i < width; i++) sum[i] += all[position * width + i];
        }
    }
}
