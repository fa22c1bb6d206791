namespace AffectMae.Video.Decoding;

/// <summary>What decoding a source found, next to what its header announced.</summary>
/// <param name="DecodedFrames">Frames really decoded and handed out: the row count of any per-frame output.</param>
/// <param name="HeaderFrameCount">The count the header announced, or <see langword="null"/> when it announced none.</param>
/// <param name="FirstTimestamp">Timestamp of the first frame, <see langword="null"/> without timestamps.</param>
/// <param name="LastTimestamp">Timestamp of the last frame, <see langword="null"/> without timestamps.</param>
/// <param name="MinFrameInterval">Shortest gap between consecutive timestamps, <see langword="null"/> with fewer than two.</param>
/// <param name="MaxFrameInterval">Longest gap between consecutive timestamps, <see langword="null"/> with fewer than two.</param>
/// <param name="VariableFrameRate">Whether gaps between frames differ by more than 10 % of the nominal interval.</param>
/// <param name="Notes">One plain sentence for each thing a user should know (count mismatch, variable rate, rotation, missing frame numbers).</param>
public sealed record DecodeSummary(
    int DecodedFrames,
    int? HeaderFrameCount,
    TimeSpan? FirstTimestamp,
    TimeSpan? LastTimestamp,
    TimeSpan? MinFrameInterval,
    TimeSpan? MaxFrameInterval,
    bool VariableFrameRate,
    IReadOnlyList<string> Notes)
{
    /// <summary>Whether the decoded count equals the header's count (true when the header gave none).</summary>
    public bool CountMatchesHeader => HeaderFrameCount is null || HeaderFrameCount == DecodedFrames;
}
