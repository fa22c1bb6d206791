using AffectMae.Models.Pipeline;
using AffectMae.Video.Decoding;
using AffectMae.Video.Faces;

namespace AffectMae.Video.Recognition;

/// <summary>
/// The affect of one frame of a video, photo or frame folder, with where and when it was seen: one row per frame,
/// with or without a face.
/// </summary>
/// <param name="Affect">The recognizer's result; <see cref="FrameAffect.Frame"/> is the one-based frame number and, without a face, its values are empty.</param>
/// <param name="Timestamp">Presentation time of the frame (see <see cref="VideoFrame.Timestamp"/>), or <see langword="null"/> when the source has none.</param>
/// <param name="Box">The subject's face box in frame pixels (smoothed by the tracker), or <see langword="null"/> without a face.</param>
public sealed record VideoFrameAffect(FrameAffect Affect, TimeSpan? Timestamp, FaceBox? Box)
{
    /// <summary>One-based frame number (Aff-Wild2's: <c>00001.jpg</c> is frame 1).</summary>
    public int Frame => Affect.Frame;

    /// <summary>Whether the subject's face was found and read in this frame.</summary>
    public bool FaceFound => Affect.FaceFound;
}

/// <summary>What a run of <see cref="VideoAffectRecognizer.WriteCsvAsync"/> did.</summary>
/// <param name="Frames">Rows written: every decoded frame, plus the frame numbers an image folder skips.</param>
/// <param name="FramesWithoutFace">Rows without a face (their values are empty).</param>
/// <param name="Elapsed">Wall time from the first frame asked for to the file in place.</param>
/// <param name="Decoding">What decoding found (header count against frames decoded, variable rate, rotation); see <see cref="DecodeSummary.Notes"/>.</param>
public sealed record VideoAffectSummary(int Frames, int FramesWithoutFace, TimeSpan Elapsed, DecodeSummary? Decoding)
{
    /// <summary>Frames per second end to end: decoding, face finding, cropping, encoder and temporal model.</summary>
    public double FramesPerSecond => VideoProgress.Rate(Frames, Elapsed);
}
