using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Video.Faces;

/// <summary>Checks <see cref="FaceTrackerOptions"/>: each range, and a search region that still holds a face moving between whole-frame searches.</summary>
public sealed class FaceTrackerOptionsValidator : IValidateOptions<FaceTrackerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FaceTrackerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        // A box of side s moved sideways by f·s keeps IoU (1 − f) / (1 + f) with where it was, so a face that still
        // passes MinIou has moved by up to f = (1 − MinIou) / (1 + MinIou) sides and reaches s/2 + f·s from the old
        // centre: the region (half-side SearchRegionScale·s/2) holds it when SearchRegionScale ≥ 1 + 2f.
        double reach = 1 + 2 * (1 - options.MinIou) / (1 + options.MinIou);
        if (failures.Count == 0 && options.DetectEvery > 1 && options.SearchRegionScale < reach)
            failures.Add($"FaceTrackerOptions.SearchRegionScale is {options.SearchRegionScale}, too small for MinIou {options.MinIou}: a face that still "
                + $"matches the track can lie outside the region searched. Raise SearchRegionScale to at least {Math.Ceiling(reach * 100) / 100}, raise MinIou, or set DetectEvery to 1.");
        return OptionsValidation.ToResult(failures);
    }
}
