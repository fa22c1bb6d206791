using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Temporal;

/// <summary>Checks <see cref="SegmentTransformerOptions"/>: positive sizes, an even width that the heads divide.</summary>
public sealed class SegmentTransformerOptionsValidator : IValidateOptions<SegmentTransformerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SegmentTransformerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if (options.DModel > 0 && options.NumHeads > 0 && options.DModel % options.NumHeads != 0)
            failures.Add($"SegmentTransformerOptions.NumHeads ({options.NumHeads}) must divide DModel ({options.DModel}): pick a divisor of {options.DModel} or a DModel that is a multiple of {options.NumHeads}.");
        if (options.DModel > 0 && options.DModel % 2 != 0)
            failures.Add($"SegmentTransformerOptions.DModel is {options.DModel} but must be even for the sin/cos positional table; use {options.DModel + 1}.");
        return OptionsValidation.ToResult(failures);
    }
}
