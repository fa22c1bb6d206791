using AffectMae.Core.Options;
using System.ComponentModel.DataAnnotations;

namespace AffectMae.Models.Temporal;

/// <summary>
/// Sizes of the <see cref="ProjectedSegmentTransformer"/>. Cross-field rules (heads divide the width) are checked by
/// <see cref="ProjectedSegmentTransformerOptionsValidator"/>.
/// </summary>
public sealed class ProjectedSegmentTransformerOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "ProjectedSegmentTransformer";

    /// <summary>Width of the frames entering the 1×1 projection (the TCN's output width).</summary>
    /// <value>The default value is 128 (the authors').</value>
    [Range(1, int.MaxValue, ErrorMessage = "ProjectedSegmentTransformerOptions.InputDim must be at least 1: set it to the TCN's last channel count (128 in the authors' model).")]
    public int InputDim { get; set; } = 128;

    /// <summary>Model width D after the projection; a multiple of <see cref="NumHeads"/>.</summary>
    /// <value>The default value is 512 (the authors').</value>
    [Range(1, int.MaxValue, ErrorMessage = "ProjectedSegmentTransformerOptions.DModel must be at least 1; the authors use 512.")]
    public int DModel { get; set; } = 512;

    /// <summary>Number of attention heads; must divide <see cref="DModel"/>.</summary>
    /// <value>The default value is 4 (the authors').</value>
    [Range(1, int.MaxValue, ErrorMessage = "ProjectedSegmentTransformerOptions.NumHeads must be at least 1; use a divisor of DModel such as 4.")]
    public int NumHeads { get; set; } = 4;

    /// <summary>Number of post-norm encoder layers.</summary>
    /// <value>The default value is 8 (the authors').</value>
    [Range(1, int.MaxValue, ErrorMessage = "ProjectedSegmentTransformerOptions.NumLayers must be at least 1; the authors use 8.")]
    public int NumLayers { get; set; } = 8;

    /// <summary>Hidden size of each layer's feed-forward network.</summary>
    /// <value>The default value is 512 (the authors set it to DModel).</value>
    [Range(1, int.MaxValue, ErrorMessage = "ProjectedSegmentTransformerOptions.FeedForwardDim must be at least 1; the authors use DModel (512).")]
    public int FeedForwardDim { get; set; } = 512;

    /// <summary>Dropout probability inside every layer.</summary>
    /// <value>The default value is 0 (the authors' released configurations; their paper says 0.3).</value>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "ProjectedSegmentTransformerOptions.Dropout must lie in [0, 1); use 0 to switch dropout off.")]
    public double Dropout { get; set; }


    /// <summary>The authors' released encoder: 128 → 512 projection, 8 layers of 4 heads, feed-forward 512, dropout 0.</summary>
    public static ProjectedSegmentTransformerOptions Released128D512 => new() { InputDim = 128, DModel = 512, NumHeads = 4, NumLayers = 8, FeedForwardDim = 512, Dropout = 0 };

    /// <summary>The tiny configuration of the parity fixtures: 16 → 32, 2 layers of 4 heads, feed-forward 32.</summary>
    public static ProjectedSegmentTransformerOptions Tiny16D32 => new() { InputDim = 16, DModel = 32, NumHeads = 4, NumLayers = 2, FeedForwardDim = 32, Dropout = 0 };
}
