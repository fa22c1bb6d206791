// Confusion matrix of a multi-class labelling, rows = gold class, columns = predicted class
// (the layout of scikit-learn's confusion_matrix(y_true, y_pred)).
namespace AffectMae.Metrics;

/// <summary>Counts of (gold class, predicted class) pairs over labelled frames, with the metrics derived from them.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[] counts;   // row-major [gold, predicted]

    internal ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ClassCount = classCount;
        counts = new long[classCount * classCount];
    }

    /// <summary>Number of classes, the side of the square matrix.</summary>
    public int ClassCount { get; }

    /// <summary>Number of labelled frames counted (the sum of all cells).</summary>
    public long Total { get; private set; }

    /// <summary>Number of labelled frames with gold class <paramref name="gold"/> that were predicted as <paramref name="predicted"/>.</summary>
    /// <param name="gold">Row: the gold class index.</param>
    /// <param name="predicted">Column: the predicted class index.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, <see cref="ClassCount"/>).</exception>
    public long this[int gold, int predicted]
    {
        get
        {
            CheckClass(gold);
            CheckClass(predicted);
            return counts[gold * ClassCount + predicted];
        }
    }

    /// <summary>Builds the matrix of a labelling; frames whose gold label is −1 are unlabelled and not counted.</summary>
    /// <param name="predictions">Predicted class indices, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="gold">Gold class indices in [0, <paramref name="classCount"/>), or −1 for an unlabelled frame.</param>
    /// <param name="classCount">Number of classes; 8 for ABAW expressions.</param>
    /// <returns>A new matrix with <see cref="Total"/> equal to the number of labelled frames.</returns>
    /// <exception cref="ArgumentException">
    /// Length mismatch or no labelled frame (names <paramref name="gold"/>); a label out of range (names the span holding it);
    /// <paramref name="classCount"/> not positive.
    /// </exception>
    public static ConfusionMatrix FromLabels(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold, int classCount = AffectLabels.ExpressionClassCount)
    {
        var matrix = new ConfusionMatrix(classCount);
        matrix.Add(predictions, gold);
        Guard.NotEmpty(matrix.Total, nameof(gold));
        return matrix;
    }

    /// <summary>Number of labelled frames whose gold class is <paramref name="gold"/> (the row sum).</summary>
    /// <param name="gold">A class index.</param>
    /// <returns>The row sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gold"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public long GoldCount(int gold)
    {
        CheckClass(gold);
        long sum = 0;
        for (int p = 0; p < ClassCount; p++)
        {
            sum += counts[gold * ClassCount + p];
        }

        return sum;
    }

    /// <summary>Number of labelled frames predicted as <paramref name="predicted"/> (the column sum).</summary>
    /// <param name="predicted">A class index.</param>
    /// <returns>The column sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="predicted"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public long PredictedCount(int predicted)
    {
        CheckClass(predicted);
        long sum = 0;
        for (int g = 0; g < ClassCount; g++)
        {
            sum += counts[g * ClassCount + predicted];
        }

        return sum;
    }

    /// <summary>
    /// One-vs-rest counts of class <paramref name="classIndex"/>: TP = diagonal cell, FP = column sum − TP,
    /// FN = row sum − TP, TN = <see cref="Total"/> − TP − FP − FN.
    /// </summary>
    /// <param name="classIndex">A class index.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public BinaryCounts Counts(int classIndex)
    {
        CheckClass(classIndex);
        long truePositives = this[classIndex, classIndex];
        long falsePositives = PredictedCount(classIndex) - truePositives, falseNegatives = GoldCount(classIndex) - truePositives;
        return new BinaryCounts(truePositives, falsePositives, falseNegatives, Total - truePositives - falsePositives - falseNegatives);
    }

    /// <summary>F1 of every class, scored one-vs-rest; a class absent from gold and predictions scores 0.</summary>
    /// <returns>A new array of <see cref="ClassCount"/> scores, indexed by class.</returns>
    /// <exception cref="InvalidOperationException">The matrix is empty (<see cref="Total"/> is 0).</exception>
    public double[] PerClassF1()
    {
        EnsureNotEmpty();
        var scores = new double[ClassCount];
        for (int c = 0; c < ClassCount; c++)
        {
            scores[c] = Counts(c).F1;
        }

        return scores;
    }

    /// <summary>Mean of <see cref="PerClassF1"/> over all classes, absent classes (F1 = 0) included.</summary>
    /// <returns>Macro F1 in [0, 1].</returns>
    /// <exception cref="InvalidOperationException">The matrix is empty (<see cref="Total"/> is 0).</exception>
    public double MacroF1() => PerClassF1().Average();

    /// <summary>Trace / <see cref="Total"/>: the fraction of labelled frames predicted correctly.</summary>
    /// <returns>Accuracy in [0, 1].</returns>
    /// <exception cref="InvalidOperationException">The matrix is empty (<see cref="Total"/> is 0).</exception>
    public double Accuracy()
    {
        EnsureNotEmpty();
        long trace = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            trace += counts[c * ClassCount + c];
        }

        return (double)trace / Total;
    }

    /// <summary>Copies the counts into a new [gold, predicted] array.</summary>
    /// <returns>A <see cref="ClassCount"/> × <see cref="ClassCount"/> array.</returns>
    public long[,] ToArray()
    {
        var array = new long[ClassCount, ClassCount];
        for (int g = 0; g < ClassCount; g++)
        {
            for (int p = 0; p < ClassCount; p++)
            {
                array[g, p] = counts[g * ClassCount + p];
            }
        }

        return array;
    }

    /// <summary>Validates a whole batch, then counts its labelled frames (so a bad batch leaves the matrix unchanged).</summary>
    internal void Add(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold)
    {
        Guard.SameLength(predictions.Length, gold.Length, nameof(gold));
        Guard.ClassLabels(predictions, gold, ClassCount);
        for (int i = 0; i < gold.Length; i++)
        {
            if (!AffectLabels.IsUnlabelledExpression(gold[i]))
            {
                counts[gold[i] * ClassCount + predictions[i]]++;
                Total++;
            }
        }
    }

    internal void AddCounts(ConfusionMatrix other)
    {
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] += other.counts[i];
        }

        Total += other.Total;
    }

    internal void Clear()
    {
        Array.Clear(counts);
        Total = 0;
    }

    internal ConfusionMatrix Clone()
    {
        var copy = new ConfusionMatrix(ClassCount);
        copy.AddCounts(this);
        return copy;
    }

    private void CheckClass(int index, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(index))] string? paramName = null)
    {
        if ((uint)index >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(paramName, index, $"Class index must be in [0, {ClassCount}).");
        }
    }

    private void EnsureNotEmpty()
    {
        if (Total == 0)
        {
            throw new InvalidOperationException("The confusion matrix holds no labelled frame.");
        }
    }
}
