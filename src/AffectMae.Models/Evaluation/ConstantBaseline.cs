using AffectMae.Core.Data;
using AffectMae.Metrics;

namespace AffectMae.Models.Evaluation;

/// <summary>
/// The trivial predictors a model must beat on the same videos: a constant valence/arousal (CCC 0), the majority
/// expression everywhere, and each action unit's majority value everywhere.
/// </summary>
public static class ConstantBaseline
{
    /// <summary>The baseline's ABAW scores on <paramref name="videos"/> (null for a task no frame is labelled for).</summary>
    /// <param name="videos">The videos to score on.</param>
    public static AbawEvaluation Evaluate(IReadOnlyList<AbawVideo> videos)
    {
        ArgumentNullException.ThrowIfNull(videos);
        int k = AffectLabels.ActionUnitCount;
        var expression = videos.SelectMany(v => v.ExpressionLabels()).Where(c => !AffectLabels.IsUnlabelledExpression(c)).ToArray();
        var units = videos.SelectMany(v => v.ActionUnitLabels()).ToArray();
        bool anyVa = videos.Any(v => v.ValenceArousalLabels().Any(x => !AffectLabels.IsUnlabelledValenceArousal(x)));
        ExpressionScore? expr = null;
        if (expression.Length > 0)
        {
            int majority = expression.GroupBy(c => c).MaxBy(g => g.Count())!.Key;
            expr = AbawScores.Expression(expression.Select(_ => majority).ToArray(), expression);
        }
        ActionUnitScore? au = null;
        if (units.Any(u => !AffectLabels.IsUnlabelledActionUnit(u)))
        {
            var majorities = Enumerable.Range(0, k).Select(j =>
            {
                var column = units.Where((u, i) => i % k == j && !AffectLabels.IsUnlabelledActionUnit(u)).ToArray();
                return column.Count(u => u == 1) * 2 > column.Length ? 1 : 0;
            }).ToArray();
            au = AbawScores.ActionUnits(Enumerable.Range(0, units.Length).Select(i => majorities[i % k]).ToArray(), units);
        }
        return new AbawEvaluation(anyVa ? new ValenceArousalScore(0, 0, 0, 0) : null, expr, au);
    }
}
