using AffectMae.Core.Options;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Temporal;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Evaluation;

/// <summary>Checks <see cref="InferenceOptions"/>: a known protocol and a mode filter of at least 0 frames.</summary>
public sealed class InferenceOptionsValidator : IValidateOptions<InferenceOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if (!Enum.IsDefined(options.Protocol))
            failures.Add($"InferenceOptions.Protocol is {(int)options.Protocol}; use {string.Join(", ", Enum.GetNames<InferenceProtocol>())}.");
        return OptionsValidation.ToResult(failures);
    }
}
