using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Temporal;

/// <summary>Checks <see cref="CausalTemporalConvNetOptions"/>: positive sizes and one positive dilation per block.</summary>
public sealed class CausalTemporalConvNetOptionsValidator : IValidateOptions<CausalTemporalConvNetOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CausalTemporalConvNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        TemporalBlockChecks.AddBlockFailures(failures, nameof(CausalTemporalConvNetOptions), options.Channels, options.Dilations, "[768, 256, 128]");
        return OptionsValidation.ToResult(failures);
    }
}
