using Microsoft.Extensions.Options;

namespace AffectMae.Core.Segmentation;

/// <summary>Checks <see cref="SegmentationOptions"/>: positive sizes and a stride no longer than the window.</summary>
public sealed class SegmentationOptionsValidator : IValidateOptions<SegmentationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.WindowLength <= 0)
            failures.Add($"WindowLength must be at least 1 frame; it is {options.WindowLength}.");
        if (options.Stride <= 0)
            failures.Add($"Stride must be at least 1 frame; it is {options.Stride}.");
        if (options.WindowLength > 0 && options.Stride > options.WindowLength)
            failures.Add($"Stride ({options.Stride}) must not exceed WindowLength ({options.WindowLength}): the frames "
                + "between windows would get no prediction. Lower Stride or raise WindowLength.");
        if (!Enum.IsDefined(options.Tail))
            failures.Add($"Tail is {(int)options.Tail}; use Pad (every frame covered) or Drop (only windows that fit wholly).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
