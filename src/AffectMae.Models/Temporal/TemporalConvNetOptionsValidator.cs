using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Temporal;

/// <summary>Checks <see cref="TemporalConvNetOptions"/>: positive sizes, an odd kernel and one positive dilation per block.</summary>
public sealed class TemporalConvNetOptionsValidator : IValidateOptions<TemporalConvNetOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TemporalConvNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        TemporalBlockChecks.AddBlockFailures(failures, nameof(TemporalConvNetOptions), options.Channels, options.Dilations, "[512, 512]");
        if (options.KernelSize > 0 && options.KernelSize % 2 == 0)
            failures.Add($"TemporalConvNetOptions.KernelSize is {options.KernelSize} but must be odd, so that padding d·(k − 1)/2 keeps the sequence length: use {options.KernelSize + 1} or {options.KernelSize - 1}.");
        return OptionsValidation.ToResult(failures);
    }
}
