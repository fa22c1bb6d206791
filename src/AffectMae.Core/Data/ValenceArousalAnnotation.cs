// Valence and arousal of one video, stored row-major [frames, 2] like the spans AffectMae.Metrics scores
// (AbawScores.ValenceArousal, ValenceArousalAccumulator), so gold and predictions go to the metrics without copying.
using AffectMae.Metrics;

namespace AffectMae.Core.Data;

/// <summary>Valence and arousal of each frame of one video (file <c>VA_Estimation_Challenge/…/&lt;video&gt;.txt</c>).</summary>
public sealed record ValenceArousalAnnotation : VideoAnnotation
{
    /// <summary>Values per frame: valence then arousal.</summary>
    public const int Columns = 2;

    /// <summary>Wraps row-major [frames, 2] values (the array is kept, not copied).</summary>
    /// <param name="video">The video name.</param>
    /// <param name="values">Valence, arousal, valence, arousal, …; each in [−1, 1], or below −1 (the files write −5) for unlabelled.</param>
    /// <exception cref="ArgumentException">An odd length, or a value that is NaN, infinite or above 1.</exception>
    public ValenceArousalAnnotation(string video, float[] values)
        : base(video)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length % Columns != 0)
            throw new ArgumentException($"Length {values.Length} is odd; expected row-major [frames, 2] (valence, arousal).", nameof(values));
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]) || values[i] > 1)
                throw new ArgumentException(
                    $"Frame {i / Columns + 1} {(i % Columns == 0 ? "valence" : "arousal")} is {values[i]}; expected a value in [-1, 1] or below -1 (unlabelled).",
                    nameof(values));
            if (!AffectLabels.IsUnlabelledValenceArousal(values[i]))
            {
                if (i % Columns == 0) LabelledValenceCount++;
                else LabelledArousalCount++;
            }
        }
        for (int i = 0; i < values.Length; i += Columns)
        {
            if (!AffectLabels.IsUnlabelledValenceArousal(values[i]) || !AffectLabels.IsUnlabelledValenceArousal(values[i + 1]))
                LabelledFrameCount++;
        }
        Values = values;
    }

    /// <summary>Builds the record from separate valence and arousal columns (copied into one row-major array).</summary>
    /// <param name="video">The video name.</param>
    /// <param name="valence">Valence per frame.</param>
    /// <param name="arousal">Arousal per frame, as many as <paramref name="valence"/>.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or a value is invalid as for the constructor.</exception>
    public static ValenceArousalAnnotation FromColumns(string video, ReadOnlySpan<float> valence, ReadOnlySpan<float> arousal)
    {
        if (valence.Length != arousal.Length)
            throw new ArgumentException($"Expected as many arousal values as valence values ({valence.Length}), got {arousal.Length}.", nameof(arousal));
        var values = new float[valence.Length * Columns];
        for (int i = 0; i < valence.Length; i++)
        {
            values[Columns * i] = valence[i];
            values[Columns * i + 1] = arousal[i];
        }
        return new ValenceArousalAnnotation(video, values);
    }

    /// <summary>Row-major [frames, 2] values: valence then arousal for each frame. Do not modify.</summary>
    public float[] Values { get; }

    /// <inheritdoc/>
    public override int FrameCount => Values.Length / Columns;

    /// <summary>Frames with at least one of valence and arousal labelled.</summary>
    public override int LabelledFrameCount { get; }

    /// <summary>Frames whose valence is labelled (not below −1).</summary>
    public int LabelledValenceCount { get; }

    /// <summary>Frames whose arousal is labelled (not below −1).</summary>
    public int LabelledArousalCount { get; }

    /// <summary>Valence of the frame at 0-based <paramref name="frameIndex"/>.</summary>
    /// <param name="frameIndex">0-based frame index (frame number − 1).</param>
    /// <returns>The valence; below −1 when unlabelled.</returns>
    public float Valence(int frameIndex) => Values[Columns * frameIndex];

    /// <summary>Arousal of the frame at 0-based <paramref name="frameIndex"/>.</summary>
    /// <param name="frameIndex">0-based frame index (frame number − 1).</param>
    /// <returns>The arousal; below −1 when unlabelled.</returns>
    public float Arousal(int frameIndex) => Values[Columns * frameIndex + 1];

    /// <summary>Same video name and the same values.</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns>Whether the two are equal.</returns>
    public bool Equals(ValenceArousalAnnotation? other)
        => other is not null && base.Equals(other) && Values.AsSpan().SequenceEqual(other.Values);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), FrameCount);
}
