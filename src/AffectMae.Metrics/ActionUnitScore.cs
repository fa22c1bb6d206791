// The ABAW AU challenge score and its components.
namespace AffectMae.Metrics;

/// <summary>Per-AU binary F1 over the labelled cells, and their mean P_AU.</summary>
/// <remarks>Equality compares <see cref="PerUnitF1"/> element by element.</remarks>
/// <param name="PerUnitF1">F1 of each AU, in the column order of <see cref="AffectLabels.ActionUnitNames"/>.</param>
/// <param name="LabelledCells">Number of (frame, AU) cells scored (gold ≠ −1).</param>
public sealed record ActionUnitScore(IReadOnlyList<double> PerUnitF1, long LabelledCells)
{
    /// <summary>P_AU = mean of <see cref="PerUnitF1"/> over all AUs.</summary>
    public double Score => PerUnitF1.Count == 0 ? 0 : PerUnitF1.Average();

    /// <summary>Whether both scores have equal cell counts and per-AU F1 sequences.</summary>
    /// <param name="other">The score to compare with.</param>
    /// <returns><see langword="true"/> when all components are equal.</returns>
    public bool Equals(ActionUnitScore? other)
        => other is not null && LabelledCells == other.LabelledCells && PerUnitF1.SequenceEqual(other.PerUnitF1);

    /// <summary>A hash of the cell count and the number of AUs.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(LabelledCells, PerUnitF1.Count);

    internal static ActionUnitScore From(BinaryCounts[] counts)
        => new(Array.AsReadOnly(Array.ConvertAll(counts, c => c.F1)), counts.Sum(c => c.Total));
}
