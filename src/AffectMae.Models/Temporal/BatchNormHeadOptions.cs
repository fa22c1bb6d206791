using AffectMae.Core.Options;
using AffectMae.Core.Data;
using AffectMae.Metrics;
using System.ComponentModel.DataAnnotations;

namespace AffectMae.Models.Temporal;

/// <summary>Sizes of the <see cref="BatchNormHead"/>; checked by <see cref="BatchNormHeadOptionsValidator"/>.</summary>
public sealed class BatchNormHeadOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "BatchNormHead";

    /// <summary>Width D of the frame tokens the head reads.</summary>
    /// <value>The default value is 512 (the authors').</value>
    [Range(1, int.MaxValue, ErrorMessage = "BatchNormHeadOptions.InputDim must be at least 1: set it to the width of the encoder's output (512 in the authors' model).")]
    public int InputDim { get; set; } = 512;

    /// <summary>Hidden width H, the features the BatchNorm normalises.</summary>
    /// <value>The default value is 256 (the authors': half of InputDim).</value>
    [Range(1, int.MaxValue, ErrorMessage = "BatchNormHeadOptions.HiddenDim must be at least 1; the authors use InputDim / 2.")]
    public int HiddenDim { get; set; } = 256;

    /// <summary>Outputs a frame: 2 for valence/arousal, 8 expression logits or 12 action-unit logits.</summary>
    /// <value>The default value is 2 (valence and arousal).</value>
    [Range(1, int.MaxValue, ErrorMessage = "BatchNormHeadOptions.OutputDim must be at least 1: 2 for valence/arousal, 8 for expressions, 12 for action units.")]
    public int OutputDim { get; set; } = AffectLabels.ValenceArousalCount;

    /// <summary>The BatchNorm's ε, added to the variance.</summary>
    /// <value>The default value is 1e-5 (PyTorch's).</value>
    [Range(double.Epsilon, 1.0, ErrorMessage = "BatchNormHeadOptions.Eps must lie in (0, 1]; PyTorch's default is 1e-5.")]
    public double Eps { get; set; } = 1e-5;

    /// <summary>Weight of a training batch in the running mean and variance.</summary>
    /// <value>The default value is 0.1 (PyTorch's).</value>
    [Range(0.0, 1.0, ErrorMessage = "BatchNormHeadOptions.Momentum must lie in [0, 1]; PyTorch's default is 0.1.")]
    public double Momentum { get; set; } = 0.1;


    /// <summary>The authors' released head on 512-d tokens: 512 → 256 → BatchNorm → <paramref name="outputs"/>.</summary>
    /// <param name="outputs">2, 8 or 12.</param>
    public static BatchNormHeadOptions Released512(int outputs) => new() { InputDim = 512, HiddenDim = 256, OutputDim = outputs };

    /// <summary>The tiny configuration of the parity fixtures: 32 → 16 → BatchNorm → <paramref name="outputs"/>.</summary>
    /// <param name="outputs">2, 8 or 12.</param>
    public static BatchNormHeadOptions Tiny32(int outputs) => new() { InputDim = 32, HiddenDim = 16, OutputDim = outputs };
}
