using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Temporal;

/// <summary>
/// Checks <see cref="AffectSequenceModelOptions"/>: each stage's own rules, then that the widths chain
/// (frames → TCN → transformer → heads).
/// </summary>
public sealed class AffectSequenceModelOptionsValidator : IValidateOptions<AffectSequenceModelOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AffectSequenceModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if (options.Tcn is null || options.Transformer is null || options.Heads is null)
        {
            failures.Add("AffectSequenceModelOptions.Tcn, Transformer and Heads must all be set; start from AffectSequenceModelOptions.Base768D512.");
            return OptionsValidation.ToResult(failures);
        }

        if (options.UseTcn)
            failures.AddRange(new TemporalConvNetOptionsValidator().Validate(name, options.Tcn).Failures ?? []);
        failures.AddRange(new SegmentTransformerOptionsValidator().Validate(name, options.Transformer).Failures ?? []);
        failures.AddRange(new TaskHeadsOptionsValidator().Validate(name, options.Heads).Failures ?? []);
        if (failures.Count > 0)
            return OptionsValidation.ToResult(failures);

        int width = options.Transformer.DModel;
        if (options.UseTcn && options.Tcn.InputDim != options.InputDim)
            failures.Add($"Tcn.InputDim is {options.Tcn.InputDim} but AffectSequenceModelOptions.InputDim is {options.InputDim}: set Tcn.InputDim to {options.InputDim}.");
        if (options.UseTcn && options.Tcn.Channels[^1] != width)
            failures.Add($"The TCN's last block outputs {options.Tcn.Channels[^1]} channels but the model width Transformer.DModel is {width}: set the last entry of Tcn.Channels to {width}, or Transformer.DModel to {options.Tcn.Channels[^1]}.");
        if (options.Heads.InputDim != width)
            failures.Add($"Heads.InputDim is {options.Heads.InputDim} but the model width Transformer.DModel is {width}: set Heads.InputDim to {width}.");
        return OptionsValidation.ToResult(failures);
    }
}
