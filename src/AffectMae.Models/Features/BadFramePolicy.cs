namespace AffectMae.Models.Features;

/// <summary>
/// What to do with a frame whose file cannot be decoded: zero bytes, truncated, not an image, or more pixels than
/// the transform's cap (<see cref="Data.ImageDecoder"/> refuses each with an <see cref="InvalidDataException"/>).
/// </summary>
public enum BadFramePolicy
{
    /// <summary>Stop with an <see cref="InvalidDataException"/> naming the file.</summary>
    Fail,

    /// <summary>
    /// Treat the frame as one without an image and go on, reporting it (<see cref="BadFrame"/>): feature extraction fills
    /// it from the nearest frame as it fills frames without an image; prediction gives it a row without a face.
    /// </summary>
    Skip,
}

/// <summary>A frame whose file could not be decoded, passed over under <see cref="BadFramePolicy.Skip"/>.</summary>
/// <param name="Index">
/// Where the frame is: its position in the list of files given to <see cref="FrameEncoder"/>; the 0-based annotated
/// frame in an <see cref="ExtractionSummary"/>; the frame number in a recognizer's result.
/// </param>
/// <param name="Path">The file.</param>
/// <param name="Reason">The decoder's message (control characters escaped).</param>
public sealed record BadFrame(int Index, string Path, string Reason);
