using AffectMae.Core.Options;
using AffectMae.Core.Data;
using AffectMae.Video.Faces;
using Microsoft.Extensions.Options;

namespace AffectMae.Video;

/// <summary>Checks <see cref="FacePipelineOptions"/>: its own range and each part with that part's validator.</summary>
public sealed class FacePipelineOptionsValidator : IValidateOptions<FacePipelineOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FacePipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if (options.Detector is null || options.Tracker is null)
        {
            failures.Add("FacePipelineOptions.Detector and Tracker must both be set; start from new FacePipelineOptions().");
            return OptionsValidation.ToResult(failures);
        }
        failures.AddRange(new FaceDetectorOptionsValidator().Validate(name, options.Detector).Failures ?? []);
        failures.AddRange(new FaceTrackerOptionsValidator().Validate(name, options.Tracker).Failures ?? []);
        if (options.Crop is not null)
            failures.AddRange(new FaceCropOptionsValidator().Validate(name, options.Crop).Failures ?? []);
        return OptionsValidation.ToResult(failures);
    }
}
