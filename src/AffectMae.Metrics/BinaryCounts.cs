// Counts behind the F1 of one positive class (one expression class in one-vs-rest, or one action unit).
namespace AffectMae.Metrics;

/// <summary>True/false positive/negative counts of one positive class over labelled frames.</summary>
/// <param name="TruePositives">Frames predicted positive whose gold is positive.</param>
/// <param name="FalsePositives">Frames predicted positive whose gold is negative.</param>
/// <param name="FalseNegatives">Frames predicted negative whose gold is positive.</param>
/// <param name="TrueNegatives">Frames predicted negative whose gold is negative (not used by F1).</param>
public readonly record struct BinaryCounts(long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    /// <summary>Number of labelled frames counted: TP + FP + FN + TN.</summary>
    public long Total => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;

    /// <summary>F1 = 2·TP / (2·TP + FP + FN), or 0 when TP = FP = FN = 0; see <see cref="F1Score.FromCounts"/>.</summary>
    public double F1 => F1Score.FromCounts(TruePositives, FalsePositives, FalseNegatives);
}
