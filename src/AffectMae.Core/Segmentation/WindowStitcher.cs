namespace AffectMae.Core.Segmentation;

/// <summary>
/// Maps per-window, per-position predictions back to one prediction a frame: each frame's value is the mean over
/// every window that covers it (overlapping windows share w − s frames). Padding positions are ignored.
/// </summary>
public static class WindowStitcher
{
    /// <summary>
    /// Stitches predictions laid out as [windows, w, values] (row-major, as a model's output tensor flattens) into
    /// [frames, values].
    /// </summary>
    /// <param name="frameCount">Number of frames n of the video.</param>
    /// <param name="windows">The windows of the video, from <see cref="VideoSegmenter.Segment"/>.</param>
    /// <param name="predictions">windows.Count · w · <paramref name="valuesPerFrame"/> values.</param>
    /// <param name="valuesPerFrame">Values a frame: 2 for valence/arousal, 8 for expression logits, 12 for AUs.</param>
    /// <returns>n · <paramref name="valuesPerFrame"/> values, frame-major.</returns>
    /// <exception cref="ArgumentException">Sizes disagree, or a frame is covered by no window.</exception>
    public static float[] Stitch(int frameCount, IReadOnlyList<Window> windows, ReadOnlySpan<float> predictions, int valuesPerFrame)
    {
        int windowLength = CheckLayout(frameCount, windows, predictions, valuesPerFrame);
        var sums = new double[(long)frameCount * valuesPerFrame];
        var counts = new int[frameCount];
        for (int w = 0; w < windows.Count; w++)
        {
            var window = windows[w];
            if (window.Length != windowLength)
                throw new ArgumentException($"Window {w} has length {window.Length}; all windows must have length {windowLength}.", nameof(windows));
            if (window.Start + window.ValidLength > frameCount)
                throw new ArgumentException($"Window {w} covers frames up to {window.End}, past the video's {frameCount} frames.", nameof(windows));
            for (int position = 0; position < window.ValidLength; position++)
            {
                int frame = window.Start + position;
                counts[frame]++;
                var source = predictions.Slice((w * windowLength + position) * valuesPerFrame, valuesPerFrame);
                for (int v = 0; v < valuesPerFrame; v++)
                    sums[(long)frame * valuesPerFrame + v] += source[v];
            }
        }

        var stitched = new float[sums.Length];
        for (int frame = 0; frame < frameCount; frame++)
        {
            if (counts[frame] == 0)
                throw new ArgumentException($"Frame {frame} is covered by no window; segment the video with stride ≤ window length.", nameof(windows));
            for (int v = 0; v < valuesPerFrame; v++)
                stitched[(long)frame * valuesPerFrame + v] = (float)(sums[(long)frame * valuesPerFrame + v] / counts[frame]);
        }
        return stitched;
    }

    /// <summary>
    /// Stitches predictions laid out as [windows, w, values] into [frames, values] by <paramref name="protocol"/>: the
    /// mean over the covering windows (<see cref="InferenceProtocol.OverlapAverage"/>, as the overload without a
    /// protocol), the last covering window (<see cref="InferenceProtocol.LastWindowWins"/>), or the one window that covers
    /// each frame (<see cref="InferenceProtocol.NonOverlapping"/>).
    /// </summary>
    /// <param name="frameCount">Number of frames n of the video.</param>
    /// <param name="windows">The windows of the video, from the protocol's segmenter (<see cref="InferenceWindows.Segmenter"/>).</param>
    /// <param name="predictions">windows.Count · w · <paramref name="valuesPerFrame"/> values.</param>
    /// <param name="valuesPerFrame">Values a frame.</param>
    /// <param name="protocol">How a frame covered by several windows is resolved.</param>
    /// <returns>n · <paramref name="valuesPerFrame"/> values, frame-major.</returns>
    /// <exception cref="ArgumentException">Sizes disagree, a frame is covered by no window, or, for
    /// <see cref="InferenceProtocol.NonOverlapping"/>, by more than one.</exception>
    public static float[] Stitch(int frameCount, IReadOnlyList<Window> windows, ReadOnlySpan<float> predictions, int valuesPerFrame, InferenceProtocol protocol)
    {
        if (protocol == InferenceProtocol.OverlapAverage)
            return Stitch(frameCount, windows, predictions, valuesPerFrame);
        if (protocol is not (InferenceProtocol.LastWindowWins or InferenceProtocol.NonOverlapping))
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Use OverlapAverage, NonOverlapping or LastWindowWins.");
        int windowLength = CheckLayout(frameCount, windows, predictions, valuesPerFrame);
        if (windows.Any(w => w.Length != windowLength))
            throw new ArgumentException($"All windows must have length {windowLength}.", nameof(windows));
        if (protocol == InferenceProtocol.NonOverlapping)
        {
            for (int w = 1; w < windows.Count; w++)
                if (windows[w].Start < windows[w - 1].Start + windows[w - 1].ValidLength)
                    throw new ArgumentException($"Windows {w - 1} and {w} overlap (starts {windows[w - 1].Start} and {windows[w].Start}, length {windowLength}): NonOverlapping needs stride = window length; segment with InferenceWindows.Segmenter(NonOverlapping, …).", nameof(windows));
        }

        var sources = InferenceWindows.LastCovering(frameCount, windows);
        var stitched = new float[(long)frameCount * valuesPerFrame];
        for (int frame = 0; frame < frameCount; frame++)
        {
            var (w, position) = sources[frame];
            predictions.Slice(((w * windowLength) + position) * valuesPerFrame, valuesPerFrame).CopyTo(stitched.AsSpan(frame * valuesPerFrame, valuesPerFrame));
        }
        return stitched;
    }

    // The argument checks both stitchings share; returns the window length w.
    private static int CheckLayout(int frameCount, IReadOnlyList<Window> windows, ReadOnlySpan<float> predictions, int valuesPerFrame)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCount);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(valuesPerFrame);
        if (windows.Count == 0)
            throw new ArgumentException("At least one window is needed.", nameof(windows));
        int windowLength = windows[0].Length;
        long expected = (long)windows.Count * windowLength * valuesPerFrame;
        if (predictions.Length != expected)
            throw new ArgumentException(
                $"Expected {windows.Count} windows × {windowLength} positions × {valuesPerFrame} values = {expected} "
                + $"predictions; got {predictions.Length}.", nameof(predictions));
        return windowLength;
    }
}
