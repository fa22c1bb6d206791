// Paper §3.3 at inference: a video's frames go through the temporal model window by window (w frames, stride s) and
// each frame's outputs are averaged over the windows that cover it — as WindowStitcher does for a whole video, but
// fed frame by frame, so that memory holds a few windows whatever the video's length.
using AffectMae.Core.Segmentation;
using AffectMae.Metrics;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Pipeline;

/// <summary>One frame's temporal-model outputs, averaged over the windows that cover it; null arrays when no window gave any (no face in reach, or a task the model lacks).</summary>
/// <param name="Index">0-based position of the frame in the stream.</param>
/// <param name="ValenceArousal">Mean (valence, arousal), or null.</param>
/// <param name="ExpressionLogits">Mean expression logits (8), or null.</param>
/// <param name="ActionUnitLogits">Mean action-unit logits (12), or null.</param>
internal sealed record FrameOutputs(int Index, float[]? ValenceArousal, float[]? ExpressionLogits, float[]? ActionUnitLogits);

/// <summary>
/// Feeds frame features into a temporal model window by window and hands back each frame's outputs once no later
/// window can cover it. Window k covers frames k·s … k·s + w − 1; windows run in groups of <c>windowBatch</c>, so the
/// outputs do not depend on how the frames arrive. Frames marked invalid (no face) are padding to the model; a window
/// with no valid frame is not run.
/// </summary>
internal sealed class WindowedInference
{
    private readonly AffectSequenceModel model;
    private readonly int windowLength, stride, windowBatch, featureDim;
    private readonly Device device;
    private readonly List<float[]?> rows = [];            // features of frames first … received − 1 (null: invalid)
    private readonly List<Accumulator> sums = [];           // their running sums over windows
    private readonly List<int> pending = [];               // windows ready to run, in order
    private int first;                                     // index of rows[0]
    private int received;                                  // frames added
    private int nextWindow;                                // first window not yet queued

    public WindowedInference(AffectSequenceModel model, VideoSegmenter segmenter, int windowBatch, Device device)
    {
        this.model = model;
        (windowLength, stride) = (segmenter.WindowLength, segmenter.Stride);
        this.windowBatch = windowBatch;
        this.device = device;
        featureDim = model.InputDim;
    }

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
        return pending.Count >= windowBatch ? RunPending(final: false) : [];
    }

    /// <summary>Runs the windows that reach past the last frame and returns every frame not yet returned.</summary>
    public IReadOnlyList<FrameOutputs> Complete()
    {
        while ((long)nextWindow * stride < received)
            pending.Add(nextWindow++);                                             // partial windows (padding at the end)
        return RunPending(final: true);
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
            for (int i = 0; i < count; i++) done.Add(sums[i].Mean(first + i));
            rows.RemoveRange(0, count);
            sums.RemoveRange(0, count);
            first += count;
        }
        return done;
    }

    private void Run(List<int> windows)
    {
        var runnable = windows.Where(k => Frames(k).Any(f => rows[f - first] is not null)).ToList();
        if (runnable.Count == 0) return;
        var x = new float[(long)runnable.Count * windowLength * featureDim];
        var valid = new bool[runnable.Count * windowLength];
        for (int b = 0; b < runnable.Count; b++)
        {
            foreach (int frame in Frames(runnable[b]))
            {
                if (rows[frame - first] is not { } row) continue;
                int position = b * windowLength + frame - runnable[b] * stride;
                row.CopyTo(x, (long)position * featureDim);
                valid[position] = true;
            }
        }

        using var pause = CollectionPause.Begin();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = tensor(x, [runnable.Count, windowLength, featureDim]).to(device);
        var mask = tensor(valid, [runnable.Count, windowLength]).to(device);
        using var predictions = model.call(input, mask);
        var va = Values(predictions.ValenceArousal);
        var expr = Values(predictions.Expression);
        var au = Values(predictions.ActionUnits);
        for (int b = 0; b < runnable.Count; b++)
        {
            foreach (int frame in Frames(runnable[b]))
            {
                int position = b * windowLength + frame - runnable[b] * stride;
                sums[frame - first].Add(va, expr, au, position);
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

    // Sums a frame's outputs over the windows that cover it (double, as WindowStitcher does).
    private sealed class Accumulator
    {
        private double[]? va, expr, au;
        private int count;

        public void Add(float[]? vaAll, float[]? exprAll, float[]? auAll, int position)
        {
            Add(ref va, vaAll, position, AffectLabels.ValenceArousalCount);
            Add(ref expr, exprAll, position, AffectLabels.ExpressionClassCount);
            Add(ref au, auAll, position, AffectLabels.ActionUnitCount);
            count++;
        }

        public FrameOutputs Mean(int index) => new(index, Mean(va), Mean(expr), Mean(au));

        private float[]? Mean(double[]? sum) => sum is null || count == 0 ? null : [.. sum.Select(v => (float)(v / count))];

        private static void Add(ref double[]? sum, float[]? all, int position, int width)
        {
            if (all is null) return;
            sum ??= new double[width];
            for (int i = 0; i < width; i++) sum[i] += all[position * width + i];
        }
    }
}
