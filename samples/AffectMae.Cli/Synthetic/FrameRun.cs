// A run of consecutive frames of one video, used for the unlabelled stretches and the frames without an image.
namespace AffectMae.Cli.Synthetic;

/// <summary>Consecutive frames <c>Start … Start + Length − 1</c> (0-based indices; frame number = index + 1).</summary>
/// <param name="Start">0-based index of the first frame.</param>
/// <param name="Length">Number of frames.</param>
internal readonly record struct FrameRun(int Start, int Length)
{
    /// <summary>0-based index one past the last frame.</summary>
    public int End => Start + Length;

    /// <summary>Whether the 0-based <paramref name="index"/> lies in the run.</summary>
    /// <param name="index">A 0-based frame index.</param>
    /// <returns><see langword="true"/> when Start ≤ index &lt; End.</returns>
    public bool Contains(int index) => index >= Start && index < End;
}
