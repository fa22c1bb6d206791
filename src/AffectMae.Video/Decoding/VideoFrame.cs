using OpenCvSharp;

namespace AffectMae.Video.Decoding;

/// <summary>One decoded frame: its place in the stream, its time and its pixels (BGR, as OpenCV decodes).</summary>
/// <remarks>The frame owns <see cref="Image"/>; whoever takes the frame from a source disposes it.</remarks>
public sealed class VideoFrame : IDisposable
{
    /// <summary>Creates a frame that takes ownership of <paramref name="image"/>.</summary>
    /// <param name="index">Zero-based position in the stream.</param>
    /// <param name="frameNumber">One-based frame number (see <see cref="FrameNumber"/>).</param>
    /// <param name="timestamp">Presentation time, or <see langword="null"/> when the source has none.</param>
    /// <param name="image">The pixels, 8-bit BGR (<see cref="MatType.CV_8UC3"/>).</param>
    /// <param name="sourceFile">The image file the frame came from, for image folders and photos.</param>
    public VideoFrame(int index, int frameNumber, TimeSpan? timestamp, Mat image, string? sourceFile = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(frameNumber);
        ArgumentNullException.ThrowIfNull(image);
        if (image.Type() != MatType.CV_8UC3)
            throw new ArgumentException($"A frame holds 8-bit BGR pixels (CV_8UC3); this image is {image.Type()}.", nameof(image));
        Index = index;
        FrameNumber = frameNumber;
        Timestamp = timestamp;
        Image = image;
        SourceFile = sourceFile;
    }

    /// <summary>Zero-based position of the frame in the stream: the n-th frame decoded has index n − 1.</summary>
    public int Index { get; }

    /// <summary>
    /// One-based frame number as Aff-Wild2 counts it: frame k is <c>{k:05d}.jpg</c> in <c>cropped_aligned</c> and data
    /// line k of an annotation file. For a video it is <see cref="Index"/> + 1; for an image folder it is the number in
    /// the file name, so gaps in the folder show here.
    /// </summary>
    public int FrameNumber { get; }

    /// <summary>Presentation time from the start of the video (the container's timestamp, so variable frame rates are exact), or <see langword="null"/> when the source has none.</summary>
    public TimeSpan? Timestamp { get; }

    /// <summary>The pixels: 8-bit BGR, upright (rotation metadata already applied).</summary>
    public Mat Image { get; }

    /// <summary>The image file of this frame for image folders and photos; <see langword="null"/> for video files.</summary>
    public string? SourceFile { get; }

    /// <summary>Width of <see cref="Image"/> in pixels.</summary>
    public int Width => Image.Width;

    /// <summary>Height of <see cref="Image"/> in pixels.</summary>
    public int Height => Image.Height;

    /// <inheritdoc />
    public void Dispose() => Image.Dispose();
}
