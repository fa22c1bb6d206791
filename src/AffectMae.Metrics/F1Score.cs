// Per-class F1 of a multi-class labelling, each class scored one-vs-rest, as scikit-learn's
// f1_score(average=None, zero_division=0).
namespace AffectMae.Metrics;

/// <summary>F1 scores of classification results.</summary>
public static class F1Score
{
    /// <summary>F1 = 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall.</summary>
    /// <remarks>When TP = FP = FN = 0 (the class is absent from both gold and predictions) F1 is 0/0; this returns 0,
    /// like scikit-learn's default <c>zero_division=0</c>.</remarks>
    /// <param name="truePositives">TP, at least 0.</param>
    /// <param name="falsePositives">FP, at least 0.</param>
    /// <param name="falseNegatives">FN, at least 0.</param>
    /// <returns>F1 in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative (names that count).</exception>
    public static double FromCounts(long truePositives, long falsePositives, long falseNegatives)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(truePositives);
        ArgumentOutOfRangeException.ThrowIfNegative(falsePositives);
        ArgumentOutOfRangeException.ThrowIfNegative(falseNegatives);
        long denominator = 2 * truePositives + falsePositives + falseNegatives;
        return denominator == 0 ? 0 : 2.0 * truePositives / denominator;
    }

    /// <summary>Computes the F1 of every class c in [0, <paramref name="classCount"/>), scoring c against all other classes.</summary>
    /// <remarks>
    /// Frames whose gold label is the unlabelled marker −1 are left out (their prediction is not scored).
    /// A class that appears in neither gold nor predictions scores 0 (scikit-learn's <c>zero_division=0</c>).
    /// </remarks>
    /// <param name="predictions">Predicted class indices, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="gold">Gold class indices in [0, <paramref name="classCount"/>), or −1 for an unlabelled frame.</param>
    /// <param name="classCount">Number of classes; 8 for ABAW expressions.</param>
    /// <returns>A new array of <paramref name="classCount"/> F1 scores, indexed by class.</returns>
    /// <exception cref="ArgumentException">
    /// Length mismatch or no labelled frame (names <paramref name="gold"/>); a label out of range (names the span holding it);
    /// <paramref name="classCount"/> not positive.
    /// </exception>
    public static double[] PerClass(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold, int classCount = AffectLabels.ExpressionClassCount)
    {
        var tally = ClassTally.Count(predictions, gold, classCount);
        var scores = new double[classCount];
        for (int c = 0; c < classCount; c++)
        {
            scores[c] = tally.Counts(c).F1;
        }

        return scores;
    }
}

/// <summary>Per-class TP / predicted / gold counts over the labelled frames: the "per-class count array" of the metrics.</summary>
internal readonly struct ClassTally
{
    private readonly long[] counts;   // [truePositives(0..C-1), predicted(0..C-1), gold(0..C-1)]

    private ClassTally(long[] counts, long labelled, long correct) => (this.counts, Labelled, Correct) = (counts, labelled, correct);

    public long Labelled { get; }

    public long Correct { get; }

    public static ClassTally Count(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        Guard.SameLength(predictions.Length, gold.Length, nameof(gold));
        Guard.ClassLabels(predictions, gold, classCount);

        var counts = new long[3 * classCount];
        long labelled = 0, correct = 0;
        for (int i = 0; i < gold.Length; i++)
        {
            if (AffectLabels.IsUnlabelledExpression(gold[i]))
            {
                continue;
            }

            labelled++;
            counts[classCount + predictions[i]]++;
            counts[2 * classCount + gold[i]]++;
            if (predictions[i] == gold[i])
            {
                correct++;
                counts[gold[i]]++;
            }
        }

        Guard.NotEmpty(labelled, nameof(gold));
        return new ClassTally(counts, labelled, correct);
    }

    /// <summary>One-vs-rest counts of class c: FP = predicted − TP, FN = gold − TP, TN = labelled − TP − FP − FN.</summary>
    public BinaryCounts Counts(int c)
    {
        int classCount = counts.Length / 3;
        long truePositives = counts[c];
        long falsePositives = counts[classCount + c] - truePositives, falseNegatives = counts[2 * classCount + c] - truePositives;
        return new BinaryCounts(truePositives, falsePositives, falseNegatives, Labelled - truePositives - falsePositives - falseNegatives);
    }
}
