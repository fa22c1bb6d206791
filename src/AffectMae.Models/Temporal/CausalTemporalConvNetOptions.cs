using AffectMae.Core.Options;
using System.ComponentModel.DataAnnotations;

namespace AffectMae.Models.Temporal;

/// <summary>
/// Sizes of the <see cref="CausalTemporalConvNet"/>: one <see cref="CausalTemporalBlock"/> per entry of
/// <see cref="Channels"/>. Cross-field rules (one dilation per block) are checked by
/// <see cref="CausalTemporalConvNetOptionsValidator"/>.
/// </summary>
public sealed class CausalTemporalConvNetOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "CausalTemporalConvNet";

    /// <summary>Feature size D of one input frame.</summary>
    /// <value>The default value is 768 (the MAE ViT-B feature size).</value>
    [Range(1, int.MaxValue, ErrorMessage = "CausalTemporalConvNetOptions.InputDim must be at least 1: set it to the feature size of one frame (768 for MAE ViT-B features).")]
    public int InputDim { get; set; } = 768;

    /// <summary>Output channels of each block, in order; the last one is the network's output width.</summary>
    /// <value>The default value is [768, 256, 128] (the authors' released model).</value>
    public IReadOnlyList<int> Channels { get; set; } = [768, 256, 128];

    /// <summary>Kernel size k of every dilated convolution.</summary>
    /// <value>The default value is 5 (the authors').</value>
    [Range(1, int.MaxValue, ErrorMessage = "CausalTemporalConvNetOptions.KernelSize must be at least 1; the authors use 5.")]
    public int KernelSize { get; set; } = 5;

    /// <summary>Dilation of each block, one per entry of <see cref="Channels"/>; <see langword="null"/> means 1, 2, 4, … (2^i for block i).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IReadOnlyList<int>? Dilations { get; set; }

    /// <summary>Dropout probability after each PReLU inside a block.</summary>
    /// <value>The default value is 0 (the authors' released configurations; their paper says 0.3).</value>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "CausalTemporalConvNetOptions.Dropout must lie in [0, 1); use 0 to switch dropout off.")]
    public double Dropout { get; set; }

    /// <summary>The dilation of block <paramref name="block"/>: <see cref="Dilations"/>[block], or 2^block when no list is given.</summary>
    /// <param name="block">Zero-based block index.</param>
    /// <returns>The dilation d of that block.</returns>
    public int DilationOf(int block) => Dilations is null ? 1 << block : Dilations[block];

    /// <summary>The authors' released TCN: 768-d features → [768, 256, 128], kernel 5, dilations 1, 2, 4, dropout 0.</summary>
    public static CausalTemporalConvNetOptions Released768C128 => new() { InputDim = 768, Channels = [768, 256, 128], KernelSize = 5, Dropout = 0 };

    /// <summary>The tiny configuration of the parity fixtures: 24 → [24, 32, 16], kernel 5, dilations 1, 2, 4.</summary>
    public static CausalTemporalConvNetOptions Tiny24C16 => new() { InputDim = 24, Channels = [24, 32, 16], KernelSize = 5, Dropout = 0 };
}
