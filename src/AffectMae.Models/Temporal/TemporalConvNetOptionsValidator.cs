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
        if (options.Channels is null || options.Channels.Count == 0)
            failures.Add("TemporalConvNetOptions.Channels is empty: give one output channel count per temporal block, e.g. [512, 512].");
        else if (options.Channels.Any(c => c <= 0))
            failures.Add($"TemporalConvNetOptions.Channels [{string.Join(", ", options.Channels)}] holds a count below 1: every block needs at least 1 output channel.");
        if (options.KernelSize > 0 && options.KernelSize % 2 == 0)
            failures.Add($"TemporalConvNetOptions.KernelSize is {options.KernelSize} but must be odd, so that padding d·(k − 1)/2 keeps the sequence length: use {options.KernelSize + 1} or {options.KernelSize - 1}.");
        if (options.Dilations is { } dilations && options.Channels is { } channels)
        {
            if (dilations.Count != channels.Count)
                failures.Add($"TemporalConvNetOptions.Dilations has {dilations.Count} entries but Channels has {channels.Count}: give one dilation per block, or leave Dilations null for 1, 2, 4, ….");
            if (dilations.Any(d => d <= 0))
                failures.Add($"TemporalConvNetOptions.Dilations [{string.Join(", ", dilations)}] holds a value below 1: every dilation must be at least 1.");
        }
        return OptionsValidation.ToResult(failures);
    }
}
