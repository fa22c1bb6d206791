// Fraction of labelled frames whose predicted class equals the gold class.
namespace AffectMae.Metrics;

/// <summary>Classification accuracy.</summary>
public static class Accuracy
{
    /// <summary>Computes (number of labelled frames with prediction = gold) / (number of labelled frames).</summary>
    /// <remarks>Frames whose gold label is −1 are unlabelled and left out of both counts.</remarks>
    /// <param name="predictions">Predicted class indices, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="gold">Gold class indices in [0, <paramref name="classCount"/>), or −1 for an unlabelled frame.</param>
    /// <param name="classCount">Number of classes, used to validate the labels; 8 for ABAW expressions.</param>
    /// <returns>Accuracy in [0, 1].</returns>
    /// <exception cref="ArgumentException">
    /// Length mismatch or no labelled frame (names <paramref name="gold"/>); a label out of range (names the span holding it);
    /// <paramref name="classCount"/> not positive.
    /// </exception>
    public static double Compute(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold, int classCount = AffectLabels.ExpressionClassCount)
    {
        var tally = ClassTally.Count(predictions, gold, classCount);
        return (double)tally.Correct / tally.Labelled;
    }
}
