using AffectMae.Models.Evaluation;
using AffectMae.Models.Training;

namespace AffectMae.Models.Pipeline;

/// <summary>An image stage's held-out result next to a trivial baseline's.</summary>
/// <param name="Stage">Stage name.</param>
/// <param name="Metric">What was measured (e.g. P_EXPR on validation frames).</param>
/// <param name="Value">Our figure.</param>
/// <param name="Baseline">The trivial predictor's figure.</param>
/// <param name="BaselineName">What the trivial predictor is.</param>
/// <param name="Training">Where training ended, with its per-epoch history.</param>
public sealed record StageResult(string Stage, string Metric, double Value, double Baseline, string BaselineName, TrainingState Training);

/// <summary>A temporal model's validation predictions and ABAW scores.</summary>
/// <param name="Variant">Which model.</param>
/// <param name="Scores">P_VA, P_EXPR, P_AU on the validation videos.</param>
/// <param name="Predictions">Per-frame predictions of every validation video.</param>
/// <param name="Training">Where training ended, with the validation scores of every epoch; null when only evaluated, or for the authors' models (see <see cref="TaskTraining"/>).</param>
public sealed record TemporalResult(TemporalVariant Variant, AbawEvaluation Scores, IReadOnlyList<VideoPredictions> Predictions, TrainingState? Training)
{
    /// <summary>The authors' models, one a task: where each one's training ended, with its validation scores of every epoch; null for ours or when only evaluated.</summary>
    public IReadOnlyDictionary<Core.Data.AffectTask, TrainingState>? TaskTraining { get; init; }
}
