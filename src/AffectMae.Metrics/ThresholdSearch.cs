// Per-AU decision thresholds tuned on validation scores: a common step in ABAW AU entries, since the positive
// rate differs widely between AUs (AU25 is frequent, AU15 rare) and one 0.5 cut-off suits none of them well.
using System.Numerics;

namespace AffectMae.Metrics;

/// <summary>Chooses, for each action unit, the decision threshold that maximises that AU's F1 on validation scores.</summary>
/// <remarks>
/// For AU u and candidate t, a frame is predicted positive when score ≥ t; frames whose gold value for u is −1 are left out.
/// The threshold with the highest F1 wins. Ties are broken by taking the candidate closest to 0.5, and between two
/// equally close candidates (such as 0.4 and 0.6) the smaller one. An AU with no labelled frame, or whose F1 is 0 for
/// every candidate, therefore gets 0.5 when 0.5 is a candidate.
/// </remarks>
public static class ThresholdSearch
{
    private static readonly double[] DefaultGrid = Enumerable.Range(1, 19).Select(k => k / 20.0).ToArray();

    /// <summary>The default candidate grid: 0.05, 0.10, …, 0.95 (19 values, each computed as k/20).</summary>
    public static IReadOnlyList<double> DefaultCandidates { get; } = Array.AsReadOnly(DefaultGrid);

    /// <summary>Finds the best threshold of every AU from <see cref="DefaultCandidates"/>.</summary>
    /// <param name="scores">Row-major [frames, <paramref name="unitCount"/>] validation scores (e.g. sigmoid probabilities).</param>
    /// <param name="gold">Row-major [frames, <paramref name="unitCount"/>] gold values, each 0, 1 or −1 (unlabelled).</param>
    /// <param name="unitCount">Number of AU columns; 12 for ABAW.</param>
    /// <returns>A new array of <paramref name="unitCount"/> thresholds, indexed by AU column.</returns>
    /// <exception cref="ArgumentException">
    /// Length mismatch, a gold value other than 0/1/−1, or no labelled cell (names <paramref name="gold"/>); a length that is
    /// not a whole number of rows or a NaN/infinite score (names <paramref name="scores"/>); <paramref name="unitCount"/> not positive.
    /// </exception>
    public static double[] BestThresholds(ReadOnlySpan<double> scores, ReadOnlySpan<int> gold, int unitCount = AffectLabels.ActionUnitCount)
        => Search(scores, gold, DefaultGrid, unitCount);

    /// <summary>Finds the best threshold of every AU from <see cref="DefaultCandidates"/>, for single-precision scores.</summary>
    /// <param name="scores">Row-major [frames, <paramref name="unitCount"/>] validation scores (e.g. sigmoid probabilities).</param>
    /// <param name="gold">Row-major [frames, <paramref name="unitCount"/>] gold values, each 0, 1 or −1 (unlabelled).</param>
    /// <param name="unitCount">Number of AU columns; 12 for ABAW.</param>
    /// <returns>A new array of <paramref name="unitCount"/> thresholds, indexed by AU column.</returns>
    /// <exception cref="ArgumentException">As for the double-precision overload.</exception>
    public static double[] BestThresholds(ReadOnlySpan<float> scores, ReadOnlySpan<int> gold, int unitCount = AffectLabels.ActionUnitCount)
        => Search(scores, gold, DefaultGrid, unitCount);

    /// <summary>Finds the best threshold of every AU from a caller-given candidate grid.</summary>
    /// <param name="scores">Row-major [frames, <paramref name="unitCount"/>] validation scores.</param>
    /// <param name="gold">Row-major [frames, <paramref name="unitCount"/>] gold values, each 0, 1 or −1 (unlabelled).</param>
    /// <param name="candidates">Candidate thresholds, in any order; at least one, all finite.</param>
    /// <param name="unitCount">Number of AU columns; 12 for ABAW.</param>
    /// <returns>A new array of <paramref name="unitCount"/> thresholds, each one of the candidates.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="candidates"/> empty or not finite, or as for <see cref="BestThresholds(ReadOnlySpan{double}, ReadOnlySpan{int}, int)"/>.
    /// </exception>
    public static double[] BestThresholds(
        ReadOnlySpan<double> scores, ReadOnlySpan<int> gold, ReadOnlySpan<double> candidates, int unitCount = AffectLabels.ActionUnitCount)
        => Search(scores, gold, candidates, unitCount);

    /// <summary>Finds the best threshold of every AU from a caller-given candidate grid, for single-precision scores.</summary>
    /// <param name="scores">Row-major [frames, <paramref name="unitCount"/>] validation scores.</param>
    /// <param name="gold">Row-major [frames, <paramref name="unitCount"/>] gold values, each 0, 1 or −1 (unlabelled).</param>
    /// <param name="candidates">Candidate thresholds, in any order; at least one, all finite.</param>
    /// <param name="unitCount">Number of AU columns; 12 for ABAW.</param>
    /// <returns>A new array of <paramref name="unitCount"/> thresholds, each one of the candidates.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="candidates"/> empty or not finite, or as for <see cref="BestThresholds(ReadOnlySpan{double}, ReadOnlySpan{int}, int)"/>.
    /// </exception>
    public static double[] BestThresholds(
        ReadOnlySpan<float> scores, ReadOnlySpan<int> gold, ReadOnlySpan<double> candidates, int unitCount = AffectLabels.ActionUnitCount)
        => Search(scores, gold, candidates, unitCount);

    private static double[] Search<T>(ReadOnlySpan<T> scores, ReadOnlySpan<int> gold, ReadOnlySpan<double> candidates, int unitCount)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unitCount);
        if (candidates.IsEmpty)
        {
            throw new ArgumentException("At least one candidate threshold is needed.", nameof(candidates));
        }

        Guard.Finite(candidates, nameof(candidates));
        Guard.SameLength(scores.Length, gold.Length, nameof(gold));
        Guard.WholeRows(scores.Length, unitCount, nameof(scores));
        Guard.Finite(scores, nameof(scores));
        Guard.BinaryGold(gold, unitCount);

        long labelled = 0;
        foreach (int g in gold)
        {
            labelled += AffectLabels.IsUnlabelledActionUnit(g) ? 0 : 1;
        }

        Guard.NotEmpty(labelled, nameof(gold));

        var thresholds = new double[unitCount];
        for (int u = 0; u < unitCount; u++)
        {
            double bestThreshold = double.NaN, bestF1 = -1;
            foreach (double candidate in candidates)
            {
                double f1 = F1At(scores, gold, u, unitCount, candidate);
                if (f1 > bestF1 || (f1 == bestF1 && IsPreferredOnTie(candidate, bestThreshold)))
                {
                    (bestThreshold, bestF1) = (candidate, f1);
                }
            }

            thresholds[u] = bestThreshold;
        }

        return thresholds;
    }

    private static double F1At<T>(ReadOnlySpan<T> scores, ReadOnlySpan<int> gold, int unit, int unitCount, double threshold)
        where T : IFloatingPointIeee754<T>
    {
        long truePositives = 0, falsePositives = 0, falseNegatives = 0;
        for (int i = unit; i < gold.Length; i += unitCount)
        {
            if (AffectLabels.IsUnlabelledActionUnit(gold[i]))
            {
                continue;
            }

            bool predicted = double.CreateChecked(scores[i]) >= threshold, positive = gold[i] == 1;
            if (predicted && positive)
            {
                truePositives++;
            }
            else if (predicted)
            {
                falsePositives++;
            }
            else if (positive)
            {
                falseNegatives++;
            }
        }

        return F1Score.FromCounts(truePositives, falsePositives, falseNegatives);
    }

    /// <summary>Closer to 0.5 wins; equally close (within 1e-12, so 0.3 and 0.7 tie despite rounding) → the smaller.</summary>
    private static bool IsPreferredOnTie(double candidate, double incumbent)
    {
        const double tolerance = 1e-12;
        double candidateGap = Math.Abs(candidate - 0.5), incumbentGap = Math.Abs(incumbent - 0.5);
        if (Math.Abs(candidateGap - incumbentGap) <= tolerance)
        {
            return candidate < incumbent;
        }

        return candidateGap < incumbentGap;
    }
}
