// The twelve ABAW action units of each frame of one video, row-major [frames, 12] like the int spans AffectMae.Metrics
// scores (AbawScores.ActionUnits, ActionUnitAccumulator). Column j is AffectLabels.ActionUnitNames[j].
using AffectMae.Metrics;

namespace AffectMae.Core.Data;

/// <summary>Occurrence of the 12 ABAW action units in each frame of one video (file <c>AU_Detection_Challenge/…/&lt;video&gt;.txt</c>).</summary>
public sealed record ActionUnitAnnotation : VideoAnnotation
{
    /// <summary>Values per frame: AU1, AU2, AU4, AU6, AU7, AU10, AU12, AU15, AU23, AU24, AU25, AU26.</summary>
    public const int Columns = AffectLabels.ActionUnitCount;

    /// <summary>Wraps row-major [frames, 12] values (the array is kept, not copied).</summary>
    /// <param name="video">The video name.</param>
    /// <param name="values">Each 0 (absent), 1 (present) or −1 (unlabelled), in the column order of <see cref="AffectLabels.ActionUnitNames"/>.</param>
    /// <exception cref="ArgumentException">A length that is not a multiple of 12, or a value other than 0, 1 and −1.</exception>
    public ActionUnitAnnotation(string video, int[] values)
        : base(video)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length % Columns != 0)
            throw new ArgumentException($"Length {values.Length} is not a multiple of {Columns}; expected row-major [frames, {Columns}].", nameof(values));
        for (int row = 0; row < values.Length; row += Columns)
        {
            bool labelled = false;
            for (int j = row; j < row + Columns; j++)
            {
                if (AffectLabels.IsUnlabelledActionUnit(values[j])) continue;
                if ((uint)values[j] > 1)
                    throw new ArgumentException(
                        $"Frame {row / Columns + 1} {AffectLabels.ActionUnitNames[j - row]} is {values[j]}; expected 0, 1 or -1 (unlabelled).",
                        nameof(values));
                labelled = true;
            }
            if (labelled) LabelledFrameCount++;
        }
        Values = values;
    }

    /// <summary>Row-major [frames, 12] values, each 0, 1 or −1. Do not modify.</summary>
    public int[] Values { get; }

    /// <inheritdoc/>
    public override int FrameCount => Values.Length / Columns;

    /// <summary>Frames with at least one AU not −1 (in the ABAW files a frame is either fully labelled or all −1).</summary>
    public override int LabelledFrameCount { get; }

    /// <summary>The 12 values of the frame at 0-based <paramref name="frameIndex"/>.</summary>
    /// <param name="frameIndex">0-based frame index (frame number − 1).</param>
    /// <returns>A view of the row, in the column order of <see cref="AffectLabels.ActionUnitNames"/>.</returns>
    public ReadOnlySpan<int> Row(int frameIndex) => Values.AsSpan(Columns * frameIndex, Columns);

    /// <summary>Same video name and the same values.</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns>Whether the two are equal.</returns>
    public bool Equals(ActionUnitAnnotation? other)
        => other is not null && base.Equals(other) && Values.AsSpan().SequenceEqual(other.Values);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), FrameCount);
}
