using Microsoft.Extensions.Options;

namespace AffectMae.Models.Temporal;

/// <summary>Checks <see cref="CausalTemporalConvNetOptions"/>: positive sizes and one positive dilation per block.</summary>
public sealed class CausalTemporalConvNetOptionsValidator : IValidateOptions<CausalTemporalConvNetOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CausalTemporalConvNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsGuard.AnnotationFailures(options);
        if (options.Channels is null || options.Channels.Count == 0)
            failures.Add("CausalTemporalConvNetOptions.Channels is empty: give one output channel count per block, e.g. [768, 256, 128].");
        else if (options.Channels.Any(c => c <= 0))
            failures.Add($"CausalTemporalConvNetOptions.Channels [{string.Join(", ", options.Channels)}] holds a count below 1: every block needs at least 1 output channel.");
        if (options.Dilations is { } dilations && options.Channels is { } channels)
        {
            if (dilations.Count != channels.Count)
                failures.Add($"CausalTemporalConvNetOptions.Dilations has {dilations.Count} entries but Channels has {channels.Count}: give one dilation per block, or leave Dilations null for 1, 2, 4, ….");
            if (dilations.Any(d => d <= 0))
                failures.Add($"CausalTemporalConvNetOptions.Dilations [{string.Join(", ", dilations)}] holds a value below 1: every dilation must be at least 1.");
        }
        return OptionsGuard.ToResult(failures);
    }
}
