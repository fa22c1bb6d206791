// Macro-averaged F1: the unweighted mean of the per-class F1 scores. ABAW's P_EXPR is this over the 8 classes.
namespace AffectMae.Metrics;

/// <summary>Macro F1 of a multi-class labelling.</summary>
public static class MacroF1
{
    /// <summary>Computes (1/C)·Σ_c F1_c over all <paramref name="classCount"/> classes C.</summary>
    /// <remarks>
    /// Every class counts in the mean, including a class absent from both gold and predictions, which scores 0
    /// (scikit-learn's <c>f1_score(average="macro", labels=range(C), zero_division=0)</c>).
    /// Frames whose gold label is −1 are unlabelled and left out. Allocates one per-class count array.
    /// </remarks>
    /// <param name="predictions">Predicted class indices, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="gold">Gold class indices in [0, <paramref name="classCount"/>), or −1 for an unlabelled frame.</param>
    /// <param name="classCount">Number of classes C; 8 for ABAW expressions.</param>
    /// <returns>Macro F1 in [0, 1].</returns>
    /// <exception cref="ArgumentException">
    /// Length mismatch or no labelled frame (names <paramref name="gold"/>); a label out of range (names the span holding it);
    /// <paramref name="classCount"/> not positive.
    /// </exception>
    public static double Compute(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold, int classCount = AffectLabels.ExpressionClassCount)
    {
        var tally = ClassTally.Count(predictions, gold, classCount);
        double sum = 0;
        for (int c = 0; c < classCount; c++)
        {
            sum += tally.Counts(c).F1;
        }

        return sum / classCount;
    }
}
