using AffectMae.Core.Data;
using AffectMae.Core.Options;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// Checks <see cref="AuthorsTemporalOptions"/>: the tasks, every part by its own validator (messages prefixed with the
/// part, e.g. <c>AuthorsTemporalOptions.Tcn:</c>), then that each task's model fits together.
/// </summary>
public sealed class AuthorsTemporalOptionsValidator : IValidateOptions<AuthorsTemporalOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AuthorsTemporalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if (options.Tasks == AffectTask.None || (options.Tasks & ~AffectTask.All) != 0)
            failures.Add($"AuthorsTemporalOptions.Tasks is {options.Tasks}: choose one or more of ValenceArousal, Expression, ActionUnits (e.g. \"ValenceArousal, Expression\").");
        failures.AddRange(OptionsValidation.NestedFailures(new CausalTemporalConvNetOptionsValidator(), options.Tcn, "AuthorsTemporalOptions.Tcn"));
        failures.AddRange(OptionsValidation.NestedFailures(new ProjectedSegmentTransformerOptionsValidator(), options.Transformer, "AuthorsTemporalOptions.Transformer"));
        failures.AddRange(OptionsValidation.NestedFailures(new SegmentationOptionsValidator(), options.Segmentation, "AuthorsTemporalOptions.Segmentation"));
        failures.AddRange(OptionsValidation.NestedFailures(new InferenceOptionsValidator(), options.Inference, "AuthorsTemporalOptions.Inference"));
        if (options.Optimization is null)
        {
            failures.Add("AuthorsTemporalOptions.Optimization must be set (ValenceArousal, Expression, ActionUnits).");
        }
        else
        {
            foreach (var task in AffectTasks.Each)
                failures.AddRange(OptionsValidation.NestedFailures(new OptimizationOptionsValidator(), options.Optimization[task], $"AuthorsTemporalOptions.Optimization.{task}"));
        }
        if (failures.Count > 0)
            return OptionsValidation.ToResult(failures);

        // The sizes chain the same way for every task; the head's outputs are set by ModelFor.
        failures.AddRange(OptionsValidation.NestedFailures(new AuthorsTemporalModelOptionsValidator(), options.ModelFor(AffectTask.ValenceArousal), "AuthorsTemporalOptions"));
        return OptionsValidation.ToResult(failures);
    }
}
