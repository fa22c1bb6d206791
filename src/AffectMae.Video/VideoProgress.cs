namespace AffectMae.Video;

/// <summary>How far a run over a video has got, reported after each frame: frames done and the throughput so far.</summary>
/// <param name="Frames">Frames done (rows written or handed out).</param>
/// <param name="FramesWithoutFace">Of those, frames in which the subject's face was not found.</param>
/// <param name="ExpectedFrames">The frame count the source announced (<see cref="Decoding.FrameSourceInfo.HeaderFrameCount"/>), or <see langword="null"/>; the real count may differ.</param>
/// <param name="Elapsed">Wall time since the run started.</param>
public sealed record VideoProgress(int Frames, int FramesWithoutFace, int? ExpectedFrames, TimeSpan Elapsed)
{
    /// <summary>Frames per second so far, every stage included.</summary>
    public double FramesPerSecond => Rate(Frames, Elapsed);

    /// <summary>Frames per second, finite even for a run that took no measurable time.</summary>
    internal static double Rate(int frames, TimeSpan elapsed) => frames / Math.Max(elapsed.TotalSeconds, 1e-9);
}
