// Expression class of each frame of one video, as the int span AffectMae.Metrics scores (AbawScores.Expression).
using AffectMae.Metrics;

namespace AffectMae.Core.Data;

/// <summary>The expression class of each frame of one video (file <c>EXPR_Recognition_Challenge/…/&lt;video&gt;.txt</c>).</summary>
public sealed record ExpressionAnnotation : VideoAnnotation
{
    /// <summary>Wraps the class indices (the array is kept, not copied).</summary>
    /// <param name="video">The video name.</param>
    /// <param name="labels">Class index per frame, 0..7 in the order of <see cref="ExpressionClass"/>, or −1 for unlabelled.</param>
    /// <exception cref="ArgumentException">A label outside 0..7 other than −1.</exception>
    public ExpressionAnnotation(string video, int[] labels)
        : base(video)
    {
        ArgumentNullException.ThrowIfNull(labels);
        for (int i = 0; i < labels.Length; i++)
        {
            if (AffectLabels.IsUnlabelledExpression(labels[i])) continue;
            if ((uint)labels[i] >= AffectLabels.ExpressionClassCount)
                throw new ArgumentException(
                    $"Frame {i + 1} has label {labels[i]}; expected a class index 0..{AffectLabels.ExpressionClassCount - 1} or -1 (unlabelled).",
                    nameof(labels));
            LabelledFrameCount++;
        }
        Labels = labels;
    }

    /// <summary>Class index per frame (0..7, or −1 for unlabelled). Do not modify.</summary>
    public int[] Labels { get; }

    /// <inheritdoc/>
    public override int FrameCount => Labels.Length;

    /// <summary>Frames whose label is not −1.</summary>
    public override int LabelledFrameCount { get; }

    /// <summary>Same video name and the same labels.</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns>Whether the two are equal.</returns>
    public bool Equals(ExpressionAnnotation? other)
        => other is not null && base.Equals(other) && Labels.AsSpan().SequenceEqual(other.Labels);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), FrameCount);
}
