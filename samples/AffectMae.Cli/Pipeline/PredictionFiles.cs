using AffectMae.Core.Data;
using AffectMae.Models.Evaluation;

namespace AffectMae.Cli.Pipeline;

/// <summary>Writes per-frame predictions in the ABAW submission layout (one file a challenge).</summary>
public static class PredictionFiles
{
    /// <summary>Writes <c>va.txt</c>, <c>expr.txt</c> and <c>au.txt</c> for the tasks predicted; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<VideoPredictions> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        if (predictions.All(p => p.ValenceArousal is not null))
        {
            string path = Path.Combine(folder, "va.txt");
            SubmissionWriter.WriteValenceArousal(path, predictions.Select(p => new ValenceArousalAnnotation(p.Video, p.ValenceArousal!)));
            written.Add(path);
        }
        if (predictions.All(p => p.ExpressionLogits is not null))
        {
            string path = Path.Combine(folder, "expr.txt");
            SubmissionWriter.WriteExpression(path, predictions.Select(p => new ExpressionAnnotation(p.Video, p.ExpressionClasses()!)));
            written.Add(path);
        }
        if (predictions.All(p => p.ActionUnitProbabilities is not null))
        {
            string path = Path.Combine(folder, "au.txt");
            SubmissionWriter.WriteActionUnits(path, predictions.Select(p => new ActionUnitAnnotation(p.Video, p.ActionUnits()!)));
            written.Add(path);
        }
        return written;
    }
}
