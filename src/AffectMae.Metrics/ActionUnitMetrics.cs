// Action-unit detection scores: each AU is a binary task scored by the F1 of its positive class; ABAW's P_AU
// is the mean over the 12 AUs. Labels are row-major [frames, units] spans, one row per frame as in the AU files.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AffectMae.Metrics;

/// <summary>Per-AU binary F1, its mean, and the thresholding of AU scores into 0/1 predictions.</summary>
/// <remarks>
/// Masking is per cell: a gold value of −1 at (frame f, AU u) leaves out that AU at that frame only; the frame's other
/// AUs are still scored. (ABAW files mark a whole row with −1, which this handles as twelve masked cells.)
/// An AU with no positive gold and no positive prediction scores 0 (scikit-learn's <c>zero_division=0</c>) and still
/// counts in the mean.
/// </remarks>
public static class ActionUnitMetrics
{
    /// <summary>Counts TP, FP, FN and TN of every AU over its labelled frames.</summary>
    /// <param name="predictions">Row-major [frames, <paramref name="unitCount"/>] predictions, each 0 or 1.</param>
    /// <param name="gold">Row-major [frames, <paramref name="unitCount"/>] gold values, each 0, 1 or −1 (unlabelled).</param>
    /// <param name="unitCount">Number of AU columns; 12 for ABAW.</param>
    /// <returns>A new array of <paramref name="unitCount"/> counts, indexed by AU column.</returns>
    /// <exception cref="ArgumentException">
    /// Length mismatch or no labelled cell (names <paramref name="gold"/>); a length that is not a whole number of rows
    /// (names <paramref name="predictions"/>); a value outside the allowed set (names the span holding it);
    /// <paramref name="unitCount"/> not positive.
    /// </exception>
    public static BinaryCounts[] Counts(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold, int unitCount = AffectLabels.ActionUnitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unitCount);
        var tally = new long[TallyWidth * unitCount];
        long labelled = Tally(predictions, gold, unitCount, tally);
        Guard.NotEmpty(labelled, nameof(gold));
        return ToCounts(tally);
    }

    /// <summary>Computes the binary F1 (positive class 1) of every AU column over its labelled frames.</summary>
    /// <param name="predictions">Row-major [frames, <paramref name="unitCount"/>] predictions, each 0 or 1.</param>
    /// <param name="gold">Row-major [frames, <paramref name="unitCount"/>] gold values, each 0, 1 or −1 (unlabelled).</param>
    /// <param name="unitCount">Number of AU columns; 12 for ABAW.</param>
    /// <returns>A new array of <paramref name="unitCount"/> F1 scores, indexed by AU column.</returns>
    /// <exception cref="ArgumentException">As for <see cref="Counts"/>.</exception>
    public static double[] PerUnitF1(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold, int unitCount = AffectLabels.ActionUnitCount)
        => Array.ConvertAll(Counts(predictions, gold, unitCount), c => c.F1);

    /// <summary>Computes the mean of <see cref="PerUnitF1(ReadOnlySpan{int}, ReadOnlySpan{int}, int)"/>: ABAW's P_AU when <paramref name="unitCount"/> is 12.</summary>
    /// <param name="predictions">Row-major [frames, <paramref name="unitCount"/>] predictions, each 0 or 1.</param>
    /// <param name="gold">Row-major [frames, <paramref name="unitCount"/>] gold values, each 0, 1 or −1 (unlabelled).</param>
    /// <param name="unitCount">Number of AU columns; 12 for ABAW.</param>
    /// <returns>Mean F1 in [0, 1].</returns>
    /// <exception cref="ArgumentException">As for <see cref="Counts"/>.</exception>
    public static double MeanF1(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold, int unitCount = AffectLabels.ActionUnitCount)
        => PerUnitF1(predictions, gold, unitCount).Average();

    /// <summary>Per-AU F1 of [frames, units] arrays; the unit count is the arrays' second dimension.</summary>
    /// <param name="predictions">[frames, units] predictions, each 0 or 1.</param>
    /// <param name="gold">[frames, units] gold values of the same shape, each 0, 1 or −1 (unlabelled).</param>
    /// <returns>A new array of F1 scores, indexed by AU column.</returns>
    /// <exception cref="ArgumentException">The shapes differ (names <paramref name="gold"/>), or as for <see cref="Counts"/>.</exception>
    public static double[] PerUnitF1(int[,] predictions, int[,] gold)
    {
        CheckSameShape(predictions, gold);
        return PerUnitF1(AsSpan(predictions), AsSpan(gold), predictions.GetLength(1));
    }

    /// <summary>Mean per-AU F1 of [frames, units] arrays; the unit count is the arrays' second dimension.</summary>
    /// <param name="predictions">[frames, units] predictions, each 0 or 1.</param>
    /// <param name="gold">[frames, units] gold values of the same shape, each 0, 1 or −1 (unlabelled).</param>
    /// <returns>Mean F1 in [0, 1].</returns>
    /// <exception cref="ArgumentException">The shapes differ (names <paramref name="gold"/>), or as for <see cref="Counts"/>.</exception>
    public static double MeanF1(int[,] predictions, int[,] gold) => PerUnitF1(predictions, gold).Average();

    /// <summary>Turns scores into 0/1 predictions with one threshold for every value: 1 when score ≥ threshold.</summary>
    /// <param name="scores">Scores (probabilities, or logits with a threshold of 0), any layout.</param>
    /// <param name="threshold">The decision threshold; 0.5 for probabilities.</param>
    /// <returns>A new array of 0/1 values, one per score.</returns>
    /// <exception cref="ArgumentException">A score (names <paramref name="scores"/>) or the threshold is NaN or infinite.</exception>
    public static int[] Binarize(ReadOnlySpan<double> scores, double threshold = 0.5) => BinarizeCore(scores, [threshold], nameof(threshold));

    /// <summary>Turns single-precision scores into 0/1 predictions: 1 when score ≥ threshold.</summary>
    /// <param name="scores">Scores (probabilities, or logits with a threshold of 0), any layout.</param>
    /// <param name="threshold">The decision threshold; 0.5 for probabilities.</param>
    /// <returns>A new array of 0/1 values, one per score.</returns>
    /// <exception cref="ArgumentException">A score (names <paramref name="scores"/>) or the threshold is NaN or infinite.</exception>
    public static int[] Binarize(ReadOnlySpan<float> scores, double threshold = 0.5) => BinarizeCore(scores, [threshold], nameof(threshold));

    /// <summary>Turns row-major [frames, units] scores into 0/1 predictions with one threshold per AU column: 1 when score ≥ threshold.</summary>
    /// <param name="scores">Row-major [frames, units] scores, units = <paramref name="thresholds"/>.Length.</param>
    /// <param name="thresholds">One threshold per AU column, e.g. from <see cref="ThresholdSearch"/>.</param>
    /// <returns>A new array of 0/1 values, one per score.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="thresholds"/> is empty or holds a NaN or infinity; <paramref name="scores"/> is not a whole number
    /// of rows or holds a NaN or infinity.
    /// </exception>
    public static int[] Binarize(ReadOnlySpan<double> scores, ReadOnlySpan<double> thresholds) => BinarizeCore(scores, thresholds, nameof(thresholds));

    /// <summary>Turns row-major [frames, units] single-precision scores into 0/1 predictions with one threshold per AU column.</summary>
    /// <param name="scores">Row-major [frames, units] scores, units = <paramref name="thresholds"/>.Length.</param>
    /// <param name="thresholds">One threshold per AU column, e.g. from <see cref="ThresholdSearch"/>.</param>
    /// <returns>A new array of 0/1 values, one per score (1 when score ≥ threshold).</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="thresholds"/> is empty or holds a NaN or infinity; <paramref name="scores"/> is not a whole number
    /// of rows or holds a NaN or infinity.
    /// </exception>
    public static int[] Binarize(ReadOnlySpan<float> scores, ReadOnlySpan<double> thresholds) => BinarizeCore(scores, thresholds, nameof(thresholds));

    /// <summary>Longs per AU in a tally: TP, FP, FN, TN.</summary>
    internal const int TallyWidth = 4;

    /// <summary>Validates a whole batch, then adds each AU's TP, FP, FN, TN into tally[4u..4u+3]; returns the labelled cell count.</summary>
    internal static long Tally(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold, int unitCount, Span<long> tally)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unitCount);
        Guard.SameLength(predictions.Length, gold.Length, nameof(gold));
        Guard.WholeRows(predictions.Length, unitCount, nameof(predictions));
        Guard.BinaryPredictions(predictions, unitCount);
        Guard.BinaryGold(gold, unitCount);

        long labelled = 0;
        for (int i = 0; i < gold.Length; i++)
        {
            if (AffectLabels.IsUnlabelledActionUnit(gold[i]))
            {
                continue;                                      // this AU at this frame only
            }

            labelled++;
            int outcome = predictions[i] == 1 ? (gold[i] == 1 ? 0 : 1) : (gold[i] == 1 ? 2 : 3);   // TP, FP, FN, TN
            tally[TallyWidth * (i % unitCount) + outcome]++;
        }

        return labelled;
    }

    internal static BinaryCounts[] ToCounts(ReadOnlySpan<long> tally)
    {
        var counts = new BinaryCounts[tally.Length / TallyWidth];
        for (int u = 0; u < counts.Length; u++)
        {
            var t = tally.Slice(TallyWidth * u, TallyWidth);
            counts[u] = new BinaryCounts(t[0], t[1], t[2], t[3]);
        }

        return counts;
    }

    internal static ReadOnlySpan<int> AsSpan(int[,] array)
        => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, int>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);

    private static void CheckSameShape(int[,] predictions, int[,] gold)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(gold);
        if (predictions.GetLength(0) != gold.GetLength(0) || predictions.GetLength(1) != gold.GetLength(1))
        {
            throw new ArgumentException(
                $"Gold shape [{gold.GetLength(0)}, {gold.GetLength(1)}] differs from prediction shape [{predictions.GetLength(0)}, {predictions.GetLength(1)}].",
                nameof(gold));
        }
    }

    private static int[] BinarizeCore<T>(ReadOnlySpan<T> scores, ReadOnlySpan<double> thresholds, string thresholdParamName)
        where T : IFloatingPointIeee754<T>
    {
        if (thresholds.IsEmpty)
        {
            throw new ArgumentException("At least one threshold is needed.", thresholdParamName);
        }

        Guard.Finite(thresholds, thresholdParamName);
        Guard.WholeRows(scores.Length, thresholds.Length, nameof(scores));
        Guard.Finite(scores, nameof(scores));
        var predictions = new int[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            predictions[i] = double.CreateChecked(scores[i]) >= thresholds[i % thresholds.Length] ? 1 : 0;
        }

        return predictions;
    }
}
