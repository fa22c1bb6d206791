using Microsoft.Extensions.Options;

namespace AffectMae.Core.Options;

/// <summary>Validates an options class whose rules are all single-field DataAnnotations attributes.</summary>
/// <typeparam name="TOptions">The options class.</typeparam>
public sealed class AnnotationsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OptionsValidation.ToResult(OptionsValidation.AnnotationFailures(options));
    }
}
