// Streaming P_EXPR: a running confusion matrix over the labelled frames of every batch.
namespace AffectMae.Metrics;

/// <summary>Accumulates expression predictions batch by batch in a confusion matrix and reports per-class F1, accuracy and P_EXPR.</summary>
/// <remarks>Frames whose gold label is −1 are not counted. Counts are exact, so the result equals the one-shot metrics. Not thread-safe.</remarks>
public sealed class ExpressionAccumulator
{
    private readonly ConfusionMatrix matrix;

    /// <summary>Creates an empty accumulator.</summary>
    /// <param name="classCount">Number of classes; 8 for ABAW expressions.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is not positive.</exception>
    public ExpressionAccumulator(int classCount = AffectLabels.ExpressionClassCount) => matrix = new ConfusionMatrix(classCount);

    /// <summary>Number of classes.</summary>
    public int ClassCount => matrix.ClassCount;

    /// <summary>Number of labelled frames added so far.</summary>
    public long LabelledFrames => matrix.Total;

    /// <summary>Adds a batch; an empty or fully unlabelled batch is allowed.</summary>
    /// <param name="predictions">Predicted class indices, each in [0, <see cref="ClassCount"/>).</param>
    /// <param name="gold">Gold class indices in [0, <see cref="ClassCount"/>), or −1 for an unlabelled frame.</param>
    /// <exception cref="ArgumentException">
    /// Length mismatch (names <paramref name="gold"/>) or a label out of range (names the span holding it); the accumulator is then unchanged.
    /// </exception>
    public void Add(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold) => matrix.Add(predictions, gold);

    /// <summary>Adds everything another accumulator has seen.</summary>
    /// <param name="other">An accumulator with the same class count; it is not modified.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> has a different class count.</exception>
    public void Merge(ExpressionAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.ClassCount != ClassCount)
        {
            throw new ArgumentException($"Cannot merge {other.ClassCount} classes into {ClassCount}.", nameof(other));
        }

        matrix.AddCounts(other.matrix);
    }

    /// <summary>Forgets every frame added so far.</summary>
    public void Reset() => matrix.Clear();

    /// <summary>A copy of the confusion matrix accumulated so far (rows = gold, columns = predicted).</summary>
    /// <returns>A new matrix that later batches do not change.</returns>
    public ConfusionMatrix ToConfusionMatrix() => matrix.Clone();

    /// <summary>Per-class F1, accuracy and P_EXPR over the labelled frames added so far.</summary>
    /// <returns>The scores.</returns>
    /// <exception cref="InvalidOperationException">No labelled frame has been added.</exception>
    public ExpressionScore Result() => ExpressionScore.From(matrix);
}
