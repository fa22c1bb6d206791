using AffectMae.Core.Data;
using AffectMae.Metrics;
using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Temporal;

/// <summary>
/// Checks <see cref="AuthorsTemporalModelOptions"/>: one task, each stage's own rules, then that the widths chain
/// (frames → TCN → projection → transformer → head) and that the head has the task's output count.
/// </summary>
public sealed class AuthorsTemporalModelOptionsValidator : IValidateOptions<AuthorsTemporalModelOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AuthorsTemporalModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        bool oneTask = options.Task is AffectTask.ValenceArousal or AffectTask.Expression or AffectTask.ActionUnits;
        if (!oneTask)
            failures.Add($"AuthorsTemporalModelOptions.Task is {options.Task}: the authors' model predicts exactly one task; choose ValenceArousal, Expression or ActionUnits and build one model per task.");
        if (options.Tcn is null || options.Transformer is null || options.Head is null)
        {
            failures.Add("AuthorsTemporalModelOptions.Tcn, Transformer and Head must all be set; start from AuthorsTemporalModelOptions.Released(task).");
            return OptionsValidation.ToResult(failures);
        }

        var stages = new List<string>();
        stages.AddRange(new CausalTemporalConvNetOptionsValidator().Validate(name, options.Tcn).Failures ?? []);
        stages.AddRange(new ProjectedSegmentTransformerOptionsValidator().Validate(name, options.Transformer).Failures ?? []);
        stages.AddRange(new BatchNormHeadOptionsValidator().Validate(name, options.Head).Failures ?? []);
        failures.AddRange(stages);
        if (stages.Count > 0)
            return OptionsValidation.ToResult(failures);

        int tcnOut = options.Tcn.Channels[^1], width = options.Transformer.DModel;
        if (options.Transformer.InputDim != tcnOut)
            failures.Add($"Transformer.InputDim is {options.Transformer.InputDim} but the TCN's last block outputs {tcnOut} channels: set Transformer.InputDim to {tcnOut}.");
        if (options.Head.InputDim != width)
            failures.Add($"Head.InputDim is {options.Head.InputDim} but the transformer's width DModel is {width}: set Head.InputDim to {width}.");
        int outputs = oneTask ? AffectTasks.OutputCount(options.Task) : options.Head.OutputDim;
        if (options.Head.OutputDim != outputs)
            failures.Add($"Head.OutputDim is {options.Head.OutputDim} but {options.Task} has {outputs} outputs a frame: set Head.OutputDim to {outputs}.");
        return OptionsValidation.ToResult(failures);
    }
}
