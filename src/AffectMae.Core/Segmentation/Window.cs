namespace AffectMae.Core.Segmentation;

/// <summary>
/// One window of a video cut by <see cref="VideoSegmenter"/>: positions 0 … <see cref="Length"/>−1 of the window hold
/// frames <see cref="Start"/> … <see cref="Start"/>+<see cref="Length"/>−1, of which the first
/// <see cref="ValidLength"/> exist and the rest are padding.
/// </summary>
/// <param name="Index">0-based window number i; the window starts at frame i·stride.</param>
/// <param name="Start">0-based index of the video frame at window position 0.</param>
/// <param name="Length">Window length w, the same for every window of a segmentation.</param>
/// <param name="ValidLength">How many positions hold real frames (0 … w); the rest are padding.</param>
public readonly record struct Window(int Index, int Start, int Length, int ValidLength)
{
    /// <summary>Whether the window lies wholly past the last frame (it happens when the frame count is a multiple of the stride).</summary>
    public bool IsEmpty => ValidLength == 0;

    /// <summary>Number of padding positions at the end of the window.</summary>
    public int PaddingLength => Length - ValidLength;

    /// <summary>0-based index of the last real frame, or −1 for an empty window.</summary>
    public int End => Start + ValidLength - 1;

    /// <summary>
    /// The key padding mask of the window: one entry a position, <c>true</c> where the position is padding
    /// (the convention of PyTorch's <c>src_key_padding_mask</c>).
    /// </summary>
    public bool[] PaddingMask()
    {
        var mask = new bool[Length];
        Array.Fill(mask, true, ValidLength, PaddingLength);
        return mask;
    }
}
