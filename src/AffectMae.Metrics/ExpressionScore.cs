// The ABAW EXPR challenge score and its components.
namespace AffectMae.Metrics;

/// <summary>Per-class F1 over the labelled frames, accuracy, and the macro F1 P_EXPR.</summary>
/// <remarks>Equality compares <see cref="PerClassF1"/> element by element.</remarks>
/// <param name="PerClassF1">F1 of each class, indexed by <see cref="ExpressionClass"/> value.</param>
/// <param name="Accuracy">Fraction of labelled frames predicted correctly.</param>
/// <param name="LabelledFrames">Number of frames scored (gold ≠ −1).</param>
public sealed record ExpressionScore(IReadOnlyList<double> PerClassF1, double Accuracy, long LabelledFrames)
{
    /// <summary>P_EXPR = mean of <see cref="PerClassF1"/> over all classes, absent classes (F1 = 0) included.</summary>
    public double Score => PerClassF1.Count == 0 ? 0 : PerClassF1.Average();

    /// <summary>Whether both scores have equal accuracy, frame count and per-class F1 sequence.</summary>
    /// <param name="other">The score to compare with.</param>
    /// <returns><see langword="true"/> when all components are equal.</returns>
    public bool Equals(ExpressionScore? other)
        => other is not null && Accuracy.Equals(other.Accuracy) && LabelledFrames == other.LabelledFrames
           && PerClassF1.SequenceEqual(other.PerClassF1);

    /// <summary>A hash of the accuracy, the frame count and the number of classes.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Accuracy, LabelledFrames, PerClassF1.Count);

    internal static ExpressionScore From(ConfusionMatrix matrix)
        => new(Array.AsReadOnly(matrix.PerClassF1()), matrix.Accuracy(), matrix.Total);
}
