using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Temporal;

/// <summary>Checks <see cref="ProjectedSegmentTransformerOptions"/>: positive sizes and heads that divide the width.</summary>
public sealed class ProjectedSegmentTransformerOptionsValidator : IValidateOptions<ProjectedSegmentTransformerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ProjectedSegmentTransformerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if (options.DModel > 0 && options.NumHeads > 0 && options.DModel % options.NumHeads != 0)
            failures.Add($"ProjectedSegmentTransformerOptions.DModel ({options.DModel}) is not divisible by NumHeads ({options.NumHeads}): every head gets DModel / NumHeads features; pick NumHeads among the divisors of {options.DModel}.");
        return OptionsValidation.ToResult(failures);
    }
}
