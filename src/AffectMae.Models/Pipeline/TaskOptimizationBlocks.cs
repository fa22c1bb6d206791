using AffectMae.Core.Data;
using AffectMae.Models.Training;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// The optimisation of one model a task (<c>AffectMae:Recipe:AuthorsTemporal:Optimization:{ValenceArousal,Expression,ActionUnits}</c>):
/// the authors train each task's model on its own, for its own number of epochs.
/// </summary>
public sealed class TaskOptimizationBlocks
{
    /// <summary>The valence/arousal model. <value>The default value is <see cref="OptimizationOptions.AuthorsTemporal"/> (40 epochs).</value></summary>
    public OptimizationOptions ValenceArousal { get; set; } = OptimizationOptions.AuthorsTemporal(AffectTask.ValenceArousal);

    /// <summary>The expression model. <value>The default value is <see cref="OptimizationOptions.AuthorsTemporal"/> (10 epochs).</value></summary>
    public OptimizationOptions Expression { get; set; } = OptimizationOptions.AuthorsTemporal(AffectTask.Expression);

    /// <summary>The action-unit model. <value>The default value is <see cref="OptimizationOptions.AuthorsTemporal"/> (30 epochs).</value></summary>
    public OptimizationOptions ActionUnits { get; set; } = OptimizationOptions.AuthorsTemporal(AffectTask.ActionUnits);

    /// <summary>The block of <paramref name="task"/>.</summary>
    /// <param name="task">ValenceArousal, Expression or ActionUnits.</param>
    public OptimizationOptions this[AffectTask task] => task switch
    {
        AffectTask.ValenceArousal => ValenceArousal,
        AffectTask.Expression => Expression,
        AffectTask.ActionUnits => ActionUnits,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Give exactly one task: ValenceArousal, Expression or ActionUnits."),
    };

    /// <summary>The three blocks in task order.</summary>
    public IEnumerable<OptimizationOptions> Stages() => [ValenceArousal, Expression, ActionUnits];
}
