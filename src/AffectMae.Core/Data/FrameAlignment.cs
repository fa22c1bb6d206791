// How the annotation lines of one video line up with its images in cropped_aligned/<video>/. Nothing is renumbered:
// line k stays frame k whether or not {k:D5}.jpg exists; the gaps are only reported.
namespace AffectMae.Core.Data;

/// <summary>Annotated frames without an image and images without an annotation line, for one video.</summary>
/// <param name="Video">The video name.</param>
/// <param name="AnnotatedFrameCount">Number of data lines in the annotation file (frames 1 … n).</param>
/// <param name="ImageCount">Number of frame images found (<c>{k:D5}.jpg</c> files).</param>
/// <param name="MissingImages">1-based numbers of annotated frames whose image is absent, ascending.</param>
/// <param name="UnannotatedImages">1-based numbers of frame images past the last annotation line (or numbered 0), ascending.</param>
public sealed record FrameAlignment(
    string Video,
    int AnnotatedFrameCount,
    int ImageCount,
    IReadOnlyList<int> MissingImages,
    IReadOnlyList<int> UnannotatedImages)
{
    /// <summary>Whether every annotated frame has its image and every image its annotation line.</summary>
    public bool IsComplete => MissingImages.Count == 0 && UnannotatedImages.Count == 0;
}
