namespace AffectMae.Core.Segmentation;

/// <summary>
/// Cuts a video of n frames into ⌊n/s⌋+1 windows of w frames with stride s (paper §3.3). Window i (0-based) covers
/// frames i·s … i·s+w−1; positions past the last frame are padding, and a window wholly past the end (n a multiple
/// of s) is kept and reported as empty so that window indices always follow the formula.
/// </summary>
public sealed class VideoSegmenter
{
    /// <summary>Creates a segmenter with window length w and stride s.</summary>
    /// <param name="windowLength">Window length w (paper: 300).</param>
    /// <param name="stride">Stride s (paper: 200); 1 ≤ s ≤ w so that every frame is covered.</param>
    /// <exception cref="ArgumentException">w ≤ 0, s ≤ 0, or s &gt; w.</exception>
    public VideoSegmenter(int windowLength = 300, int stride = 200)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        if (stride > windowLength)
            throw new ArgumentException(
                $"Stride ({stride}) must not exceed the window length ({windowLength}): the frames between windows "
                + "would get no prediction. Lower the stride or raise the window length.", nameof(stride));
        WindowLength = windowLength;
        Stride = stride;
    }

    /// <summary>Creates a segmenter from validated options.</summary>
    public VideoSegmenter(SegmentationOptions options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).WindowLength, options.Stride)
    {
    }

    /// <summary>Window length w.</summary>
    public int WindowLength { get; }

    /// <summary>Stride s.</summary>
    public int Stride { get; }

    /// <summary>Number of windows for a video of <paramref name="frameCount"/> frames: ⌊n/s⌋+1.</summary>
    public int WindowCount(int frameCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCount);
        return frameCount / Stride + 1;
    }

    /// <summary>The windows of a video of <paramref name="frameCount"/> frames, in order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frameCount"/> ≤ 0.</exception>
    public IReadOnlyList<Window> Segment(int frameCount)
    {
        var windows = new Window[WindowCount(frameCount)];
        for (int i = 0; i < windows.Length; i++)
        {
            int start = i * Stride;
            int valid = Math.Clamp(frameCount - start, 0, WindowLength);
            windows[i] = new Window(i, start, WindowLength, valid);
        }
        return windows;
    }
}
