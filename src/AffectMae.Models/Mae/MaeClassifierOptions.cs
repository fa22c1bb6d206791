using System.ComponentModel.DataAnnotations;
using AffectMae.Core.Options;
using AffectMae.Metrics;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Mae;

/// <summary>
/// Sizes of the fine-tuning model (paper §3.2): the MAE encoder, global average pooling, LayerNorm and a fully
/// connected layer over the 8 expressions.
/// </summary>
public sealed class MaeClassifierOptions
{
    /// <summary>
    /// Encoder sizes (the decoder sizes are ignored) and the feature pooling (<see cref="MaeViTOptions.Pooling"/>: mean of
    /// the patch tokens then <c>fc_norm</c>, or the class token through <c>norm</c>). <value>The default value is ViT-B/16 with mean pooling.</value>
    /// </summary>
    public MaeViTOptions Encoder { get; set; } = MaeViTOptions.Base16Dec512D8;

    /// <summary>Output classes. <value>The default value is 8 (Neutral, Anger, Disgust, Fear, Happiness, Sadness, Surprise, Other).</value></summary>
    [Range(1, 100_000, ErrorMessage = "MaeClassifierOptions.NumClasses must be at least 1; the ABAW expressions are 8.")]
    public int NumClasses { get; set; } = AffectLabels.ExpressionClassCount;

    /// <summary>Dropout before the head. <value>The default value is 0.</value></summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "MaeClassifierOptions.HeadDropout must lie in [0, 1); use 0 to switch it off.")]
    public double HeadDropout { get; set; }

    /// <summary>
    /// Layer-wise learning-rate decay for <see cref="MaeClassifier.ParameterGroups"/>: block i trains at
    /// decay^(depth + 1 − (i + 1)) of the base rate, the embeddings at decay^(depth + 1), the head at 1.
    /// 1 turns it off. <value>The default value is 0.75 (MAE's ViT-B fine-tuning recipe).</value>
    /// </summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, ErrorMessage = "MaeClassifierOptions.LayerDecay must lie in (0, 1]; use 1 to turn layer-wise decay off.")]
    public double LayerDecay { get; set; } = 0.75;

    /// <summary>The classifier on the tiny test encoder (<see cref="MaeViTOptions.Tiny"/>).</summary>
    public static MaeClassifierOptions Tiny => new() { Encoder = MaeViTOptions.Tiny };
}

/// <summary>Checks <see cref="MaeClassifierOptions"/>: its own ranges and its encoder's options; each message says what to change.</summary>
public sealed class MaeClassifierOptionsValidator : IValidateOptions<MaeClassifierOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MaeClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        failures.AddRange(OptionsValidation.NestedFailures(new MaeViTOptionsValidator(), options.Encoder, "MaeClassifierOptions.Encoder"));
        return OptionsValidation.ToResult(failures);
    }
}
