using AffectMae.Metrics;

namespace AffectMae.Core.Data;

/// <summary>
/// One video with the annotations of every challenge that has it (null where a challenge does not), all aligned to
/// the same frame numbering. Challenges may annotate different frame counts; <see cref="FrameCount"/> is the largest,
/// and frames a challenge does not cover count as unlabelled for it.
/// </summary>
/// <param name="Video">Video name.</param>
/// <param name="FrameCount">Frames 1 … n over all challenges.</param>
/// <param name="ValenceArousal">The VA annotation, or null.</param>
/// <param name="Expression">The expression annotation, or null.</param>
/// <param name="ActionUnits">The AU annotation, or null.</param>
public sealed record AbawVideo(string Video, int FrameCount, ValenceArousalAnnotation? ValenceArousal, ExpressionAnnotation? Expression, ActionUnitAnnotation? ActionUnits)
{
    /// <summary>
    /// Every video of <paramref name="split"/> in any of the layout's challenges, with the annotations of each, in
    /// ordinal order of the name.
    /// </summary>
    public static IReadOnlyList<AbawVideo> Load(AbawLayout layout, AbawSplit split)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var tasks = layout.AvailableTasks.Where(t => layout.HasAnnotations(t, split)).ToList();
        var names = tasks.SelectMany(t => layout.Videos(t, split)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return names.Select(name =>
        {
            T? Read<T>(AffectTask task) where T : VideoAnnotation =>
                tasks.Contains(task) && File.Exists(layout.AnnotationPath(task, split, name)) ? (T)layout.ReadAnnotation(task, split, name) : null;
            var va = Read<ValenceArousalAnnotation>(AffectTask.ValenceArousal);
            var expr = Read<ExpressionAnnotation>(AffectTask.Expression);
            var au = Read<ActionUnitAnnotation>(AffectTask.ActionUnits);
            int frames = new VideoAnnotation?[] { va, expr, au }.Max(a => a?.FrameCount ?? 0);
            return new AbawVideo(name, frames, va, expr, au);
        }).ToList();
    }

    /// <summary>[n, 2] valence/arousal with −5 where unlabelled or not covered.</summary>
    public float[] ValenceArousalLabels() => Padded(ValenceArousal?.Values, 2, AffectLabels.UnlabelledValenceArousal);

    /// <summary>[n] expression classes with −1 where unlabelled or not covered.</summary>
    public int[] ExpressionLabels() => Padded(Expression?.Labels, 1, AffectLabels.UnlabelledExpression);

    /// <summary>[n, 12] action units with −1 where unlabelled or not covered.</summary>
    public int[] ActionUnitLabels() => Padded(ActionUnits?.Values, AffectLabels.ActionUnitCount, AffectLabels.UnlabelledActionUnit);

    private T[] Padded<T>(T[]? values, int columns, T unlabelled)
    {
        var labels = new T[FrameCount * columns];
        Array.Fill(labels, unlabelled);
        values?.CopyTo(labels, 0);
        return labels;
    }
}
