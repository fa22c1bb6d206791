namespace AffectMae.Core.Segmentation;

/// <summary>The windows and the per-frame sources of each <see cref="InferenceProtocol"/>, as plain index arithmetic.</summary>
public static class InferenceWindows
{
    /// <summary>
    /// The segmenter a protocol runs the model with: windows of <paramref name="windowLength"/> frames with stride
    /// <paramref name="stride"/> (<see cref="InferenceProtocol.OverlapAverage"/>, <see cref="InferenceProtocol.LastWindowWins"/>)
    /// or stride <paramref name="windowLength"/> (<see cref="InferenceProtocol.NonOverlapping"/>); the tail is always
    /// padded so that every frame gets a prediction.
    /// </summary>
    /// <param name="protocol">The protocol.</param>
    /// <param name="windowLength">Window length w.</param>
    /// <param name="stride">Stride s (ignored by <see cref="InferenceProtocol.NonOverlapping"/>).</param>
    /// <returns>The segmenter.</returns>
    public static VideoSegmenter Segmenter(InferenceProtocol protocol, int windowLength, int stride) => protocol switch
    {
        InferenceProtocol.OverlapAverage or InferenceProtocol.LastWindowWins => new VideoSegmenter(windowLength, stride),
        InferenceProtocol.NonOverlapping => new VideoSegmenter(windowLength, windowLength),
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Use OverlapAverage, NonOverlapping or LastWindowWins."),
    };

    /// <summary>
    /// For every frame, the window (its position in <paramref name="windows"/>) and the position in that window whose
    /// prediction the frame takes when the last covering window wins.
    /// </summary>
    /// <param name="frameCount">Frames n.</param>
    /// <param name="windows">The windows of the video, in order.</param>
    /// <returns>n (window, position) pairs.</returns>
    /// <exception cref="ArgumentException">A frame is covered by no window, or a window runs past the video.</exception>
    public static (int Window, int Position)[] LastCovering(int frameCount, IReadOnlyList<Window> windows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCount);
        ArgumentNullException.ThrowIfNull(windows);
        var sources = new (int Window, int Position)[frameCount];
        Array.Fill(sources, (-1, -1));
        for (int w = 0; w < windows.Count; w++)
        {
            var window = windows[w];
            if (window.Start + window.ValidLength > frameCount)
                throw new ArgumentException($"Window {w} covers frames up to {window.End}, past the video's {frameCount} frames.", nameof(windows));
            for (int position = 0; position < window.ValidLength; position++)
                sources[window.Start + position] = (w, position);              // later windows overwrite earlier ones
        }
        int uncovered = Array.FindIndex(sources, s => s.Window < 0);
        if (uncovered >= 0)
            throw new ArgumentException($"Frame {uncovered} is covered by no window; segment the video with stride ≤ window length.", nameof(windows));
        return sources;
    }
}
