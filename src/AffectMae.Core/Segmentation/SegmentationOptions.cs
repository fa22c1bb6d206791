using System.ComponentModel.DataAnnotations;

namespace AffectMae.Core.Segmentation;

/// <summary>
/// How a video is cut into overlapping windows for the temporal model (paper §3.3: w = 300, s = 200, so consecutive
/// windows share w − s frames). Cross-field rules are checked by <see cref="SegmentationOptionsValidator"/>.
/// </summary>
public sealed class SegmentationOptions
{
    /// <summary>The configuration section of these options within the recipe (<c>AffectMae:Recipe:Segmentation</c>).</summary>
    public const string SectionName = "Segmentation";

    /// <summary>Window length w in frames.</summary>
    /// <value>The default value is 300 (the paper's).</value>
    [Range(1, 1_000_000, ErrorMessage = "SegmentationOptions.WindowLength must be at least 1 frame; the paper uses 300.")]
    public int WindowLength { get; set; } = 300;

    /// <summary>Stride s in frames between the starts of consecutive windows; at most <see cref="WindowLength"/>.</summary>
    /// <value>The default value is 200 (the paper's).</value>
    [Range(1, 1_000_000, ErrorMessage = "SegmentationOptions.Stride must be at least 1 frame; the paper uses 200.")]
    public int Stride { get; set; } = 200;

    /// <summary>Whether the last windows are padded to cover every frame, or dropped when they would run past the end.</summary>
    /// <value>The default value is <see cref="WindowTail.Pad"/> (the authors' training windows use <see cref="WindowTail.Drop"/>).</value>
    public WindowTail Tail { get; set; } = WindowTail.Pad;
}
