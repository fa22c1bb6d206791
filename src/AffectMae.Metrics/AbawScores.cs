// The three ABAW challenge scores, pooled over the labelled frames of all videos (not averaged per video):
// P_VA = (CCC_V + CCC_A)/2, P_EXPR = macro F1 over 8 classes, P_AU = mean F1 over 12 AUs.
// To pool several videos, concatenate their frames or add each video to the matching accumulator.
using System.Numerics;

namespace AffectMae.Metrics;

/// <summary>One-shot ABAW scores of whole prediction sets, with unlabelled frames masked out.</summary>
public static class AbawScores
{
    /// <summary>CCC of valence and arousal and P_VA over [frames, 2] row-major (valence, arousal) spans.</summary>
    /// <remarks>
    /// A gold value below −1 (the files write −5) marks that dimension of that frame unlabelled; it is left out
    /// of that dimension's CCC only. Predictions must be finite everywhere. CCC policies as in <see cref="Ccc"/>.
    /// </remarks>
    /// <param name="predictions">Row-major [frames, 2] predictions.</param>
    /// <param name="gold">Row-major [frames, 2] gold values.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentException">
    /// Length mismatch, or no labelled valence or arousal frame (names <paramref name="gold"/>); an odd length (names
    /// <paramref name="predictions"/>); a NaN or infinite value (names the span holding it).
    /// </exception>
    public static ValenceArousalScore ValenceArousal(ReadOnlySpan<double> predictions, ReadOnlySpan<double> gold)
        => ValenceArousalCore(predictions, gold);

    /// <summary>P_VA of single-precision [frames, 2] spans, computed in double precision.</summary>
    /// <remarks>Same masking and policies as the double-precision overload.</remarks>
    /// <param name="predictions">Row-major [frames, 2] predictions.</param>
    /// <param name="gold">Row-major [frames, 2] gold values.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentException">As for the double-precision overload.</exception>
    public static ValenceArousalScore ValenceArousal(ReadOnlySpan<float> predictions, ReadOnlySpan<float> gold)
        => ValenceArousalCore(predictions, gold);

    /// <summary>Per-class F1, accuracy and P_EXPR (macro F1 over the 8 ABAW classes).</summary>
    /// <remarks>Frames whose gold label is −1 are left out; a class absent from both sides scores 0 and counts in the mean.</remarks>
    /// <param name="predictions">Predicted class indices, each in [0, 8).</param>
    /// <param name="gold">Gold class indices in [0, 8), or −1 for an unlabelled frame.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentException">
    /// Length mismatch or no labelled frame (names <paramref name="gold"/>); a label out of range (names the span holding it).
    /// </exception>
    public static ExpressionScore Expression(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold)
        => ExpressionScore.From(ConfusionMatrix.FromLabels(predictions, gold, AffectLabels.ExpressionClassCount));

    /// <summary>Per-AU F1 and P_AU (mean over the 12 ABAW AUs) of row-major [frames, 12] 0/1 predictions.</summary>
    /// <remarks>A gold −1 leaves out that AU at that frame only.</remarks>
    /// <param name="predictions">Row-major [frames, 12] predictions, each 0 or 1.</param>
    /// <param name="gold">Row-major [frames, 12] gold values, each 0, 1 or −1 (unlabelled).</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentException">As for <see cref="ActionUnitMetrics.Counts"/>.</exception>
    public static ActionUnitScore ActionUnits(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold)
        => ActionUnitScore.From(ActionUnitMetrics.Counts(predictions, gold, AffectLabels.ActionUnitCount));

    /// <summary>P_AU of row-major [frames, 12] scores, each AU thresholded at 0.5 (1 when score ≥ 0.5).</summary>
    /// <param name="scores">Row-major [frames, 12] scores (probabilities).</param>
    /// <param name="gold">Row-major [frames, 12] gold values, each 0, 1 or −1 (unlabelled).</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentException">
    /// A NaN or infinite score (names <paramref name="scores"/>), or as for <see cref="ActionUnitMetrics.Counts"/>.
    /// </exception>
    public static ActionUnitScore ActionUnitsFromScores(ReadOnlySpan<double> scores, ReadOnlySpan<int> gold)
        => ActionUnitsFromScores(scores, gold, [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);

    /// <summary>P_AU of row-major [frames, 12] scores with one threshold per AU (1 when score ≥ threshold).</summary>
    /// <param name="scores">Row-major [frames, 12] scores.</param>
    /// <param name="gold">Row-major [frames, 12] gold values, each 0, 1 or −1 (unlabelled).</param>
    /// <param name="thresholds">12 thresholds, e.g. from <see cref="ThresholdSearch"/>.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="thresholds"/> not 12 finite values; a NaN or infinite score (names <paramref name="scores"/>);
    /// or as for <see cref="ActionUnitMetrics.Counts"/>.
    /// </exception>
    public static ActionUnitScore ActionUnitsFromScores(ReadOnlySpan<double> scores, ReadOnlySpan<int> gold, ReadOnlySpan<double> thresholds)
    {
        if (thresholds.Length != AffectLabels.ActionUnitCount)
        {
            throw new ArgumentException($"Expected {AffectLabels.ActionUnitCount} thresholds, got {thresholds.Length}.", nameof(thresholds));
        }

        Guard.SameLength(scores.Length, gold.Length, nameof(gold));
        return ActionUnits(ActionUnitMetrics.Binarize(scores, thresholds), gold);
    }

    private static ValenceArousalScore ValenceArousalCore<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> gold)
        where T : IFloatingPointIeee754<T>
    {
        var (valence, arousal) = ValenceArousalAccumulator.Moments(predictions, gold);
        Guard.NotEmpty(Math.Min(valence.Count, arousal.Count), nameof(gold));
        return ValenceArousalAccumulator.ToScore(valence, arousal);
    }
}
