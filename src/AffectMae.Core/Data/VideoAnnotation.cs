// Per-video label arrays: one record per video, one array element (or row) per frame, never a record per frame.
// Array index i holds frame i+1, i.e. image cropped_aligned/<video>/{i+1:D5}.jpg and line i+2 of the annotation file.
namespace AffectMae.Core.Data;

/// <summary>
/// The labels of one video for one ABAW task. Index <c>i</c> of the label arrays is frame number <c>i+1</c> (image
/// <c>{i+1:D5}.jpg</c>). The same records carry predictions for <see cref="SubmissionWriter"/>.
/// </summary>
/// <remarks>
/// The records are immutable by contract: the arrays are exposed for speed (spans, tensors, metrics) and must not be
/// written to. Equality compares the video name and the array contents.
/// </remarks>
public abstract record VideoAnnotation
{
    /// <summary>Checks and stores the video name.</summary>
    /// <param name="video">The video name, e.g. <c>2-30-640x360</c> or <c>10-60-1280x720_right</c>.</param>
    /// <exception cref="ArgumentException">The name is empty or contains a path separator.</exception>
    private protected VideoAnnotation(string video)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(video);
        if (video.AsSpan().IndexOfAny('/', '\\') >= 0)
            throw new ArgumentException($"Video name '{video}' contains a path separator; expected a bare folder name.", nameof(video));
        Video = video;
    }

    /// <summary>The video name: the annotation file name without <c>.txt</c>, and the frame folder name.</summary>
    public string Video { get; }

    /// <summary>Number of frames, i.e. of data lines in the annotation file.</summary>
    public abstract int FrameCount { get; }

    /// <summary>Number of frames that carry at least one label (not every value is the unlabelled marker).</summary>
    public abstract int LabelledFrameCount { get; }

    /// <summary>The name of the image of frame number <paramref name="frameNumber"/> (1-based): <c>{n:D5}.jpg</c>.</summary>
    /// <param name="frameNumber">1-based frame number, i.e. array index + 1.</param>
    /// <returns>For example <c>00001.jpg</c> for frame 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frameNumber"/> is below 1.</exception>
    public static string FrameFileName(int frameNumber)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameNumber);
        return frameNumber.ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + ".jpg";
    }
}
