using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Temporal;

/// <summary>Checks <see cref="BatchNormHeadOptions"/>: positive sizes, ε in (0, 1] and momentum in [0, 1].</summary>
public sealed class BatchNormHeadOptionsValidator : IValidateOptions<BatchNormHeadOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BatchNormHeadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OptionsValidation.ToResult(OptionsValidation.AnnotationFailures(options));
    }
}
