// The three ABAW tasks: the annotation sets AbawLayout reads (see ABAW_FORMATS.md) and the heads a model predicts.
using AffectMae.Metrics;

namespace AffectMae.Core.Data;

/// <summary>
/// An ABAW task. A single value names one challenge (one annotation set of Aff-Wild2, one head of a model); values
/// combine with <c>|</c> to select several, e.g. the heads of a model.
/// </summary>
[Flags]
public enum AffectTask
{
    /// <summary>No task; not a valid selection.</summary>
    None = 0,

    /// <summary>Valence-arousal estimation: folder <c>VA_Estimation_Challenge</c>, two values in [−1, 1] a frame.</summary>
    ValenceArousal = 1,

    /// <summary>Expression recognition: folder <c>EXPR_Recognition_Challenge</c> (ABAW5: <c>EXPR_Classification_Challenge</c>), one of 8 classes a frame.</summary>
    Expression = 2,

    /// <summary>Action-unit detection: folder <c>AU_Detection_Challenge</c>, twelve 0/1 values a frame.</summary>
    ActionUnits = 4,

    /// <summary>All three tasks.</summary>
    All = ValenceArousal | Expression | ActionUnits,
}

/// <summary>Helpers for <see cref="AffectTask"/>.</summary>
public static class AffectTasks
{
    /// <summary>The three single tasks in challenge order: valence/arousal, expression, action units.</summary>
    public static IReadOnlyList<AffectTask> Each { get; } = [AffectTask.ValenceArousal, AffectTask.Expression, AffectTask.ActionUnits];

    /// <summary>The single tasks selected by <paramref name="tasks"/>, in challenge order.</summary>
    /// <param name="tasks">A combination of tasks.</param>
    /// <returns>The tasks whose flag is set.</returns>
    public static IReadOnlyList<AffectTask> Split(AffectTask tasks) => [.. Each.Where(t => tasks.HasFlag(t))];

    /// <summary>The values a frame of one task: 2 for valence/arousal, 8 expression classes, 12 action units.</summary>
    /// <param name="task">ValenceArousal, Expression or ActionUnits (one task, not a combination).</param>
    /// <returns>The count, from <see cref="AffectLabels"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="task"/> is not exactly one task.</exception>
    public static int OutputCount(AffectTask task) => task switch
    {
        AffectTask.ValenceArousal => AffectLabels.ValenceArousalCount,
        AffectTask.Expression => AffectLabels.ExpressionClassCount,
        AffectTask.ActionUnits => AffectLabels.ActionUnitCount,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Give exactly one task: ValenceArousal, Expression or ActionUnits."),
    };

    /// <summary>Whether <paramref name="task"/> is exactly one of the three tasks.</summary>
    /// <param name="task">A task value.</param>
    /// <returns><see langword="true"/> for ValenceArousal, Expression or ActionUnits.</returns>
    public static bool IsSingle(AffectTask task) => Each.Contains(task);
}
