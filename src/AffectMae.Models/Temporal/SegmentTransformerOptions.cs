using System.ComponentModel.DataAnnotations;

namespace AffectMae.Models.Temporal;

/// <summary>
/// Sizes of the <see cref="SegmentTransformer"/> (paper §3.4). Cross-field rules (heads divide the width, even width)
/// are checked by <see cref="SegmentTransformerOptionsValidator"/>.
/// </summary>
public sealed class SegmentTransformerOptions
{
    /// <summary>The configuration section of these options within their parent (<c>AffectMae:Recipe:SequenceModel:Transformer</c>).</summary>
    public const string SectionName = "Transformer";

    /// <summary>Model width D of every frame token; even, and a multiple of <see cref="NumHeads"/>.</summary>
    /// <value>The default value is 512.</value>
    [Range(1, int.MaxValue, ErrorMessage = "SegmentTransformerOptions.DModel must be at least 1: set it to the width of the frames entering the transformer (the TCN's last channel count).")]
    public int DModel { get; set; } = 512;

    /// <summary>Number of attention heads; must divide <see cref="DModel"/>.</summary>
    /// <value>The default value is 8.</value>
    [Range(1, int.MaxValue, ErrorMessage = "SegmentTransformerOptions.NumHeads must be at least 1; use a divisor of DModel such as 8.")]
    public int NumHeads { get; set; } = 8;

    /// <summary>Number of post-norm encoder layers.</summary>
    /// <value>The default value is 4.</value>
    [Range(1, int.MaxValue, ErrorMessage = "SegmentTransformerOptions.NumLayers must be at least 1; to drop the transformer set AffectSequenceModelOptions.UseTransformer to false.")]
    public int NumLayers { get; set; } = 4;

    /// <summary>Hidden size of each layer's feed-forward network.</summary>
    /// <value>The default value is 1024.</value>
    [Range(1, int.MaxValue, ErrorMessage = "SegmentTransformerOptions.FeedForwardDim must be at least 1; 2·DModel is a common choice.")]
    public int FeedForwardDim { get; set; } = 1024;

    /// <summary>Dropout probability after the positional encoding and inside every layer.</summary>
    /// <value>The default value is 0.1.</value>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "SegmentTransformerOptions.Dropout must lie in [0, 1); use 0 to switch dropout off.")]
    public double Dropout { get; set; } = 0.1;

    /// <summary>Longest window in frames; rows of the positional table. At least the segmentation's window length.</summary>
    /// <value>The default value is 300 (the paper's window length w).</value>
    [Range(1, int.MaxValue, ErrorMessage = "SegmentTransformerOptions.MaxLength must be at least 1: set it to the window length in frames (300 in the paper).")]
    public int MaxLength { get; set; } = 300;

    /// <summary>Width 512, 8 heads, 4 layers, feed-forward 1024, windows up to 300 frames (a chosen default; the paper gives no sizes).</summary>
    public static SegmentTransformerOptions Base512H8L4 => new() { DModel = 512, NumHeads = 8, NumLayers = 4, FeedForwardDim = 1024, Dropout = 0.1, MaxLength = 300 };

    /// <summary>The tiny configuration of the parity fixtures: width 24, 4 heads, 2 layers, feed-forward 48, windows up to 32 frames.</summary>
    public static SegmentTransformerOptions Tiny24H4L2 => new() { DModel = 24, NumHeads = 4, NumLayers = 2, FeedForwardDim = 48, Dropout = 0.1, MaxLength = 32 };
}
