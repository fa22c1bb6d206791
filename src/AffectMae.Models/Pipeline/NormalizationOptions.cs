using System.ComponentModel.DataAnnotations;
using AffectMae.Core.Options;
using AffectMae.Models.Data;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Pipeline;

/// <summary>Per-channel normalisation of the encoder's input, as data (a recipe setting and a manifest field); see <see cref="ImageNormalization"/>.</summary>
public sealed class NormalizationOptions
{
    /// <summary>The configuration section of these options within the recipe (<c>AffectMae:Recipe:Normalization</c>).</summary>
    public const string SectionName = "Normalization";

    /// <summary>Channel means (R, G, B) in [0, 1] units. <value>The default value is ImageNet's (0.485, 0.456, 0.406).</value></summary>
    [Length(3, 3, ErrorMessage = "NormalizationOptions.Mean needs exactly 3 values (R, G, B).")]
    public float[] Mean { get; set; } = [.. ImageNormalization.ImageNet.Mean];

    /// <summary>Channel standard deviations (R, G, B), each positive. <value>The default value is ImageNet's (0.229, 0.224, 0.225).</value></summary>
    [Length(3, 3, ErrorMessage = "NormalizationOptions.Std needs exactly 3 values (R, G, B).")]
    public float[] Std { get; set; } = [.. ImageNormalization.ImageNet.Std];

    /// <summary>The normalisation these values describe.</summary>
    public ImageNormalization ToNormalization() => new(Mean, Std);

    /// <summary>The values of <paramref name="normalization"/>.</summary>
    public static NormalizationOptions From(ImageNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(normalization);
        return new NormalizationOptions { Mean = [.. normalization.Mean], Std = [.. normalization.Std] };
    }
}

/// <summary>Checks <see cref="NormalizationOptions"/>: three finite means and three positive, finite standard deviations.</summary>
public sealed class NormalizationOptionsValidator : IValidateOptions<NormalizationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, NormalizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mean is null || options.Std is null)
            return ValidateOptionsResult.Fail("NormalizationOptions.Mean and Std must both be set (3 values each).");
        var failures = OptionsValidation.AnnotationFailures(options);
        if (options.Mean.Any(m => !float.IsFinite(m)))
            failures.Add($"NormalizationOptions.Mean must hold finite values; it is [{string.Join(", ", options.Mean)}].");
        if (options.Std.Any(s => !(s > 0) || !float.IsFinite(s)))
            failures.Add($"NormalizationOptions.Std must hold positive, finite values; it is [{string.Join(", ", options.Std)}].");
        return OptionsValidation.ToResult(failures);
    }
}
