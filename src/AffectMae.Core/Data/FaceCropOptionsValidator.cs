using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Core.Data;

/// <summary>Checks <see cref="FaceCropOptions"/>: each range, a known border, and a centre shift that keeps the face box inside the crop.</summary>
public sealed class FaceCropOptionsValidator : IValidateOptions<FaceCropOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FaceCropOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if (!Enum.IsDefined(options.Border))
            failures.Add($"FaceCropOptions.Border is {(int)options.Border}, which names no border: use Black or Replicate.");
        // The crop reaches (1 + 2m)·s/2 from its centre and the box s/2 + |shift|·s, so the box stays inside when |shift| ≤ m.
        if (failures.Count == 0 && Math.Abs(options.CenterShift) > options.Margin)
            failures.Add($"FaceCropOptions.CenterShift ({options.CenterShift}) moves the crop further than its Margin ({options.Margin}): part of the face box "
                + $"would be cut off. Keep |CenterShift| ≤ Margin: raise Margin to {Math.Abs(options.CenterShift)} or lower CenterShift.");
        return OptionsValidation.ToResult(failures);
    }
}
