using AffectMae.Video.Cropping;
using AffectMae.Video.Faces;
using SkiaSharp;

namespace AffectMae.Video;

/// <summary>
/// One row of a video's output: every decoded frame gets one, with or without a face. A frame without a face has
/// <see cref="FaceFound"/> false and no box, landmarks or crop, so per-frame outputs stay aligned with the video and
/// the temporal model can mask the frame.
/// </summary>
/// <remarks>The row owns <see cref="Crop"/>; dispose the row (or take the crop and dispose it yourself).</remarks>
public sealed class FaceFrame : IDisposable
{
    internal FaceFrame(int index, int frameNumber, TimeSpan? timestamp, string? sourceFile, int frameWidth, int frameHeight,
        TrackedFace? face, CropSquare? square, SKBitmap? crop)
    {
        Index = index;
        FrameNumber = frameNumber;
        Timestamp = timestamp;
        SourceFile = sourceFile;
        FrameWidth = frameWidth;
        FrameHeight = frameHeight;
        Face = face;
        Square = square;
        Crop = crop;
    }

    /// <summary>Zero-based position in the stream (see <see cref="Decoding.VideoFrame.Index"/>).</summary>
    public int Index { get; }

    /// <summary>One-based Aff-Wild2 frame number (see <see cref="Decoding.VideoFrame.FrameNumber"/>).</summary>
    public int FrameNumber { get; }

    /// <summary>Presentation time, or <see langword="null"/> when the source has none.</summary>
    public TimeSpan? Timestamp { get; }

    /// <summary>The image file of the frame, for folders and photos.</summary>
    public string? SourceFile { get; }

    /// <summary>Width of the decoded frame in pixels.</summary>
    public int FrameWidth { get; }

    /// <summary>Height of the decoded frame in pixels.</summary>
    public int FrameHeight { get; }

    /// <summary>The subject's face in this frame, or <see langword="null"/>.</summary>
    public TrackedFace? Face { get; }

    /// <summary>Whether the subject's face was found in this frame.</summary>
    public bool FaceFound => Face is not null;

    /// <summary>The face box in frame pixels (smoothed), or <see langword="null"/> without a face.</summary>
    public FaceBox? Box => Face?.Detection.Box;

    /// <summary>The five landmarks when the detector gives them, else <see langword="null"/>.</summary>
    public FaceLandmarks? Landmarks => Face?.Detection.Landmarks;

    /// <summary>The square of the frame the crop shows, or <see langword="null"/> without a face.</summary>
    public CropSquare? Square { get; }

    /// <summary>The face crop (<see cref="SKColorType.Rgba8888"/>, <see cref="SKAlphaType.Unpremul"/>, OutputSize²), or <see langword="null"/> without a face.</summary>
    public SKBitmap? Crop { get; private set; }

    /// <summary>Hands the crop over to the caller, who then disposes it; the row keeps no crop.</summary>
    /// <returns>The crop, or <see langword="null"/> without a face.</returns>
    public SKBitmap? TakeCrop()
    {
        var crop = Crop;
        Crop = null;
        return crop;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Crop?.Dispose();
        Crop = null;
    }
}
