namespace AffectMae.Models.Runtime;

/// <summary>What <see cref="NativeHeap.UseFixedThresholds"/> did.</summary>
/// <param name="Applied">Whether the C library took the thresholds.</param>
/// <param name="Description">The thresholds set, or why none were.</param>
public sealed record HeapThresholds(bool Applied, string Description)
{
    /// <inheritdoc/>
    public override string ToString() => Description;
}
