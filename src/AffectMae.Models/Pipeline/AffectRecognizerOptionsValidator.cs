using AffectMae.Core.Options;
using AffectMae.Models.Evaluation;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Pipeline;

/// <summary>Checks <see cref="AffectRecognizerOptions"/>: its ranges, and the inference options when given.</summary>
public sealed class AffectRecognizerOptionsValidator : IValidateOptions<AffectRecognizerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AffectRecognizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if (options.Inference is not null)
            failures.AddRange(OptionsValidation.NestedFailures(new InferenceOptionsValidator(), options.Inference, "AffectRecognizerOptions.Inference"));
        return OptionsValidation.ToResult(failures);
    }
}
