using System.ComponentModel.DataAnnotations;

namespace AffectMae.Models.Temporal;

/// <summary>
/// Sizes of the <see cref="TemporalConvNet"/> (paper §3.4): one temporal block per entry of <see cref="Channels"/>.
/// Cross-field rules (odd kernel, one dilation per block) are checked by <see cref="TemporalConvNetOptionsValidator"/>.
/// </summary>
public sealed class TemporalConvNetOptions
{
    /// <summary>The configuration section of these options within their parent (<c>AffectMae:Recipe:SequenceModel:Tcn</c>).</summary>
    public const string SectionName = "Tcn";

    /// <summary>Feature size D of one input frame.</summary>
    /// <value>The default value is 768 (the MAE ViT-B feature size).</value>
    [Range(1, int.MaxValue, ErrorMessage = "TemporalConvNetOptions.InputDim must be at least 1: set it to the feature size of one frame (768 for MAE ViT-B features).")]
    public int InputDim { get; set; } = 768;

    /// <summary>Output channel count of each temporal block, in order; the last one is the TCN's output width.</summary>
    /// <value>The default value is [512, 512].</value>
    public IReadOnlyList<int> Channels { get; set; } = [512, 512];

    /// <summary>Kernel size k of every dilated convolution; odd, so that padding d·(k − 1)/2 keeps the length.</summary>
    /// <value>The default value is 3.</value>
    [Range(1, int.MaxValue, ErrorMessage = "TemporalConvNetOptions.KernelSize must be at least 1 (and odd); use 3.")]
    public int KernelSize { get; set; } = 3;

    /// <summary>Dilation of each block, one per entry of <see cref="Channels"/>; <see langword="null"/> means 1, 2, 4, … (2^i for block i).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IReadOnlyList<int>? Dilations { get; set; }

    /// <summary>Dropout probability after each convolution's ReLU.</summary>
    /// <value>The default value is 0.3.</value>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "TemporalConvNetOptions.Dropout must lie in [0, 1); use 0 to switch dropout off.")]
    public double Dropout { get; set; } = 0.3;

    /// <summary>The dilation of block <paramref name="block"/>: <see cref="Dilations"/>[block], or 2^block when no list is given.</summary>
    /// <param name="block">Zero-based block index.</param>
    /// <returns>The dilation d of that block.</returns>
    public int DilationOf(int block) => Dilations is null ? 1 << block : Dilations[block];

    /// <summary>768-d MAE features → two blocks of 512 channels, kernel 3, dilations 1 and 2 (a chosen default; the paper gives no sizes).</summary>
    public static TemporalConvNetOptions Base768C512 => new() { InputDim = 768, Channels = [512, 512], KernelSize = 3, Dilations = [1, 2] };

    /// <summary>The tiny configuration of the parity fixtures: 16 → [24, 24], kernel 3, dilations 1 and 2.</summary>
    public static TemporalConvNetOptions Tiny16C24 => new() { InputDim = 16, Channels = [24, 24], KernelSize = 3, Dilations = [1, 2] };
}
