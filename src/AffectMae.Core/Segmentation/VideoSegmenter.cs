namespace AffectMae.Core.Segmentation;

/// <summary>
/// Cuts a video of n frames into ⌊n/s⌋+1 windows of w frames with stride s (paper §3.3). Window i (0-based) covers
/// frames i·s … i·s+w−1; positions past the last frame are padding, and a window wholly past the end (n a multiple
/// of s) is kept and reported as empty so that window indices always follow the formula. With
/// <see cref="WindowTail.Drop"/> only the ⌊(n − w)/s⌋+1 windows that fit wholly are made (the authors' training windows).
/// </summary>
public sealed class VideoSegmenter
{
    /// <summary>Creates a segmenter with window length w and stride s.</summary>
    /// <param name="windowLength">Window length w (paper: 300).</param>
    /// <param name="stride">Stride s (paper: 200); 1 ≤ s ≤ w so that every frame is covered.</param>
    /// <param name="tail">Pad the last windows (default) or drop the windows that would run past the end.</param>
    /// <exception cref="ArgumentException">w ≤ 0, s ≤ 0, s &gt; w, or an unknown tail rule.</exception>
    public VideoSegmenter(int windowLength = 300, int stride = 200, WindowTail tail = WindowTail.Pad)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        if (stride > windowLength)
            throw new ArgumentException(
                $"Stride ({stride}) must not exceed the window length ({windowLength}): the frames between windows "
                + "would get no prediction. Lower the stride or raise the window length.", nameof(stride));
        if (!Enum.IsDefined(tail))
            throw new ArgumentOutOfRangeException(nameof(tail), tail, "Use WindowTail.Pad or WindowTail.Drop.");
        WindowLength = windowLength;
        Stride = stride;
        Tail = tail;
    }

    /// <summary>Creates a segmenter from validated options.</summary>
    public VideoSegmenter(SegmentationOptions options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).WindowLength, options.Stride, options.Tail)
    {
    }

    /// <summary>Window length w.</summary>
    public int WindowLength { get; }

    /// <summary>Stride s.</summary>
    public int Stride { get; }

    /// <summary>What happens at the end of a video.</summary>
    public WindowTail Tail { get; }

    /// <summary>Number of windows for a video of <paramref name="frameCount"/> frames: ⌊n/s⌋+1, or with <see cref="WindowTail.Drop"/> ⌊(n − w)/s⌋+1 (0 when n &lt; w).</summary>
    public int WindowCount(int frameCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCount);
        if (Tail == WindowTail.Drop)
            return frameCount < WindowLength ? 0 : (frameCount - WindowLength) / Stride + 1;
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
