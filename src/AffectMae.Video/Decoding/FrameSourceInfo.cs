namespace AffectMae.Video.Decoding;

/// <summary>What a frame source announces before decoding.</summary>
/// <param name="Kind">Video file, image folder or single photo.</param>
/// <param name="Width">Frame width in pixels after rotation; 0 when frames may differ in size (image folders).</param>
/// <param name="Height">Frame height in pixels after rotation; 0 when frames may differ in size (image folders).</param>
/// <param name="FramesPerSecond">The nominal frame rate from the header (or given for an image folder); <see langword="null"/> when unknown.</param>
/// <param name="HeaderFrameCount">
/// The frame count the container announces, <see langword="null"/> when it announces none. It may be an estimate
/// (FFmpeg derives it from duration × rate when the stream has no count); the frames really decoded are in
/// <see cref="DecodeSummary.DecodedFrames"/>.
/// </param>
/// <param name="RotationDegrees">Clockwise rotation the file's metadata asks for (0, 90, 180 or 270).</param>
/// <param name="RotationApplied">Whether frames come out already turned by <paramref name="RotationDegrees"/>.</param>
public sealed record FrameSourceInfo(
    FrameSourceKind Kind,
    int Width,
    int Height,
    double? FramesPerSecond,
    int? HeaderFrameCount,
    int RotationDegrees,
    bool RotationApplied);

/// <summary>The kind of input a frame source reads.</summary>
public enum FrameSourceKind
{
    /// <summary>A video file decoded by FFmpeg through OpenCV.</summary>
    VideoFile,

    /// <summary>A folder of numbered images, one a frame.</summary>
    ImageFolder,

    /// <summary>A single photo: one frame.</summary>
    Photo,
}
