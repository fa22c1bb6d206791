using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Core.Segmentation;

/// <summary>Checks <see cref="SegmentationOptions"/>: positive sizes and a stride no longer than the window.</summary>
public sealed class SegmentationOptionsValidator : IValidateOptions<SegmentationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if (options.WindowLength > 0 && options.Stride > options.WindowLength)
            failures.Add($"SegmentationOptions.Stride ({options.Stride}) must not exceed WindowLength ({options.WindowLength}): the frames "
                + "between windows would get no prediction. Lower Stride or raise WindowLength.");
        if (!Enum.IsDefined(options.Tail))
            failures.Add($"SegmentationOptions.Tail is {(int)options.Tail}; use Pad (every frame covered) or Drop (only windows that fit wholly).");
        return OptionsValidation.ToResult(failures);
    }
}
