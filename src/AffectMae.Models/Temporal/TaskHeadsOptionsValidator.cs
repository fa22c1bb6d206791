using AffectMae.Core.Options;
using AffectMae.Core.Data;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Temporal;

/// <summary>Checks <see cref="TaskHeadsOptions"/>: positive sizes and a non-empty selection of known tasks.</summary>
public sealed class TaskHeadsOptionsValidator : IValidateOptions<TaskHeadsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TaskHeadsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if ((options.Tasks & ~AffectTask.All) != 0)
            failures.Add($"TaskHeadsOptions.Tasks is {(int)options.Tasks}, which holds a flag no task has: combine only ValenceArousal (1), Expression (2) and ActionUnits (4), or use All (7).");
        else if (options.Tasks == AffectTask.None)
            failures.Add("TaskHeadsOptions.Tasks selects no task: choose ValenceArousal, Expression, ActionUnits, a combination of them, or All.");
        return OptionsValidation.ToResult(failures);
    }
}
